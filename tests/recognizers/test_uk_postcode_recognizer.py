from __future__ import annotations

import pytest

from recognizers.uk_postcode_recognizer import UkPostcodeRecognizer

RECOGNIZER = UkPostcodeRecognizer()

CASES = [
    # full postcodes in every outward shape (A9, A99, AA9, AA99, A9A, AA9A)
    pytest.param("flat in M1 1EA", ("M1 1EA",), 0.85, id="A9 shape"),
    pytest.param("LS11 5QP is the postcode", ("LS11 5QP",), 0.85, id="AA99 shape"),
    pytest.param("near SW1A 1AA", ("SW1A 1AA",), 0.85, id="AA9A shape"),
    pytest.param("office at EC1V 9HX.", ("EC1V 9HX",), 0.85, id="AA9A shape EC"),
    pytest.param("W1D 3QF", ("W1D 3QF",), 0.85, id="A9A shape"),
    pytest.param("B33 8TH", ("B33 8TH",), 0.85, id="A99 shape"),
    pytest.param("CF10 3AL", ("CF10 3AL",), 0.85, id="Cardiff"),
    # without a space, any case
    pytest.param("postcode ls115qp", ("ls115qp",), 0.85, id="lower case no space"),
    pytest.param("G20 7XJ", ("G20 7XJ",), 0.85, id="Glasgow"),
    pytest.param("Manchester, m1 7ar.", ("m1 7ar",), 0.85, id="lower case with space"),
    # outward codes only with a cue, and scored lower
    pytest.param("my postcode is LS11", ("LS11",), 0.5, id="outward after postcode is"),
    pytest.param("area code M1 I think", ("M1",), 0.5, id="outward after area code"),
    pytest.param("the LS6 postcode area", ("LS6",), 0.5, id="outward before postcode"),
    pytest.param("never gave him my address in LS8.", ("LS8",), 0.5, id="outward after address in"),
    pytest.param("my flat Princess st M1, flat 9", ("M1",), 0.5, id="outward after a street"),
    pytest.param("drove up the M1 to Leeds", (), None, id="motorway is not an outward code"),
    pytest.param("he lives in LS11 somewhere", (), None, id="outward without a cue"),
    # near misses: registrations, phones, times, invalid letters and areas
    pytest.param("reg AB12 CDE silver Focus", (), None, id="current registration"),
    pytest.param("his reg MA19 KXZ", (), None, id="registration like an outward code"),
    pytest.param("rang from 07700 900461", (), None, id="mobile number"),
    pytest.param("at 22:30 on 12 March", (), None, id="time and date"),
    pytest.param("QA1 1AA", (), None, id="Q never starts a postcode"),
    pytest.param("M1 1CA", (), None, id="C never in the inward code"),
    pytest.param("XY1 1AA", (), None, id="not a postcode area"),
    pytest.param("it cost B4 2AM", (), None, id="M never in the inward code"),
    # embedded in words
    pytest.param("codeM11EAx", (), None, id="inside a word"),
    pytest.param("ref 9M1 1EA", (), None, id="digit before"),
]


@pytest.mark.parametrize(("text", "spans", "score"), CASES)
def test_postcode_recognizer_finds_exactly_these_postcodes(
    text: str, spans: tuple[str, ...], score: float | None
) -> None:
    results = RECOGNIZER.analyze(text, ["UK_POSTCODE"])
    assert tuple(text[r.start : r.end] for r in results) == spans
    assert all(r.score == score and r.entity_type == "UK_POSTCODE" for r in results)
