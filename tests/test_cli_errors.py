"""`mugs` names the setting or path and the problem in one line: no traceback, a non-zero exit."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from flows.runtime import PREFECT_TELEMETRY_OFF, forget_stores, prefect_telemetry_off
from pipeline.cli import main
from pipeline.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def mugs_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty MUGS_HOME and no database setting from the caller's environment."""
    home = tmp_path / "mugs"
    monkeypatch.setenv("MUGS_HOME", str(home))
    for name in ("MUGS_DATABASE_URL", "MUGS_DATABASE_SCHEMA", "MUGS_KEY", "MUGS_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    return home


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err.strip()


# --- the database --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        pytest.param("not a url", "not a database URL", id="unparseable"),
        pytest.param("postgresql+psycopg://u:pw@db:port/x", "port is not a number", id="bad port"),
        pytest.param("", None, id="empty means the default"),
    ],
)
def test_a_malformed_database_url_is_named_without_echoing_it(
    mugs_home, monkeypatch, capsys, url, problem
):
    monkeypatch.setenv("MUGS_DATABASE_URL", url)
    code = main(["queue"])
    if problem is None:
        assert code == 0
        return
    line = one_line(capsys)
    assert code == 2
    assert line.startswith("mugs queue: MUGS_DATABASE_URL: ") and problem in line
    assert url not in line


def test_an_unreachable_database_is_one_line_with_the_password_masked(
    mugs_home, monkeypatch, capsys
):
    url = f"postgresql+psycopg://mugs:s3cret@127.0.0.1:{closed_port()}/mugs"
    monkeypatch.setenv("MUGS_DATABASE_URL", url)
    code = main(["queue"])
    line = one_line(capsys)
    assert code == 2
    assert line.startswith("mugs queue: cannot use the database MUGS_DATABASE_URL names")
    assert "mugs:***@127.0.0.1" in line and "s3cret" not in line


@pytest.mark.parametrize(
    "scheme",
    [pytest.param("postgresql", id="postgresql://"), pytest.param("postgres", id="postgres://")],
)
def test_a_plain_postgresql_url_uses_psycopg_3(mugs_home, monkeypatch, capsys, scheme):
    url = f"{scheme}://mugs@127.0.0.1:{closed_port()}/mugs"
    assert load_settings({"MUGS_DATABASE_URL": url}).database_url.startswith(
        "postgresql+psycopg://mugs@127.0.0.1:"
    )
    monkeypatch.setenv("MUGS_DATABASE_URL", url)
    code = main(["queue"])
    line = one_line(capsys)
    assert code == 2 and "cannot use the database" in line and "psycopg2" not in line


def test_a_flow_run_checks_the_database_before_prefect_starts(mugs_home, monkeypatch, capsys):
    monkeypatch.setenv("MUGS_DATABASE_URL", f"postgresql://mugs@127.0.0.1:{closed_port()}/mugs")
    try:
        code = main(["run", "sanitise"])
    finally:
        forget_stores()
    line = one_line(capsys)
    assert code == 2 and line.startswith("mugs run: cannot use the database MUGS_DATABASE_URL")


def test_a_database_driver_that_is_not_installed_is_named(mugs_home, monkeypatch, capsys):
    monkeypatch.setenv("MUGS_DATABASE_URL", "postgresql+pg8000://mugs@127.0.0.1/mugs")
    code = main(["queue"])
    line = one_line(capsys)
    assert code == 2
    assert "MUGS_DATABASE_URL" in line and "'pg8000'" in line and "postgresql+psycopg://" in line


def test_an_unexpected_error_still_shows_its_traceback(mugs_home, monkeypatch):
    def broken(args: object) -> int:
        raise RuntimeError("a bug")

    monkeypatch.setattr("pipeline.cli.store_commands.run_queue", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        main(["queue"])


# --- paths ---------------------------------------------------------------------------------------


def test_stats_out_under_a_file_names_the_path(mugs_home, tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("x")
    code = main(["stats", "--out", str(afile / "stats")])
    line = one_line(capsys)
    assert code == 2 and line == f"mugs stats: {afile / 'stats'}: Not a directory"


def test_stats_out_that_is_a_file_names_the_path(mugs_home, tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("x")
    code = main(["stats", "--out", str(afile)])
    line = one_line(capsys)
    assert code == 2 and line == f"mugs stats: {afile}: is a file where a folder is needed"


def test_stats_out_without_permission_names_the_path(mugs_home, tmp_path, monkeypatch, capsys):
    out = tmp_path / "locked"
    make_folder = Path.mkdir

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        if self == out:  # root may write anywhere: stand in for a folder it may not create
            raise PermissionError(13, "Permission denied", str(self))
        make_folder(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", refuse)
    code = main(["stats", "--out", str(out)])
    line = one_line(capsys)
    assert code == 2 and line == f"mugs stats: {out}: Permission denied"


# --- empty input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data", [pytest.param(b"", id="empty"), pytest.param(b"\n \n", id="blank")]
)
def test_draft_of_empty_stdin_says_no_report_was_read(monkeypatch, capsys, data):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code = main(["draft", "-"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert captured.err == "mugs draft: no report was read from stdin (it is empty)\n"


# --- Prefect telemetry ---------------------------------------------------------------------------


def test_telemetry_is_turned_off_unless_the_user_chose():
    environ = {"PREFECT_SERVER_ANALYTICS_ENABLED": "true", "PATH": "/bin"}
    added = prefect_telemetry_off(environ)
    assert environ["PREFECT_SERVER_ANALYTICS_ENABLED"] == "true"
    assert environ["PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY"] == "false"
    assert environ["DO_NOT_TRACK"] == "1"
    assert set(added) == set(PREFECT_TELEMETRY_OFF) - {"PREFECT_SERVER_ANALYTICS_ENABLED"}


def _prefect_settings_after_main(tmp_path: Path, **extra: str) -> str:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("PREFECT_") and name not in PREFECT_TELEMETRY_OFF
    }
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), MUGS_HOME=str(tmp_path / "mugs"), **extra)
    script = (
        "import sys\n"
        "from pipeline.cli import main\n"
        "assert 'prefect' not in sys.modules, 'prefect imported before main ran'\n"
        "main(['draft', '-'])\n"
        "from prefect.settings import get_current_settings\n"
        "s = get_current_settings()\n"
        "print(s.server.analytics_enabled, s.cloud.enable_orchestration_telemetry)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        input=b"",
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=True,
    )
    return result.stdout.decode().strip()


def test_the_cli_turns_prefect_telemetry_off_before_prefect_reads_its_settings(tmp_path):
    assert _prefect_settings_after_main(tmp_path) == "False False"


def test_the_cli_keeps_a_telemetry_setting_the_user_made(tmp_path):
    chosen = _prefect_settings_after_main(tmp_path, PREFECT_SERVER_ANALYTICS_ENABLED="true")
    assert chosen == "True False"
