from __future__ import annotations

import pytest

from recognizers.uk_vehicle_registration_recognizer import UkVehicleRegistrationRecognizer

RECOGNIZER = UkVehicleRegistrationRecognizer()

CASES = [
    # valid formats without a cue
    pytest.param("Silver Ford Focus MA19 KXZ in the car park", ["MA19 KXZ"], id="current format"),
    pytest.param("it was MA19KXZ", ["MA19KXZ"], id="current format without space"),
    pytest.param("it was ma19 kxz i think", ["ma19 kxz"], id="current format lower case"),
    pytest.param("an old Golf, A123 BCD", ["A123 BCD"], id="prefix format"),
    pytest.param("a white van ABC 123D outside", ["ABC 123D"], id="suffix format"),
    # valid formats after a cue
    pytest.param("reg MA19 KXZ, I think", ["MA19 KXZ"], id="current after reg"),
    pytest.param("registration number: YX66 ABC", ["YX66 ABC"], id="registration number colon"),
    pytest.param("reg was ABC 123", ["ABC 123"], id="dateless letters first after reg"),
    pytest.param("number plate 1234 AB", ["1234 AB"], id="dateless digits first after plate"),
    pytest.param("his car was KXZ 1234 grey", ["KXZ 1234"], id="dateless after car"),
    pytest.param("reg was lk17abc", ["lk17abc"], id="lower case after reg"),
    pytest.param("reg was LK17", ["LK17"], id="short plate after reg was"),
    # partial plates with a cue
    pytest.param("reg starts LK17", ["LK17"], id="reg starts"),
    pytest.param("the plate began with LK", ["LK"], id="plate began with"),
    pytest.param("black Focus, reg began FD12. Man hit", ["FD12"], id="reg began without with"),
    pytest.param("The reg began YT13 C and I did", ["YT13 C"], id="partial with a space"),
    pytest.param("reg starts LK17 and ends in XZ", ["LK17", "XZ"], id="starts and ends"),
    pytest.param("the reg had KXZ in it", ["KXZ"], id="reg had letters in it"),
    pytest.param("red MX-5 (reg starting AU) he", ["AU"], id="reg starting in brackets"),
    pytest.param("reg started with an L", ["L"], id="single letter after article"),
    pytest.param("the reg had a 17 in it", ["17"], id="digits after article"),
    pytest.param('Registration partially seen, ending "KXD". He', ["KXD"], id="quoted partial"),
    pytest.param("the first bit of the plate as WU and", ["WU"], id="letters after plate as"),
    pytest.param('private plate "something like B16 DAV".', ["B16 DAV"], id="plate something like"),
    # partial plates remembered with "something"
    pytest.param("black golf i got NL 68 something cos", ["NL 68"], id="then something"),
    pytest.param(
        "a silver LD something 18 something",
        ["LD something 18 something"],
        id="something in the gap",
    ),
    # near misses: no cue, or a cue with words after it
    pytest.param("I was there at 10 something", [], id="a time then something"),
    pytest.param("ends in XZ", [], id="partial without reg cue"),
    pytest.param("I didn't get the reg. He had NO money", [], id="cue in previous sentence"),
    pytest.param("reg was at 10 pm", [], id="reg was followed by a time"),
    pytest.param("I didn't get the reg, he had I think a knife", [], id="pronoun I is no plate"),
    pytest.param("the reg was something like lk17", ["lk17"], id="hedge words before a plate"),
    pytest.param("ABC 123 on the door", [], id="dateless without cue"),
    pytest.param("car 10 pm", [], id="car followed by a time"),
    pytest.param("LK17 and ends", [], id="mixed case is not a plate"),
    # near misses: capitals, postcodes, phones, times and prices
    pytest.param("I AM SO SCARED HE HAD A GUN", [], id="words in capitals"),
    pytest.param("M1 1EA and LS11 5QP", [], id="postcodes"),
    pytest.param("reg LS11 5QP", [], id="postcode after reg"),
    pytest.param("from 07700 900461 at 22:30 for £150", [], id="phone time and price"),
    pytest.param("about 40, 6ft 2", [], id="age and height"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_finds_registrations(text: str, expected: list[str]) -> None:
    results = RECOGNIZER.analyze(text, ["VEHICLE_REGISTRATION"])
    assert [text[r.start : r.end] for r in results] == expected
    assert all(r.entity_type == "VEHICLE_REGISTRATION" for r in results)
