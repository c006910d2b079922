"""``mugs users``, ``mugs check`` and ``mugs web`` from the command line."""

from __future__ import annotations

import json

from pipeline import review
from pipeline.cli import build_parser, main
from pipeline.users import authenticate


def test_users_add_list_and_remove(store, monkeypatch, capsys):
    monkeypatch.setenv("MUGS_HOME", str(store.settings.home))
    monkeypatch.setenv("MUGS_NEW_PASSWORD", "a long new password")
    assert main(["users", "add", "carla", "--role", "caseworker"]) == 0
    assert authenticate(store.engine, "carla", "a long new password").role.value == "caseworker"
    assert main(["users", "list"]) == 0
    assert "carla\tcaseworker" in capsys.readouterr().out
    assert main(["users", "remove", "carla"]) == 0
    assert authenticate(store.engine, "carla", "a long new password") is None
    assert main(["users", "remove", "carla"]) == 2
    assert "user 'carla' does not exist" in capsys.readouterr().err


def test_users_add_refuses_a_short_password(store, monkeypatch, capsys):
    monkeypatch.setenv("MUGS_HOME", str(store.settings.home))
    monkeypatch.setenv("MUGS_NEW_PASSWORD", "short")
    assert main(["users", "add", "carla", "--role", "member"]) == 2
    assert "at least 10 characters" in capsys.readouterr().err


def test_check_finds_released_alerts_only(store, monkeypatch, capsys):
    monkeypatch.setenv("MUGS_HOME", str(store.settings.home))
    assert main(["check", "07700 900461"]) == 0
    assert "No released alert" in capsys.readouterr().out
    review.approve(store, "R-WEB-0001", "casey")
    review.mark_released(store, "R-WEB-0001", "release-flow")
    assert main(["check", "--json", "YX21"]) == 1
    matches = json.loads(capsys.readouterr().out)["matches"]
    assert [m["incident_date"] for m in matches] == ["2026-03-12"]
    assert main(["check", "+44 7700 900 461"]) == 1
    assert "1 released alert(s) mention this" in capsys.readouterr().out


def test_web_listens_on_loopback_port_8000_by_default():
    args = build_parser().parse_args(["web"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)
