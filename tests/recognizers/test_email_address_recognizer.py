from __future__ import annotations

import pytest

from recognizers.email_address_recognizer import EmailAddressRecognizer

RECOGNIZER = EmailAddressRecognizer()

CASES = [
    # valid formats: plain
    pytest.param(
        "emailed from rich.b1987@example.com to confirm",
        ["rich.b1987@example.com"],
        id="plain address",
    ),
    pytest.param(
        "it was misty.massage@hotmail.co.uk.",
        ["misty.massage@hotmail.co.uk"],
        id="plain address before full stop",
    ),  # fmt: skip
    pytest.param("(o.hargreaves@example.ac.uk)", ["o.hargreaves@example.ac.uk"], id="in brackets"),
    pytest.param(
        "bookings@vip-agency.example.net",
        ["bookings@vip-agency.example.net"],
        id="subdomain with dash",
    ),  # fmt: skip
    pytest.param("CRAIG.WFD@GMAIL.COM", ["CRAIG.WFD@GMAIL.COM"], id="capitals"),
    # valid formats: disguised
    pytest.param("mail candy at gmail dot com", ["candy at gmail dot com"], id="at and dot words"),
    pytest.param(
        "candy(at)hotmail(dot)co(dot)uk ok",
        ["candy(at)hotmail(dot)co(dot)uk"],
        id="bracketed at and dot",
    ),  # fmt: skip
    pytest.param(
        "candy [at] outlook [dot] com",
        ["candy [at] outlook [dot] com"],
        id="square bracketed at and dot",
    ),  # fmt: skip
    pytest.param("candy @ gmail . com", ["candy @ gmail . com"], id="spaced at and dot"),
    pytest.param(
        "candy dot escort at gmail dot com",
        ["candy dot escort at gmail dot com"],
        id="dot in local part spelled out",
    ),  # fmt: skip
    pytest.param(
        "email me at candy at gmail dot com",
        ["candy at gmail dot com"],
        id="at in the sentence before",
    ),  # fmt: skip
    pytest.param(
        'says "email me at jamie dot dundee at example dot com" so',
        ["jamie dot dundee at example dot com"],
        id="failed candidate before the real one",
    ),
    pytest.param(
        "on paul.b88@gmail.com. He said",
        ["paul.b88@gmail.com"],
        id="sentence after address not joined",
    ),  # fmt: skip
    pytest.param(
        "a@example.com and b@example.org", ["a@example.com", "b@example.org"], id="two addresses"
    ),  # fmt: skip
    # near misses
    pytest.param("I was at home dot then left", [], id="at and dot in prose"),
    pytest.param("met him at the hotel at 10.30", [], id="at with a time"),
    pytest.param("candy at gmail", [], id="no suffix"),
    pytest.param("jo@localhost", [], id="no dot in domain"),
    pytest.param("jo@example.notatld", [], id="unknown suffix"),
    pytest.param("@candyxx_mcr on insta", [], id="handle is not an email"),
    pytest.param("messaged my insta from @marco.v.london", [], id="word then a handle"),
    pytest.param("sell clips at clipvault.example.net/store/x", [], id="a link is not an email"),
    pytest.param(
        "he email me ricky.rocket77 at outlook dot com. car black",
        ["ricky.rocket77 at outlook dot com"],
        id="sentence end is not a dot",
    ),
    pytest.param("paid £150 at 22:30 from 07700 900461", [], id="price time and phone"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_finds_email_addresses(text: str, expected: list[str]) -> None:
    results = RECOGNIZER.analyze(text, ["EMAIL_ADDRESS"])
    assert [text[r.start : r.end] for r in results] == expected
    assert all(r.entity_type == "EMAIL_ADDRESS" for r in results)
