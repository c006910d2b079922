"""Statistics from a generated store of 5,000 synthetic reports: counts, rules, files, the CLI."""

from __future__ import annotations

import datetime as dt
import re
import statistics as stdlib_statistics
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.disclosure import SUPPRESSED_MARKER, TOTAL, determined_positions
from pipeline.retention import erase_member
from pipeline.review import withdraw
from pipeline.settings import load_settings
from pipeline.statistics import (
    NOT_RECORDED,
    UNRECOGNISED_FORCE,
    Period,
    Statistics,
    StatisticsError,
    compute_statistics,
    metadata_frame,
    metadata_from_store,
    store_metadata_rows,
    synthetic_metadata_rows,
    write_export,
)
from pipeline.store import Store

REPORTS = 5_000


def open_store(home: Path) -> Store:
    return Store.open(load_settings({"MUGS_HOME": str(home)}))


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return synthetic_metadata_rows(REPORTS, seed=11)


@pytest.fixture(scope="module")
def store_home(tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, Any]]) -> Path:
    home = tmp_path_factory.mktemp("stats-home")
    store = open_store(home)
    assert store_metadata_rows(store, rows) == REPORTS
    store.close()
    return home


@pytest.fixture(scope="module")
def store(store_home: Path) -> Store:
    opened = open_store(store_home)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def computed(store: Store) -> Statistics:
    return compute_statistics(metadata_from_store(store))


@pytest.fixture(scope="module")
def export(
    tmp_path_factory: pytest.TempPathFactory, computed: Statistics
) -> tuple[Path, list[str]]:
    """One export of the 5,000-report store (charts are the slow part: write them once)."""
    folder = tmp_path_factory.mktemp("export")
    return folder, write_export(computed, folder)


def year(row: dict[str, Any]) -> str:
    return row["received_at"].strftime("%Y")


def every_table(statistics: Statistics) -> dict[str, Any]:
    return {
        "incident_types": statistics.incident_types,
        "police_forces": statistics.police_forces,
        "settings": statistics.settings,
        **{f"consent_{kind}": table for kind, table in statistics.consent.items()},
        **{f"releases_{year}": table for year, table in statistics.releases.items()},
    }


# --- counts match a direct computation ------------------------------------------------------------


def test_the_store_gives_back_every_report(computed: Statistics) -> None:
    assert computed.police_forces.counts.loc[TOTAL, TOTAL] == REPORTS
    assert computed.report_count == REPORTS


def test_incident_type_counts_match_a_direct_count(
    computed: Statistics, rows: list[dict[str, Any]]
) -> None:
    direct = Counter((kind, year(row)) for row in rows for kind in row["incident_types"])
    counts = computed.incident_types.counts
    for (kind, received_year), expected in direct.items():
        assert counts.loc[kind, received_year] == expected
    assert counts.loc[TOTAL, TOTAL] == sum(direct.values())


def test_police_force_and_setting_counts_match_a_direct_count(
    computed: Statistics, rows: list[dict[str, Any]]
) -> None:
    forces = Counter((row["police_force"] or NOT_RECORDED, year(row)) for row in rows)
    for (force, received_year), expected in forces.items():
        assert computed.police_forces.counts.loc[force, received_year] == expected
    settings = Counter((row["setting"] or NOT_RECORDED, year(row)) for row in rows)
    for (setting, received_year), expected in settings.items():
        assert computed.settings.counts.loc[setting, received_year] == expected


def test_monthly_counts_and_release_times_match_a_direct_computation(
    computed: Statistics, rows: list[dict[str, Any]]
) -> None:
    received = Counter(row["received_at"].strftime("%Y-%m") for row in rows)
    released = [row for row in rows if row["released_at"] is not None and not row["withdrawn"]]
    released_by_month = Counter(row["received_at"].strftime("%Y-%m") for row in released)
    for month, expected in received.items():
        table = computed.releases[month[:4]].counts
        assert table.loc[month, TOTAL] == expected
        assert table.loc[month, "released"] == released_by_month[month]
    month = "2025-03"
    days = [
        (row["released_at"] - row["received_at"]).total_seconds() / 86_400
        for row in released
        if row["received_at"].strftime("%Y-%m") == month
    ]
    assert computed.release_times.loc[month, "median_days"] == pytest.approx(
        stdlib_statistics.median(days)
    )
    published = computed.tables()["time_to_release"].set_index("month")
    assert published.loc[month, "median_days"] == f"{stdlib_statistics.median(days):.1f}"


def test_consent_shares_match_a_direct_computation(
    computed: Statistics, rows: list[dict[str, Any]]
) -> None:
    published = computed.tables()["consent_by_year"].set_index("year")
    for kind in ("alert", "intelligence", "police_contact"):
        in_2025 = [row for row in rows if year(row) == "2025"]
        yes = sum(row[f"consent_{kind}"] for row in in_2025)
        assert published.loc["2025", f"{kind}_yes"] == str(yes)
        assert published.loc["2025", f"{kind}_share_pct"] == f"{100 * yes / len(in_2025):.1f}"
        assert published.loc["2025", "reports"] == str(len(in_2025))


# --- disclosure control on the real tables ------------------------------------------------------


def test_every_table_hides_small_counts_and_none_can_be_recovered(computed: Statistics) -> None:
    hidden = 0
    for name, table in every_table(computed).items():
        counts = table.counts.to_numpy()
        small = (counts > 0) & (counts < 5)
        assert (table.suppressed.to_numpy() >= small).all(), name
        assert determined_positions(table) == [], name
        hidden += int(table.suppressed.to_numpy().sum())
    assert hidden > 0  # the synthetic store has rare forces and types on purpose


def test_no_small_count_reaches_a_published_file(export: tuple[Path, list[str]]) -> None:
    folder, names = export
    for name in (name for name in names if name.endswith(".csv")):
        table = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
        for column in table.columns:
            if column in (
                "month",
                "year",
                "incident_type",
                "police_force",
                "setting",
            ) or column.endswith(("_pct", "_days")):
                continue
            shown = table[column][table[column] != SUPPRESSED_MARKER].astype(int)
            assert not shown.between(1, 4).any(), (name, column)


def test_a_year_total_hidden_in_one_table_is_hidden_in_all(rows: list[dict[str, Any]]) -> None:
    # Three reports in one year: that year's total is small, so every table must hide it.
    early = [dict(row, received_at=row["received_at"].replace(year=2023)) for row in rows[:3]]
    statistics = compute_statistics(metadata_frame(early + rows[3:600]))
    assert "2023" in statistics.hidden_year_totals
    assert statistics.police_forces.is_hidden(TOTAL, "2023")
    assert statistics.settings.is_hidden(TOTAL, "2023")
    assert all(table.is_hidden("2023", TOTAL) for table in statistics.consent.values())
    assert statistics.releases["2023"].is_hidden(TOTAL, TOTAL)
    assert statistics.tables()["consent_by_year"].set_index("year").loc["2023", "reports"] == (
        SUPPRESSED_MARKER
    )


def test_a_free_text_police_force_is_never_a_published_label(rows: list[dict[str, Any]]) -> None:
    odd = [
        dict(rows[0], police_force="Flat 4 above the chip shop"),
        dict(rows[1], police_force="  greater   MANCHESTER police "),
    ]
    statistics = compute_statistics(metadata_frame(odd + rows[2:400]))
    labels = statistics.tables()["police_force_areas"]["police_force"].to_list()
    assert "Flat 4 above the chip shop" not in labels
    assert statistics.police_forces.counts.loc[UNRECOGNISED_FORCE, TOTAL] == 1
    direct = sum(1 for row in rows[2:400] if row["police_force"] == "Greater Manchester Police")
    assert statistics.police_forces.counts.loc["Greater Manchester Police", TOTAL] == direct + 1


# --- the period -----------------------------------------------------------------------------------


def test_since_and_until_include_both_days(
    computed: Statistics, store: Store, rows: list[dict[str, Any]]
) -> None:
    period = Period(dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    statistics = compute_statistics(metadata_from_store(store), period)
    expected = sum(1 for row in rows if row["received_at"].strftime("%Y-%m") == "2025-02")
    assert statistics.police_forces.counts.loc[TOTAL, TOTAL] == expected
    assert statistics.months == ["2025-02"]
    assert "2025-02-01 to 2025-02-28" in statistics.source_line()


def test_a_reversed_or_empty_period_is_refused(store: Store) -> None:
    with pytest.raises(StatisticsError, match="after"):
        Period(dt.date(2025, 3, 1), dt.date(2025, 2, 1))
    with pytest.raises(StatisticsError, match="no report"):
        compute_statistics(metadata_from_store(store), Period(dt.date(2030, 1, 1)))


# --- withdrawn and erased reports -----------------------------------------------------------------


def test_withdrawal_keeps_a_report_received_but_not_released(tmp_path: Path) -> None:
    small = synthetic_metadata_rows(200, seed=3)
    target = next(row for row in small if row["state"] == "released")
    store = open_store(tmp_path)
    try:
        store_metadata_rows(store, small)
        month = target["received_at"].strftime("%Y-%m")
        before = compute_statistics(metadata_from_store(store)).releases[month[:4]].counts
        withdraw(store, target["report_id"], "caseworker.a", "offender identified wrongly")
        after = compute_statistics(metadata_from_store(store)).releases[month[:4]].counts
    finally:
        store.close()
    assert after.loc[month, TOTAL] == before.loc[month, TOTAL]  # still received: the harm happened
    assert after.loc[month, "released"] == before.loc[month, "released"] - 1
    assert after.loc[month, "not released"] == before.loc[month, "not released"] + 1


def test_erasure_drops_unreleased_reports_and_keeps_only_what_was_released(tmp_path: Path) -> None:
    small = synthetic_metadata_rows(200, seed=5)
    released = next(
        row
        for row in small
        if row["state"] == "released"
        and row["setting"]
        and row["police_force"]
        and row["incident_types"]
    )
    unreleased = next(
        row
        for row in small
        if row["state"] == "in_review"
        and row["police_force"] != released["police_force"]
        and row["setting"] != released["setting"]
        and not set(row["incident_types"]) & set(released["incident_types"])
    )
    store = open_store(tmp_path)
    try:
        for row in (released, unreleased):
            row["member_ref"] = store.member_ref("M-77001")
        store_metadata_rows(store, small)
        before = compute_statistics(metadata_from_store(store))
        erasure = erase_member(store, "M-77001")
        frame = metadata_from_store(store)
        after = compute_statistics(frame)
    finally:
        store.close()
    assert erasure.deleted_reports == [unreleased["report_id"]]
    assert bool(frame.set_index("report_id").loc[released["report_id"], "erased"])
    assert after.report_count == before.report_count - 1  # the unreleased report is not counted
    when, month = year(released), released["received_at"].strftime("%Y-%m")
    # What was released still counts: received and released, incident types, police force area.
    assert (
        after.releases[when].counts.loc[month, "released"]
        == (before.releases[when].counts.loc[month, "released"])
    )
    force = released["police_force"]
    assert (
        after.police_forces.counts.loc[force, when] == before.police_forces.counts.loc[force, when]
    )
    for kind in released["incident_types"]:
        assert (
            after.incident_types.counts.loc[kind, when]
            == before.incident_types.counts.loc[kind, when]
        )
    # What was not released (setting, consent answers) is no longer known.
    setting = released["setting"]
    assert after.settings.counts.loc[setting, when] == before.settings.counts.loc[setting, when] - 1
    assert after.settings.counts.loc[NOT_RECORDED, when] == (
        before.settings.counts.loc[NOT_RECORDED, when] + 1
    )
    for kind in ("alert", "intelligence", "police_contact"):
        assert before.consent[kind].counts.loc[when, "not recorded"] == 0
        assert after.consent[kind].counts.loc[when, "not recorded"] == 1


# --- files, reproducibility, the CLI and the researchers' page ------------------------------------


def test_a_second_export_of_the_same_store_is_byte_identical(
    tmp_path: Path, store: Store, export: tuple[Path, list[str]]
) -> None:
    first_folder, first = export
    second = write_export(compute_statistics(metadata_from_store(store)), tmp_path)
    assert first == second
    assert {
        "reports_by_month.png",
        "reports_by_month.svg",
        "incident_types.csv",
        "about.txt",
    } <= set(first)
    for name in first:
        assert (first_folder / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_charts_carry_titles_and_the_source_line(export: tuple[Path, list[str]]) -> None:
    folder, _ = export
    svg = (folder / "reports_by_month.svg").read_text(encoding="utf-8")
    assert "Reports received and alerts released, by month" in svg
    assert "5,000 reports" in svg and "cells under 5 suppressed" in svg
    assert "<dc:date>" not in svg  # no timestamp in the file
    assert (folder / "time_to_release.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_csv_files_write_hidden_values_as_the_marker(export: tuple[Path, list[str]]) -> None:
    folder, _ = export
    text = (folder / "police_force_areas.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "police_force,2024,2025,2026,Total"
    assert SUPPRESSED_MARKER in text
    assert text.splitlines()[-1].startswith("Total,")


def test_mugs_stats_writes_the_export_from_the_configured_store(
    tmp_path: Path,
    store_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("MUGS_HOME", str(store_home))
    monkeypatch.delenv("MUGS_DATABASE_URL", raising=False)
    assert (
        main(
            [
                "stats",
                "--out",
                str(tmp_path / "out"),
                "--since",
                "2025-01-01",
                "--until",
                "2025-12-31",
                "--threshold",
                "10",
            ]
        )
        == 0
    )
    assert "received 2025-01-01 to 2025-12-31; cells under 10 suppressed" in capsys.readouterr().out
    incident_types = pd.read_csv(tmp_path / "out" / "incident_types.csv", dtype=str)
    assert list(incident_types.columns) == ["incident_type", "2025", "Total"]
    with pytest.raises(SystemExit):
        main(["stats", "--out", str(tmp_path / "x"), "--threshold", "0"])
    assert main(["stats", "--out", str(tmp_path / "y"), "--since", "2031-01-01"]) == 2
    assert "no report was received in the period" in capsys.readouterr().err


# --- the researchers' page ------------------------------------------------------------------------


SECRET = "Zebedee Quillfeather"
"""A name planted in a sealed report: it must reach no export file and no page."""

YEAR_2025 = {"since": "2025-01-01", "until": "2025-12-31"}


def plant_sealed_text(store: Store, report_id: str) -> None:
    received = dt.datetime(2025, 6, 15, 12, 0, tzinfo=dt.UTC)
    values = {
        "report_id": report_id,
        "state": "in_review",
        "alert_state": "pending",
        "intelligence_state": "pending",
        "channel": "web",
        "received_at": received,
        "stored_at": received,
        "updated_at": received,
        "police_force": "Kent Police",
        "consent_alert": True,
        "consent_intelligence": False,
        "consent_police_contact": False,
    }
    with store.begin() as connection:
        store.insert_report(
            connection, values, {"raw": {"narrative": f"{SECRET} was there"}}, ["robbery"]
        )


@pytest.fixture(scope="module")
def research_client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from argon2 import PasswordHasher
    from fastapi.testclient import TestClient

    from pipeline.users import UserRole, add_user, set_password_hasher
    from web.app import create_app

    set_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    store = open_store(tmp_path_factory.mktemp("research") / "home")
    store_metadata_rows(store, synthetic_metadata_rows(400, seed=13))
    plant_sealed_text(store, "R-PLANTED-1")
    app = create_app(store)
    for username, role in (("rita", UserRole.RESEARCHER), ("mona", UserRole.MEMBER)):
        add_user(store.engine, username, "correct horse battery", role)

    def signed_in(username: str) -> TestClient:
        client = TestClient(app, base_url="http://127.0.0.1")
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").text)
        assert token
        form = {
            "username": username,
            "password": "correct horse battery",
            "csrf_token": token.group(1),
            "next": "/",
        }
        assert client.post("/signin", data=form, follow_redirects=False).status_code == 303
        return client

    yield signed_in, store
    store.close()


def test_the_research_page_shows_charts_tables_and_downloads(research_client: Any) -> None:
    signed_in, store = research_client
    client = signed_in("rita")
    page = client.get("/stats/research", params=YEAR_2025)
    assert page.status_code == 200
    assert "received 2025-01-01 to 2025-12-31" in page.text
    chart_link = "/stats/research/files/reports_by_month.svg?since=2025-01-01&amp;until=2025-12-31"
    assert f'src="{chart_link}"' in page.text
    chart = client.get("/stats/research/files/reports_by_month.svg", params=YEAR_2025)
    assert chart.status_code == 200
    assert chart.headers["content-type"].startswith("image/svg+xml")
    csv = client.get("/stats/research/files/incident_types.csv", params=YEAR_2025)
    assert csv.text.startswith("incident_type,2025,Total\n")
    folder = store.settings.home / "statistics" / "2025-01-01_2025-12-31"
    drawn_at = (folder / "reports_by_month.png").stat().st_mtime_ns
    assert client.get("/stats/research", params=YEAR_2025).status_code == 200
    assert (folder / "reports_by_month.png").stat().st_mtime_ns == drawn_at  # same tables: kept


def test_sealed_report_text_reaches_no_export_file_and_no_page(research_client: Any) -> None:
    signed_in, store = research_client
    page = signed_in("rita").get("/stats/research", params=YEAR_2025)
    assert page.status_code == 200 and SECRET not in page.text
    folder = store.settings.home / "statistics" / "2025-01-01_2025-12-31"
    files = sorted(folder.iterdir())
    assert len(files) == 17  # 6 CSV, 5 charts as PNG and SVG, about.txt
    for path in files:
        assert b"Zebedee" not in path.read_bytes(), path.name
    robbery = pd.read_csv(folder / "incident_types.csv", dtype=str).set_index("incident_type")
    assert robbery.loc["robbery", "2025"] != "0"  # the planted report was counted, by type only


def test_the_research_page_refuses_bad_names_bad_dates_and_members(research_client: Any) -> None:
    signed_in, _ = research_client
    client = signed_in("rita")
    assert client.get("/stats/research/files/..%2Fkeys.json").status_code == 404
    assert client.get("/stats/research/files/mugs.db").status_code == 404
    assert "Dates must be written YYYY-MM-DD" in client.get("/stats/research?since=2025-13-01").text
    assert signed_in("mona").get("/stats/research").status_code == 403


# --- PostgreSQL ----------------------------------------------------------------------------------

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.mark.postgres
def test_postgresql_and_sqlite_stores_give_the_same_tables(tmp_path: Path) -> None:
    import secrets

    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    schema = f"mugs_stats_{secrets.token_hex(6)}"
    environment = {
        "MUGS_HOME": str(tmp_path / "pg"),
        "MUGS_DATABASE_URL": POSTGRES_URL,
        "MUGS_DATABASE_SCHEMA": schema,
    }
    try:
        postgres = Store.open(load_settings(environment))
    except OperationalError:
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is unreachable")
    rows = synthetic_metadata_rows(500, seed=17)
    try:
        store_metadata_rows(postgres, rows)
        on_postgres = compute_statistics(metadata_from_store(postgres)).tables()
    finally:
        postgres.close()
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()
    sqlite = open_store(tmp_path / "sqlite")
    try:
        store_metadata_rows(sqlite, rows)
        on_sqlite = compute_statistics(metadata_from_store(sqlite)).tables()
    finally:
        sqlite.close()
    assert on_postgres.keys() == on_sqlite.keys()
    for name in on_sqlite:
        pd.testing.assert_frame_equal(on_postgres[name], on_sqlite[name], obj=name)


def test_a_period_with_no_release_publishes_empty_times_not_an_error(
    rows: list[dict[str, Any]],
) -> None:
    unreleased = [
        dict(row, released_at=None, withdrawn=False, state="in_review") for row in rows[:50]
    ]
    statistics = compute_statistics(metadata_frame(unreleased))
    times = statistics.tables()["time_to_release"]
    assert set(times["released"]) == {"0"} and set(times["median_days"]) == {""}


def test_a_hidden_grand_total_is_not_described_as_small(rows: list[dict[str, Any]]) -> None:
    statistics = compute_statistics(metadata_frame(rows[:3]))
    assert statistics.report_count is None
    assert "a suppressed number of reports" in statistics.source_line()
