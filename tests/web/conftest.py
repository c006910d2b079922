"""Web fixtures: a store with drafted reports, an account per role, signed-in clients, a server.

Each report is drafted once per session with the real analyzer; stores get the cached drafts, so a
test pays for spaCy only when it re-drafts (keep/remove) or checks an edit.
"""

from __future__ import annotations

import copy
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from pipeline import review
from pipeline.draft import draft_report
from pipeline.intake import ReceivedReport, parse_report
from pipeline.settings import load_settings
from pipeline.store import Store
from pipeline.users import UserRole, add_user, set_password_hasher
from web.app import create_app

PASSWORD = "correct horse battery"
ROLES = {
    "casey": UserRole.CASEWORKER,
    "mona": UserRole.MEMBER,
    "rita": UserRole.RESEARCHER,
    "dan": UserRole.DATA_STAFF,
    "ada": UserRole.ADMIN,
}

FLAGGED_PHONE = "07700 900777"
"""An offender's second number the policy cannot attribute: removed and flagged for a caseworker."""

REPORTER_NAME = "Roxanne Bell"
FRIEND_NAME = "Jade Cole"


def report_object(report_id: str, **changes: Any) -> dict[str, Any]:
    """A report in the intake format with a reporter, a friend, a venue and a flagged number."""
    obj: dict[str, Any] = {
        "format": 1,
        "report_id": report_id,
        "received_at": "2026-03-14T22:05:00Z",
        "channel": "web",
        "reporter": {
            "member_id": "M-77001",
            "known_identifiers": {
                "names": [REPORTER_NAME],
                "phones": ["07911 555123"],
                "emails": [],
                "handles": ["roxy_b_ldn"],
                "addresses": [],
            },
        },
        "consent": {"alert": True, "intelligence": True, "police_contact": False},
        "incident": {
            "date": "2026-03-12",
            "time": "23:10",
            "area": "Leeds",
            "police_force": "West Yorkshire Police",
            "setting": "incall",
            "location_detail": "Flat 3, 14 Kirkgate",
            "types": ["sexual_assault", "robbery"],
            "contact_method": "phone",
        },
        "offenders": [
            {
                "names_used": ["Gaz"],
                "phones": ["07700 900461"],
                "emails": [],
                "usernames": ["gaz_leeds"],
                "vehicles": [
                    {
                        "make": "Vauxhall",
                        "model": "Astra",
                        "colour": "black",
                        "registration": "YX21 ABC",
                    }
                ],
                "description": "White man, about 35, thin, beard",
            }
        ],
        "narrative": "He called me from 07700 900461 and booked for 11pm. When he got there he "
        "grabbed me and took the money. He had a second phone and the number on it "
        f"was {FLAGGED_PHONE}. My friend {FRIEND_NAME} was in the next room.",
    }
    obj.update(changes)
    return obj


SCRIPT_NARRATIVE = (
    "He booked by phone and then hit me. He wrote <script>document.title='pwned'</script> "
    "in a text message <b>bold</b> and left."
)


def _reports() -> list[dict[str, Any]]:
    return [
        report_object("R-WEB-0001"),
        report_object(
            "R-WEB-0002",
            received_at="2026-03-10T09:00:00Z",
            incident={
                "date": "2026-03-09",
                "area": "Hull",
                "police_force": "Humberside Police",
                "types": ["time_waster"],
                "contact_method": "text",
            },
        ),
        report_object("R-WEB-0003", narrative=SCRIPT_NARRATIVE, offenders=[]),
    ]


@pytest.fixture(scope="session")
def drafts(analyzer: Any) -> dict[str, dict[str, Any]]:
    """Each test report drafted once with the real pipeline."""
    return {obj["report_id"]: draft_report(parse_report(obj), analyzer) for obj in _reports()}


def _cached_drafter(
    drafts: dict[str, dict[str, Any]],
) -> Callable[[ReceivedReport], dict[str, Any]]:
    def drafter(received: ReceivedReport) -> dict[str, Any]:
        return copy.deepcopy(drafts[received.report_id])

    return drafter


@pytest.fixture(scope="session")
def cheap_passwords() -> None:
    """Argon2 with test-sized cost (production keeps argon2-cffi's defaults)."""
    set_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="session")
def template_home(
    tmp_path_factory: pytest.TempPathFactory,
    drafts: dict[str, dict[str, Any]],
    cheap_passwords: None,
) -> Path:
    """A data folder with the test reports drafted and in review, and every account (built once)."""
    home = tmp_path_factory.mktemp("template") / "home"
    built = Store.open(load_settings({"MUGS_HOME": str(home)}))
    for obj in _reports():
        review.store_received(built, parse_report(obj))
    review.draft_pending(built, _cached_drafter(drafts))
    app_tables(built)
    for username, role in ROLES.items():
        add_user(built.engine, username, PASSWORD, role)
    built.close()
    return home


@pytest.fixture
def store(tmp_path: Path, template_home: Path) -> Iterator[Store]:
    """A fresh copy of the template store, for one test."""
    home = tmp_path / "home"
    shutil.copytree(template_home, home)
    opened = Store.open(load_settings({"MUGS_HOME": str(home)}))
    yield opened
    opened.close()


def app_tables(store: Store) -> None:
    """Create the web app's own tables (the app does it too; users are added before it starts)."""
    from pipeline.checker import ensure_checker_tables
    from pipeline.users import ensure_user_tables

    ensure_user_tables(store.engine)
    ensure_checker_tables(store.engine)


@pytest.fixture
def app(store: Store) -> FastAPI:
    """The web app on the test store."""
    return create_app(store, sync_interval=0.0)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    """Sign *client* in through the form, as a browser would."""
    page = client.get("/signin")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "the sign-in form has a CSRF token"
    return client.post(
        "/signin",
        data={
            "username": username,
            "password": password,
            "csrf_token": token.group(1),
            "next": "/",
        },
        follow_redirects=False,
    )


@pytest.fixture
def client_for(app: FastAPI) -> Callable[[str], TestClient]:
    """A signed-in test client for a username."""

    def make(username: str) -> TestClient:
        client = TestClient(app, base_url="http://127.0.0.1")
        assert sign_in(client, username).status_code == 303
        return client

    return make


def csrf_of(html: str) -> str:
    """The CSRF token in a page's forms."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has a form with a CSRF token"
    return found.group(1)


@pytest.fixture
def live_server(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
