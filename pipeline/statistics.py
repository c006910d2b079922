"""Statistics for advocacy: counts, consent shares and time to release, with disclosure control.

Everything is computed from a frame of non-identifying metadata, one row per report (the columns of
:data:`METADATA_COLUMNS`), read from the store's plain columns by :func:`metadata_from_store`; no
sealed value is ever opened. What counts (see the README, "Statistics for advocacy"):

- a report counts as *received* in the month and year it reached the scheme (UTC), whatever
  happened to it later; a **withdrawn** alert still counts as received (the harm happened) but not
  as released;
- a report counts as *released* when its alert was released and has not been withdrawn;
- an **erased** member's report counts only if something was released for it, and then only with
  what was released (month, incident types, police force area): its setting and consent answers
  count as "not recorded". An erased report with nothing released is not counted at all.

Every count table goes through :func:`pipeline.disclosure.protect`; the number of reports in a year
appears in several tables and is hidden in all of them or in none.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import textwrap
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import insert, select

from pipeline.disclosure import (
    DEFAULT_THRESHOLD,
    SUPPRESSED_MARKER,
    TOTAL,
    ProtectedTable,
    protect,
)
from pipeline.errors import MugsError
from pipeline.police_forces import POLICE_FORCES, recognised_force
from pipeline.report import IncidentType, Setting
from pipeline.store import Store, as_utc, audit_log, report_types, reports, utc_now

logger = logging.getLogger(__name__)

METADATA_COLUMNS = (
    "report_id",
    "received_at",
    "incident_date",
    "incident_types",
    "police_force",
    "setting",
    "consent_alert",
    "consent_intelligence",
    "consent_police_contact",
    "state",
    "released_at",
    "withdrawn",
    "erased",
)
"""The columns of a metadata frame: nothing in them identifies anyone."""

NOT_RECORDED = "(not recorded)"
UNRECOGNISED_FORCE = "(not a UK police force name)"
"""Where a police force the intake form did not name lands: free text is never a published label."""
CONSENT_KINDS = ("alert", "intelligence", "police_contact")
CONSENT_ANSWERS = ("yes", "no", "not recorded")
RELEASE_COLUMNS = ("released", "not released")
ALL_YEARS = "all years"
"""Key of the grand total (every report in the period) among the linked totals."""

DEFAULT_SOURCE = "National Ugly Mugs reports"
"""Named by the source line under every chart and at the top of about.txt."""

SHARE_FORMAT = "{:.1f}"
DAYS_FORMAT = "{:.1f}"
TIME_COLUMNS = ("median_days", "q1_days", "q3_days")


class StatisticsError(MugsError):
    """Statistics cannot be computed: a bad period, threshold or metadata frame."""


@dataclass(frozen=True, slots=True)
class Period:
    """The reports counted: received from *since* to *until*, both days included (UTC)."""

    since: dt.date | None = None
    until: dt.date | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise StatisticsError(f"--since {self.since} is after --until {self.until}")

    def select(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of *frame* received in the period."""
        day = frame["received_at"].dt.tz_convert("UTC").dt.date
        keep = pd.Series(True, index=frame.index)
        if self.since:
            keep &= day >= self.since
        if self.until:
            keep &= day <= self.until
        return frame[keep]


# --- the metadata frame --------------------------------------------------------------------------


def metadata_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """A metadata frame from plain rows (dicts with the keys of :data:`METADATA_COLUMNS`)."""
    frame = pd.DataFrame.from_records(list(rows), columns=list(METADATA_COLUMNS))
    missing = [name for name in METADATA_COLUMNS if name not in frame.columns]
    if missing:
        raise StatisticsError(f"metadata rows lack the column(s) {missing}")
    return frame.assign(
        received_at=pd.to_datetime(frame["received_at"], utc=True),
        released_at=pd.to_datetime(frame["released_at"], utc=True),
        incident_types=frame["incident_types"].map(lambda kinds: tuple(kinds or ())),
        withdrawn=frame["withdrawn"].fillna(False).astype(bool),
        erased=frame["erased"].fillna(False).astype(bool),
    ).sort_values("report_id", ignore_index=True)


def counting_basis(frame: pd.DataFrame) -> pd.DataFrame:
    """The reports that count, with the columns every table is computed from (rules above)."""
    counted = frame[~frame["erased"] | frame["released_at"].notna()]
    erased = counted["erased"]
    received = counted["received_at"].dt.tz_convert("UTC")
    released = counted["released_at"].notna() & ~counted["withdrawn"]
    days = (counted["released_at"] - counted["received_at"]).dt.total_seconds() / 86_400
    return counted.assign(
        year=received.dt.strftime("%Y"),
        month=received.dt.strftime("%Y-%m"),
        released=released,
        release=np.where(released, RELEASE_COLUMNS[0], RELEASE_COLUMNS[1]),
        days_to_release=days.where(released),
        police_force=_police_forces(counted["police_force"]),
        setting=_settings(counted["setting"].where(~erased)),
        **{
            f"consent_{kind}": _answer(counted[f"consent_{kind}"], erased) for kind in CONSENT_KINDS
        },
    )


def _police_forces(values: pd.Series) -> pd.Series:
    """Known force names as the form writes them; anything else in one bucket, never as a label."""

    def name(value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            return NOT_RECORDED
        return recognised_force(value) or UNRECOGNISED_FORCE

    return values.map(name).astype(object)


def _settings(values: pd.Series) -> pd.Series:
    known = {setting.value for setting in Setting}
    return values.map(lambda value: value if value in known else NOT_RECORDED).astype(object)


def _answer(consent: pd.Series, erased: pd.Series) -> pd.Series:
    answers = np.select(
        [erased | consent.isna(), consent.fillna(False).astype(bool)],
        [CONSENT_ANSWERS[2], CONSENT_ANSWERS[0]],
        default=CONSENT_ANSWERS[1],
    )
    return pd.Series(answers, index=consent.index, dtype=object)


# --- raw count tables (no margins, nothing hidden yet) -------------------------------------------


def _crosstab(
    basis: pd.DataFrame, row: str, column: str, rows: list[str], columns: list[str]
) -> pd.DataFrame:
    counts = (
        basis.groupby([row, column])
        .size()
        .unstack(column, fill_value=0)
        .reindex(index=rows, columns=columns, fill_value=0)
        .astype("int64")
    )
    counts.index.name, counts.columns.name = row, None
    return counts


def incident_type_counts(basis: pd.DataFrame, years: list[str]) -> pd.DataFrame:
    """Reports mentioning each incident type, by year (a report with two types counts in both)."""
    mentions = basis[["year", "incident_types"]].explode("incident_types").dropna()
    return _crosstab(
        mentions.rename(columns={"incident_types": "incident_type"}),
        "incident_type",
        "year",
        [kind.value for kind in IncidentType],
        years,
    )


def police_force_counts(basis: pd.DataFrame, years: list[str]) -> pd.DataFrame:
    """Reports by police force area (every UK force, then unrecognised, not recorded) and year."""
    forces = [*sorted(POLICE_FORCES), UNRECOGNISED_FORCE, NOT_RECORDED]
    return _crosstab(basis, "police_force", "year", forces, years)


def setting_counts(basis: pd.DataFrame, years: list[str]) -> pd.DataFrame:
    """Reports by setting (the intake vocabulary, not recorded last) and year."""
    settings = [setting.value for setting in Setting] + [NOT_RECORDED]
    return _crosstab(basis, "setting", "year", settings, years)


def consent_counts(basis: pd.DataFrame, kind: str, years: list[str]) -> pd.DataFrame:
    """Reports by year and answer (yes, no, not recorded) to one consent question."""
    column = f"consent_{kind}"
    return _crosstab(basis, "year", column, years, list(CONSENT_ANSWERS)).rename_axis("year")


def release_counts(basis: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    """Reports by month received and whether their alert is released (and not withdrawn)."""
    return _crosstab(basis, "month", "release", months, list(RELEASE_COLUMNS))


def release_times(basis: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    """Days from receipt to release of released alerts: quartiles by month received."""
    released = basis[basis["released"]]
    if released.empty:
        months_index = pd.Index(months, name="month")
        return pd.DataFrame(np.nan, index=months_index, columns=list(TIME_COLUMNS))
    return (
        released.groupby("month")["days_to_release"]
        .quantile([0.25, 0.5, 0.75])
        .unstack()
        .set_axis(["q1_days", "median_days", "q3_days"], axis=1)[list(TIME_COLUMNS)]
        .reindex(months)
        .rename_axis("month")
    )


# --- protected statistics -------------------------------------------------------------------------


@dataclass(frozen=True)
class Statistics:
    """Every table of one export, protected, and what the source line says."""

    period: Period
    threshold: int
    years: list[str]
    months: list[str]
    incident_types: ProtectedTable
    police_forces: ProtectedTable
    settings: ProtectedTable
    consent: dict[str, ProtectedTable]
    releases: dict[str, ProtectedTable]
    release_times: pd.DataFrame
    hidden_year_totals: frozenset[str] = field(default_factory=frozenset)
    source: str = DEFAULT_SOURCE

    @property
    def report_count(self) -> int | None:
        """Reports counted in the period, or None when that number is hidden."""
        return self.police_forces.value(TOTAL, TOTAL)

    def source_line(self) -> str:
        """The line printed under every chart: source, reports, dates, threshold."""
        count = self.report_count
        reports = f"{count:,} reports" if count is not None else "a suppressed number of reports"
        span = _span(self.period, self.months)
        return (
            f"Source: {self.source}, {reports}, received {span}; "
            f"cells under {self.threshold} suppressed (with secondary suppression)."
        )

    def tables(self) -> dict[str, pd.DataFrame]:
        """The published tables by export name, hidden values written as the marker."""
        return {
            "incident_types": _published(self.incident_types, "incident_type"),
            "police_force_areas": _published(self.police_forces, "police_force"),
            "settings": _published(self.settings, "setting"),
            "reports_by_month": self._months_table(),
            "consent_by_year": self._consent_table(),
            "time_to_release": self._times_table(),
        }

    def _months_table(self) -> pd.DataFrame:
        rows = [
            {
                "month": month,
                "received": shown.loc[month, TOTAL],
                "released": shown.loc[month, RELEASE_COLUMNS[0]],
                "not_released": shown.loc[month, RELEASE_COLUMNS[1]],
            }
            for shown in (table.published() for table in self.releases.values())
            for month in shown.index.drop(TOTAL)
        ]
        return pd.DataFrame(rows, columns=["month", "received", "released", "not_released"])

    def _consent_table(self) -> pd.DataFrame:
        first = next(iter(self.consent.values()))
        table = pd.DataFrame({"year": list(first.counts.index)})
        table["reports"] = first.published()[TOTAL].to_list()
        for kind, protected in self.consent.items():
            shown = protected.published()
            for answer in CONSENT_ANSWERS:
                table[f"{kind}_{answer.replace(' ', '_')}"] = shown[answer].to_list()
            table[f"{kind}_share_pct"] = [
                _share(protected, year) for year in protected.counts.index
            ]
        return table

    def released_in(self, month: str) -> int | None:
        """Alerts released (and not withdrawn) for reports received in *month*; None if hidden."""
        return self.releases[month[:4]].value(month, RELEASE_COLUMNS[0])

    def _times_table(self) -> pd.DataFrame:
        rows = []
        for month, quartiles in self.release_times.iterrows():
            released = self.released_in(str(month))
            if released is None:
                days = [SUPPRESSED_MARKER] * 3
            elif released == 0:
                days = [""] * 3
            else:
                days = [DAYS_FORMAT.format(quartiles[name]) for name in TIME_COLUMNS]
            shown = SUPPRESSED_MARKER if released is None else str(released)
            rows.append([month, shown, *days])
        return pd.DataFrame(rows, columns=["month", "released", *TIME_COLUMNS])


def _published(table: ProtectedTable, label: str) -> pd.DataFrame:
    return table.published().rename_axis(label).reset_index()


def _share(table: ProtectedTable, row: str) -> str:
    """Share answering yes among yes and no, in percent; hidden when either count is hidden."""
    yes, no = table.value(row, "yes"), table.value(row, "no")
    if yes is None or no is None:
        return SUPPRESSED_MARKER
    return SHARE_FORMAT.format(100 * yes / (yes + no)) if yes + no else ""


def _span(period: Period, months: list[str]) -> str:
    start = period.since.isoformat() if period.since else _month_name(months[0]) if months else "?"
    end = period.until.isoformat() if period.until else _month_name(months[-1]) if months else "?"
    return f"{start} to {end}"


def _month_name(month: str) -> str:
    return dt.datetime.strptime(month, "%Y-%m").strftime("%B %Y")


def _period_months(basis: pd.DataFrame, period: Period) -> list[str]:
    received = basis["month"]
    first = period.since.strftime("%Y-%m") if period.since else received.min()
    last = period.until.strftime("%Y-%m") if period.until else received.max()
    if pd.isna(first) or pd.isna(last):
        return []
    return [month.strftime("%Y-%m") for month in pd.period_range(first, last, freq="M")]


def compute_statistics(
    frame: pd.DataFrame,
    period: Period | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    *,
    source: str = DEFAULT_SOURCE,
) -> Statistics:
    """Every protected table for the reports of *frame* received in *period*."""
    period = period or Period()
    basis = counting_basis(period.select(frame))
    months = _period_months(basis, period)
    years = sorted({month[:4] for month in months})
    if basis.empty or not years:
        raise StatisticsError("no report was received in the period; nothing to count")
    raw = {
        "incident_types": incident_type_counts(basis, years),
        "police_forces": police_force_counts(basis, years),
        "settings": setting_counts(basis, years),
        **{f"consent_{kind}": consent_counts(basis, kind, years) for kind in CONSENT_KINDS},
        **{
            f"releases_{year}": release_counts(basis, [m for m in months if m.startswith(year)])
            for year in years
        },
    }
    protected, hidden_years = _protect_linked(raw, years, threshold)
    logger.info(
        "statistics: %d reports counted, %d year totals hidden", len(basis), len(hidden_years)
    )
    return Statistics(
        period=period,
        threshold=threshold,
        years=years,
        months=months,
        incident_types=protected["incident_types"],
        police_forces=protected["police_forces"],
        settings=protected["settings"],
        consent={kind: protected[f"consent_{kind}"] for kind in CONSENT_KINDS},
        releases={year: protected[f"releases_{year}"] for year in years},
        release_times=release_times(basis, months),
        hidden_year_totals=frozenset(hidden_years),
        source=source,
    )


def _linked_positions(name: str, years: list[str]) -> dict[str, tuple[str, str]]:
    """Where each linked total (reports in a year, reports in all years) sits in table *name*."""
    if name in ("police_forces", "settings"):
        return {**{year: (TOTAL, year) for year in years}, ALL_YEARS: (TOTAL, TOTAL)}
    if name.startswith("consent_"):
        return {**{year: (year, TOTAL) for year in years}, ALL_YEARS: (TOTAL, TOTAL)}
    if name.startswith("releases_"):
        return {name.removeprefix("releases_"): (TOTAL, TOTAL)}
    return {}


def _protect_linked(
    raw: dict[str, pd.DataFrame], years: list[str], threshold: int
) -> tuple[dict[str, ProtectedTable], set[str]]:
    """Protect every table; a linked total hidden in one is hidden in all, to a fixed point."""
    hidden: set[str] = set()
    while True:
        protected = {}
        for name, counts in raw.items():
            positions = _linked_positions(name, years)
            forced = [positions[key] for key in sorted(hidden) if key in positions]
            protected[name] = protect(counts, threshold, forced=forced)
        now_hidden = {
            key
            for name, table in protected.items()
            for key, (row, column) in _linked_positions(name, years).items()
            if table.is_hidden(row, column)
        }
        if now_hidden <= hidden:
            return protected, hidden
        hidden |= now_hidden


# --- reading the store ---------------------------------------------------------------------------

ERASURE_ACTION = "erase_member"
"""The audit action :func:`pipeline.retention.erase_member` records for each report it reduces."""


def metadata_from_store(store: Store) -> pd.DataFrame:
    """The metadata frame of every stored report, from plain columns only (nothing is unsealed)."""
    columns = [
        reports.c[name]
        for name in (
            "report_id",
            "state",
            "received_at",
            "incident_date",
            "police_force",
            "setting",
            "consent_alert",
            "consent_intelligence",
            "consent_police_contact",
            "released_at",
            "withdrawn_at",
        )
    ]
    with store.begin() as connection:
        rows = connection.execute(select(*columns)).all()
        types: dict[str, list[str]] = {}
        for report_id, kind in connection.execute(
            select(report_types.c.report_id, report_types.c.incident_type)
        ):
            types.setdefault(report_id, []).append(kind)
        erased = set(
            connection.execute(
                select(audit_log.c.report_id).where(
                    audit_log.c.action == ERASURE_ACTION, audit_log.c.report_id.is_not(None)
                )
            ).scalars()
        )
    logger.info("statistics: read metadata of %d stored reports", len(rows))
    return metadata_frame(
        {
            **row._asdict(),
            "received_at": as_utc(row.received_at),
            "released_at": as_utc(row.released_at),
            "incident_types": tuple(sorted(types.get(row.report_id, ()))),
            "withdrawn": row.withdrawn_at is not None or row.state == "withdrawn",
            "erased": row.report_id in erased,
        }
        for row in rows
    )


def store_metadata_rows(store: Store, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert metadata rows as reports with no text at all (tests, example charts); how many."""
    now = utc_now()
    values = [
        {
            "report_id": row["report_id"],
            "version": 1,
            "state": str(row["state"]),
            "alert_state": "approved" if row["released_at"] is not None else "pending",
            "intelligence_state": "pending",
            "channel": "web",
            "received_at": row["received_at"],
            "stored_at": now,
            "updated_at": now,
            "incident_date": row["incident_date"],
            "police_force": row["police_force"],
            "setting": row["setting"],
            "consent_alert": row["consent_alert"],
            "consent_intelligence": row["consent_intelligence"],
            "consent_police_contact": row["consent_police_contact"],
            "released_at": row["released_at"],
            "withdrawn_at": row["released_at"] if row["withdrawn"] else None,
            "member_ref": row.get("member_ref"),
        }
        for row in rows
    ]
    types = [
        {"report_id": row["report_id"], "incident_type": kind}
        for row in rows
        for kind in dict.fromkeys(row["incident_types"])
    ]
    with store.begin() as connection:  # one statement per table: 5,000 reports in a second
        if values:
            connection.execute(insert(reports), values)
        if types:
            connection.execute(insert(report_types), types)
    return len(values)


# --- the researchers' page ------------------------------------------------------------------------


@dataclass(frozen=True)
class ResearcherSummary:
    """What the researchers' page shows: published tables, chart and CSV file names, source line."""

    tables: dict[str, pd.DataFrame]
    charts: list[str]
    files: list[str]
    source_line: str
    threshold: int
    period: Period


def researcher_summary(
    store: Store,
    out_dir: Path,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    reuse: bool = False,
) -> ResearcherSummary:
    """Compute the protected statistics from *store*, write the export to *out_dir*, summarise it.

    With *reuse*, an export already in *out_dir* with the same tables is kept (charts are drawn
    from the tables and the source line only, so they would come out the same).
    """
    statistics = compute_statistics(metadata_from_store(store), Period(since, until), threshold)
    files = _current_export(statistics, out_dir) if reuse else None
    if files is None:
        files = write_export(statistics, out_dir)
    return ResearcherSummary(
        tables=statistics.tables(),
        charts=[f"{name}.svg" for name in CHART_NAMES],
        files=files,
        source_line=statistics.source_line(),
        threshold=threshold,
        period=statistics.period,
    )


def _current_export(statistics: Statistics, out_dir: Path) -> list[str] | None:
    """The files of an export in *out_dir* that *statistics* would rewrite the same, or None."""
    about = out_dir / "about.txt"
    if not about.is_file():
        return None
    texts = csv_texts(statistics)
    charts = [f"{name}.{extension}" for name in CHART_NAMES for extension in CHART_FORMATS]
    names = sorted([*texts, *charts, about.name])
    if about.read_text(encoding="utf-8") != _about(
        statistics, [n for n in names if n != about.name]
    ):
        return None
    for name, text in texts.items():
        path = out_dir / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            return None
    if not all((out_dir / name).is_file() for name in charts):
        return None
    return names


# --- synthetic metadata, for tests and the example charts ----------------------------------------


def synthetic_metadata_rows(
    count: int, seed: int = 7, start: dt.date = dt.date(2024, 1, 1), days: int = 1_035
) -> list[dict[str, Any]]:
    """*count* invented metadata rows (no text at all), reproducible from *seed*."""
    rng = np.random.default_rng(seed)
    kinds = rng.permutation(np.array([kind.value for kind in IncidentType]))
    forces = rng.permutation(np.array(POLICE_FORCES))
    settings = np.array([setting.value for setting in Setting])
    minutes = rng.integers(days * 1_440, size=count)
    states = rng.choice(
        ["released", "in_review", "rejected", "withdrawn"], size=count, p=[0.7, 0.15, 0.1, 0.05]
    )
    hours_to_release = rng.gamma(2.0, 20.0, size=count)
    days_before = rng.integers(0, 10, size=count)
    type_counts = rng.integers(0, 4, size=count)
    types = rng.choice(kinds, size=(count, 3), p=_weights(rng, len(kinds)))
    force = rng.choice(forces, size=count, p=_weights(rng, len(forces), tail=0.0008))
    setting = rng.choice(settings, size=count)
    missing_force, missing_setting = rng.random(count) < 0.05, rng.random(count) < 0.03
    consent = rng.random((count, 3)) < np.array([0.9, 0.6, 0.25])
    origin = dt.datetime.combine(start, dt.time(), dt.UTC)
    rows = []
    for number in range(count):
        received = origin + dt.timedelta(minutes=int(minutes[number]))
        state = str(states[number])
        released = received + dt.timedelta(hours=float(hours_to_release[number]))
        rows.append(
            {
                "report_id": f"R-SYN-{number:06d}",
                "received_at": received,
                "incident_date": (received - dt.timedelta(days=int(days_before[number]))).date(),
                "incident_types": tuple(
                    sorted({str(kind) for kind in types[number, : type_counts[number]]})
                ),
                "police_force": None if missing_force[number] else str(force[number]),
                "setting": None if missing_setting[number] else str(setting[number]),
                "consent_alert": bool(consent[number, 0]),
                "consent_intelligence": bool(consent[number, 1]),
                "consent_police_contact": bool(consent[number, 2]),
                "state": state,
                "released_at": released if state in ("released", "withdrawn") else None,
                "withdrawn": state == "withdrawn",
                "erased": False,
            }
        )
    return rows


def _weights(rng: np.random.Generator, size: int, tail: float = 0.01) -> np.ndarray:
    """Falling weights, the last two tiny, so some cells are small."""
    weights = np.sort(rng.gamma(1.5, 1.0, size))[::-1]
    weights = weights / weights[:-2].sum() * (1 - 2 * tail)
    weights[-2:] = tail
    return weights / weights.sum()


# --- exports: CSV files and charts ----------------------------------------------------------------

CHART_SALT = "mugs-statistics"
"""Fixed salt for the ids matplotlib writes into SVG files, so the same data gives the same file."""

CHART_STYLE = {
    "svg.hashsalt": CHART_SALT,
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
}
CHART_COLOURS = ("#3b5b92", "#d9822b", "#5a9e6f")
CHART_FORMATS = ("png", "svg")
CHART_NAMES = (
    "reports_by_month",
    "incident_types",
    "police_force_areas",
    "consent_by_year",
    "time_to_release",
)
CHART_FORCES = 15
"""Police force areas drawn in the chart (most reports first); the CSV has them all."""
CHART_METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}}


def csv_texts(statistics: Statistics) -> dict[str, str]:
    """Every published table as CSV text by file name (sorted rows, fixed formats, LF endings)."""
    return {
        f"{name}.csv": table.to_csv(index=False, lineterminator="\n")
        for name, table in statistics.tables().items()
    }


def _replace_file(path: Path, data: bytes) -> None:
    """Write *path* whole or not at all: a page reading it never sees half a chart."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def write_tables(statistics: Statistics, out_dir: Path) -> list[str]:
    """Write every published table as ``<name>.csv``; the file names."""
    texts = csv_texts(statistics)
    for name, text in texts.items():
        _replace_file(out_dir / name, text.encode("utf-8"))
    return list(texts)


def write_charts(statistics: Statistics, out_dir: Path) -> list[str]:
    """Draw the main series as PNG and SVG from the *published* values only; the file names."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    tables = statistics.tables()
    source = statistics.source_line()
    # Fixed margins (left, right) per chart: constrained layout costs more than the drawing itself.
    drawings = {
        "reports_by_month": (_draw_months, 0.08),
        "incident_types": (_draw_incident_types, 0.26),
        "police_force_areas": (_draw_police_forces, 0.3),
        "consent_by_year": (_draw_consent, 0.08),
        "time_to_release": (_draw_release_times, 0.08),
    }
    names = []
    with rc_context(CHART_STYLE):  # type: ignore[arg-type]
        for name in CHART_NAMES:
            draw, left = drawings[name]
            figure = Figure(figsize=(8, 4.5), dpi=100)
            figure.subplots_adjust(left=left, right=0.97, top=0.9, bottom=0.25)
            draw(figure, tables[name])
            figure.text(
                0.01,
                0.015,
                textwrap.fill(source, 150),
                fontsize=7,
                color="#555555",
                ha="left",
                va="bottom",
            )
            for extension in CHART_FORMATS:
                path = out_dir / f"{name}.{extension}"
                drawn = io.BytesIO()
                figure.savefig(drawn, format=extension, metadata=CHART_METADATA[extension])
                _replace_file(path, drawn.getvalue())
                names.append(path.name)
    return names


def _numbers(values: pd.Series) -> pd.Series:
    """Published text as numbers; a hidden or empty value becomes NaN (a gap, never a guess)."""
    return pd.to_numeric(values.replace({SUPPRESSED_MARKER: np.nan, "": np.nan}), errors="coerce")


def _hidden_note(count: int, what: str) -> str:
    return f" ({count} {what} suppressed)" if count else ""


def _draw_months(figure: Any, table: pd.DataFrame) -> None:
    axes = figure.subplots()
    positions = np.arange(len(table))
    received, released = _numbers(table["received"]), _numbers(table["released"])
    axes.bar(positions, received.fillna(0), color=CHART_COLOURS[0], label="received")
    axes.plot(
        positions,
        released,
        color=CHART_COLOURS[1],
        marker="o",
        markersize=3,
        label="alert released (not withdrawn)",
    )
    ticks = positions[:: max(1, len(positions) // 12)]
    axes.set_xticks(ticks, [table["month"].iloc[i] for i in ticks], rotation=45, ha="right")
    axes.set_xlabel("Month the report was received")
    axes.set_ylabel("Reports")
    axes.set_title(
        "Reports received and alerts released, by month"
        + _hidden_note(int(received.isna().sum()), "months")
    )
    axes.set_ylim(0, max(1.0, float(received.max(skipna=True) or 0)) * 1.25)
    axes.legend(frameon=False, loc="upper right", ncol=2)


def _draw_incident_types(figure: Any, table: pd.DataFrame) -> None:
    axes = figure.subplots()
    rows = (
        table[table["incident_type"] != TOTAL]
        .assign(number=lambda frame: _numbers(frame[TOTAL]))
        .sort_values("number", ascending=False, kind="stable", na_position="last")
    )
    totals = rows["number"]
    labels = rows["incident_type"].str.replace("_", " ")
    positions = np.arange(len(rows))[::-1]
    axes.barh(positions, totals.fillna(0), color=CHART_COLOURS[0])
    axes.set_yticks(positions, labels)
    for position, value in zip(positions, rows[TOTAL], strict=True):
        if value == SUPPRESSED_MARKER:
            axes.text(0, position, " " + SUPPRESSED_MARKER, va="center", fontsize=7)
    axes.set_xlabel("Reports mentioning the type (a report can mention several)")
    axes.set_title("Incident types reported, most frequent first")


def _draw_police_forces(figure: Any, table: pd.DataFrame) -> None:
    axes = figure.subplots()
    areas = (
        table[~table["police_force"].isin([TOTAL, NOT_RECORDED, UNRECOGNISED_FORCE])]
        .assign(number=lambda frame: _numbers(frame[TOTAL]))
        .query("number != 0")
        .sort_values("number", ascending=False, kind="stable", na_position="last")
    )
    shown = areas.head(CHART_FORCES)
    positions = np.arange(len(shown))[::-1]
    axes.barh(positions, shown["number"].fillna(0), color=CHART_COLOURS[0])
    axes.set_yticks(positions, shown["police_force"])
    for position, value in zip(positions, shown[TOTAL], strict=True):
        if value == SUPPRESSED_MARKER:
            axes.text(0, position, " " + SUPPRESSED_MARKER, va="center", fontsize=7)
    more = len(areas) - len(shown)
    more_note = f" ({more} more areas in police_force_areas.csv)" if more > 0 else ""
    axes.set_xlabel("Reports" + more_note)
    axes.set_title("Reports by police force area, most first")


def _draw_consent(figure: Any, table: pd.DataFrame) -> None:
    axes = figure.subplots()
    years = table[table["year"] != TOTAL]
    positions = np.arange(len(years))
    width = 0.8 / len(CONSENT_KINDS)
    labels = {
        "alert": "an alert to members",
        "intelligence": "intelligence sharing (SCAS)",
        "police_contact": "help to contact the police",
    }
    for index, kind in enumerate(CONSENT_KINDS):
        shares = _numbers(years[f"{kind}_share_pct"])
        axes.bar(
            positions + (index - 1) * width,
            shares.fillna(0),
            width,
            color=CHART_COLOURS[index],
            label=labels[kind],
        )
    axes.set_xticks(positions, years["year"])
    axes.set_ylim(0, 100)
    axes.set_xlabel("Year the report was received")
    axes.set_ylabel("Reports consenting (%)")
    axes.set_title("Share of reports with consent, by year")
    axes.set_ylim(0, 115)
    axes.set_yticks(range(0, 101, 20))
    axes.legend(frameon=False, loc="upper center", ncol=3)


def _draw_release_times(figure: Any, table: pd.DataFrame) -> None:
    axes = figure.subplots()
    positions = np.arange(len(table))
    median = _numbers(table["median_days"])
    axes.fill_between(
        positions,
        _numbers(table["q1_days"]),
        _numbers(table["q3_days"]),
        color=CHART_COLOURS[0],
        alpha=0.25,
        linewidth=0,
        label="middle half (quartiles)",
    )
    axes.plot(positions, median, color=CHART_COLOURS[0], marker="o", markersize=3, label="median")
    ticks = positions[:: max(1, len(positions) // 12)]
    axes.set_xticks(ticks, [table["month"].iloc[i] for i in ticks], rotation=45, ha="right")
    axes.set_ylim(bottom=0)
    axes.set_xlabel("Month the report was received")
    axes.set_ylabel("Days from report to release")
    axes.set_title(
        "Time from report to released alert" + _hidden_note(int(median.isna().sum()), "months")
    )
    axes.legend(frameon=False, loc="upper left")


def write_export(statistics: Statistics, out_dir: Path) -> list[str]:
    """Write the tables, charts and an ``about.txt`` into *out_dir*; the file names, sorted."""
    out_dir.mkdir(parents=True, exist_ok=True)
    names = write_tables(statistics, out_dir) + write_charts(statistics, out_dir)
    about = out_dir / "about.txt"
    _replace_file(about, _about(statistics, names).encode("utf-8"))
    return sorted([*names, about.name])


def _about(statistics: Statistics, names: list[str]) -> str:
    period = statistics.period
    return "\n".join(
        [
            "Ugly Mugs statistics export",
            statistics.source_line(),
            f"since: {period.since.isoformat() if period.since else 'first report'}",
            f"until: {period.until.isoformat() if period.until else 'last report'}",
            f"threshold: counts from 1 to {statistics.threshold - 1} are suppressed, with enough "
            "further cells that none can be worked back from the totals",
            f"suppressed values are written {SUPPRESSED_MARKER}; an empty share or time means "
            "nothing to compute",
            "files: " + ", ".join(sorted(names)),
            "",
        ]
    )
