"""Fixtures for the flows: an ephemeral Prefect under a temporary PREFECT_HOME, a store per test,
a real SMTP server on loopback (aiosmtpd) and a local SMS gateway (http.server), all offline.

Prefect reads its settings when it is first imported, so the environment is set here, before any
test module imports a flow.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

PREFECT_HOME = Path(tempfile.mkdtemp(prefix="mugs-prefect-home-"))
# Registered before Prefect starts its ephemeral server, so it runs after the server has stopped.
atexit.register(shutil.rmtree, PREFECT_HOME, ignore_errors=True)
for name in [n for n in os.environ if n.startswith("PREFECT_")]:
    del os.environ[name]
os.environ.update(
    {
        "PREFECT_HOME": str(PREFECT_HOME),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "240",
        "PREFECT_LOGGING_TO_API_BATCH_INTERVAL": "0.3",
        "DO_NOT_TRACK": "1",
    }
)


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


_needs_prefect: list[bool] = []


def _uses_prefect(item: pytest.Item) -> bool:
    return "prefect_home" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests that need Prefect last, so its server starts while the others run."""
    items.sort(key=_uses_prefect)
    _needs_prefect.append(any(_uses_prefect(item) for item in items))


@pytest.fixture(scope="session", autouse=True)
def prefect_server_warm_up() -> Iterator[threading.Thread | None]:
    """Start the ephemeral Prefect server in the background (it takes tens of seconds)."""
    if not any(_needs_prefect):
        yield None
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the same instance Prefect's client starts on first use
    starting = threading.Thread(target=server.start, kwargs={"timeout": 240}, daemon=True)
    starting.start()
    yield starting
    starting.join()
    server.stop()  # now, while pytest still captures its last log line


@pytest.fixture(scope="session")
def prefect_home(prefect_server_warm_up: threading.Thread | None) -> Path:
    """The temporary PREFECT_HOME every flow in this session runs under (ephemeral server)."""
    from prefect.settings import get_current_settings

    if prefect_server_warm_up is not None:
        prefect_server_warm_up.join()
    settings = get_current_settings()
    assert Path(settings.home) == PREFECT_HOME, "prefect was imported before tests/flows/conftest"
    assert settings.api.url is None, "tests must run against the ephemeral server, not a real one"
    return PREFECT_HOME


@pytest.fixture
def mugs_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh MUGS_HOME (SQLite store, key file) for one test."""
    from flows.runtime import forget_stores

    home = tmp_path / "mugs"
    monkeypatch.setenv("MUGS_HOME", str(home))
    for name in (
        "MUGS_DATABASE_URL",
        "MUGS_KEY",
        "MUGS_KEY_FILE",
        "MUGS_TASK_RUNNER",
        "MUGS_DASK_ADDRESS",
    ):
        monkeypatch.delenv(name, raising=False)
    forget_stores()
    yield home
    forget_stores()


@pytest.fixture
def store(mugs_home: Path):
    """The store under the test's MUGS_HOME (the one the flows open too)."""
    from flows.runtime import flow_store

    return flow_store()


@dataclass
class SmtpInbox:
    """Messages the loopback SMTP server accepted."""

    host: str
    port: int
    messages: list[tuple[list[str], Message]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpInbox]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1; MUGS_SMTP_* point at it."""
    from aiosmtpd.controller import Controller

    inbox = SmtpInbox("127.0.0.1", free_port())
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
    controller.start()
    monkeypatch.setenv("MUGS_SMTP_HOST", inbox.host)
    monkeypatch.setenv("MUGS_SMTP_PORT", str(inbox.port))
    monkeypatch.setenv("MUGS_SMTP_FROM", "alerts@mugs.test")
    monkeypatch.setenv("MUGS_SMTP_TIMEOUT", "10")
    try:
        yield inbox
    finally:
        controller.stop()


@dataclass
class SmsGateway:
    """Requests the local SMS gateway received; ``status`` is what it answers."""

    url: str
    token: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    status: int = 202


@pytest.fixture
def sms_gateway(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmsGateway]:
    """A local HTTP SMS gateway (http.server in a thread); MUGS_SMS_GATEWAY_* point at it."""
    port = free_port()
    gateway = SmsGateway(f"http://127.0.0.1:{port}/messages", "test-token-6f1c")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            gateway.requests.append(
                {
                    "path": self.path,
                    "authorization": self.headers.get("Authorization"),
                    "content_type": self.headers.get("Content-Type"),
                    "body": json.loads(self.rfile.read(length)),
                }
            )
            self.send_response(gateway.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"accepted": true}')

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            """Keep the test output quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("MUGS_SMS_GATEWAY_URL", gateway.url)
    monkeypatch.setenv("MUGS_SMS_GATEWAY_TOKEN", gateway.token)
    monkeypatch.setenv("MUGS_SMS_GATEWAY_TIMEOUT", "10")
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
