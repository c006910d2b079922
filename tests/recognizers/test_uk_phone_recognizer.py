from __future__ import annotations

import pytest

from recognizers.phone_digits import national_digits
from recognizers.uk_phone_recognizer import UkPhoneRecognizer

RECOGNIZER = UkPhoneRecognizer()

CASES = [
    # valid formats: mobiles
    pytest.param("he rang from 07700 900461", ["07700 900461"], id="mobile with space"),
    pytest.param("he rang from 07700900461 at 9", ["07700900461"], id="mobile without spaces"),
    pytest.param("number 07700 900 461.", ["07700 900 461"], id="mobile in three groups"),
    pytest.param("text 07700-900-461 now", ["07700-900-461"], id="mobile with dashes"),
    pytest.param("text 07700.900.461 now", ["07700.900.461"], id="mobile with dots"),
    pytest.param("call (07700) 900461", ["(07700) 900461"], id="mobile with brackets"),
    pytest.param("his whatsapp +44 7700 900461", ["+44 7700 900461"], id="plus 44"),
    pytest.param("on +44 (0)7700 900461 x", ["+44 (0)7700 900461"], id="plus 44 with bracketed 0"),
    pytest.param("on +44(0)7700900461", ["+44(0)7700900461"], id="plus 44 bracketed 0 no spaces"),
    pytest.param("on 447700900461", ["447700900461"], id="44 without plus"),
    pytest.param("on 0044 7700 900461", ["0044 7700 900461"], id="0044 prefix"),
    pytest.param(
        "0 7 7 0 0 9 0 0 4 6 1 he said", ["0 7 7 0 0 9 0 0 4 6 1"], id="spaced out digits"
    ),
    pytest.param("O77OO 9OO461 was his", ["O77OO 9OO461"], id="letter O for zero"),
    # valid formats: landlines
    pytest.param("landline 0113 496 0123", ["0113 496 0123"], id="leeds landline"),
    pytest.param("rang from 020 7946 0388", ["020 7946 0388"], id="london landline"),
    pytest.param(
        "rang from (0115) 496 0472", ["(0115) 496 0472"], id="landline area code brackets"
    ),
    pytest.param("a 0300 number 03001234567", ["03001234567"], id="03 non-geographic"),
    # valid formats: words and mixtures
    pytest.param(
        "oh seven seven double oh nine double oh four six one",
        ["oh seven seven double oh nine double oh four six one"],
        id="all words with oh and double",
    ),
    pytest.param(
        "it was zero seven seven zero zero, nine zero zero, four six one ok",
        ["zero seven seven zero zero, nine zero zero, four six one"],
        id="words with zero and commas",
    ),
    pytest.param(
        "Oh Seven Seven Zero Zero Nine Treble Oh Four Six",
        ["Oh Seven Seven Zero Zero Nine Treble Oh Four Six"],
        id="capitalised words with treble",
    ),
    pytest.param(
        "oh seven seven double oh nine double oh four six", [], id="words one digit short"
    ),
    pytest.param(
        "oh seven seven oh oh nine treble oh six one",
        ["oh seven seven oh oh nine treble oh six one"],
        id="treble",
    ),
    pytest.param(
        "07700 nine double oh 461 ok", ["07700 nine double oh 461"], id="digits and words"
    ),
    # several numbers
    pytest.param(
        "07700900461/07700900462", ["07700900461", "07700900462"], id="two numbers with slash"
    ),
    pytest.param(
        "mine is 07700 900123 and he rang from 07700 900461",
        ["07700 900123", "07700 900461"],
        id="both parties in one sentence",
    ),
    pytest.param("07700 900461 2 times", ["07700 900461"], id="trailing count not joined"),
    pytest.param("paid 150 07700 900461", ["07700 900461"], id="leading price not joined"),
    pytest.param("ring 7700 900461", ["7700 900461"], id="mobile without trunk zero"),
    pytest.param("07700 9OO l23 is mine", ["07700 9OO l23"], id="letters typed for digits"),
    # numbers written in part, the rest hidden
    pytest.param(
        "He had my work number 07700 9005.. from", ["07700 9005.."], id="partial with dots"
    ),
    pytest.param("same guy, number 07700 900xxx rang", ["07700 900xxx"], id="partial with xs"),
    # near misses: times, prices, dates, durations, ages
    pytest.param("at 22:30 on 12/03/2025", [], id="time and date"),
    pytest.param("2025-03-12 22:30", [], id="iso date and time"),
    pytest.param("paid £150 for 30 mins", [], id="price and duration"),
    pytest.param("he was about 40, 5 ft 10", [], id="age and height"),
    pytest.param("07700 90046", [], id="mobile one digit short"),
    pytest.param("077009004611", [], id="twelve digits in one group"),
    pytest.param("ref 12345678901", [], id="eleven digits not uk shaped"),
    pytest.param("one of them had two phones", [], id="number words in prose"),
    # near misses: postcodes, plates, embedded in words
    pytest.param("M1 1EA and LS11 5QP", [], id="postcodes"),
    pytest.param("reg MA19 KXZ", [], id="registration plate"),
    pytest.param("id AB07700900461", [], id="digits inside a word"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_finds_uk_numbers(text: str, expected: list[str]) -> None:
    results = RECOGNIZER.analyze(text, ["PHONE_NUMBER"])
    assert [text[r.start : r.end] for r in results] == expected
    assert all(r.entity_type == "PHONE_NUMBER" for r in results)


@pytest.mark.parametrize(
    ("written", "national"),
    [
        pytest.param("+44 (0)7700 900461", "07700900461", id="international with (0)"),
        pytest.param("0044 7700 900461", "07700900461", id="0044"),
        pytest.param(
            "oh seven seven double oh nine double oh four six one", "07700900461", id="words"
        ),
        pytest.param("0113-496-0123", "01134960123", id="landline with dashes"),
    ],
)
def test_national_digits_reads_every_writing(written: str, national: str) -> None:
    assert national_digits(written) == national
