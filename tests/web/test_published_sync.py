"""One malformed released alert never stops the web app, the feed or ``mugs check``.

Before edits were limited to texts, a caseworker could replace a whole channel with a string (and
approval let it through); such approvals may still be in a store. They are skipped, logged by
report id only, and everything else is published.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select

from pipeline import review
from pipeline.checker import publish_alert, published_report_ids, released_alerts
from pipeline.cli import main
from pipeline.store import Store, utc_now
from web.app import create_app
from web.casework import PublishedSync, sync_published

LEGACY_TEXT = "Replaced by a caseworker: bare text where the email was"


def _release(store: Store, report_id: str) -> None:
    review.approve(store, report_id, "casey", ["alert", "intelligence"])
    review.mark_released(store, report_id, "release-flow")


def _release_malformed(store: Store, report_id: str) -> None:
    """Release *report_id* with an approved alert whose channels are bare strings (old edits)."""
    review.approve(store, report_id, "casey", ["alert", "intelligence"])
    alert = review.approved_outputs(store, report_id)["alert"]
    malformed = {**alert, "email": LEGACY_TEXT, "feed": LEGACY_TEXT, "headline": {"blocked": []}}
    with store.begin() as connection:
        store.delete_approvals(connection, report_id)
        store.add_approval(connection, report_id, "alert", "casey", malformed, utc_now())
    review.mark_released(store, report_id, "release-flow")


def test_publish_alert_reads_malformed_parts_as_missing(store: Store) -> None:
    from pipeline.checker import ensure_checker_tables

    ensure_checker_tables(store.engine)
    release = {
        "alert": {"headline": {"blocked": ["x"]}, "feed": LEGACY_TEXT, "email": LEGACY_TEXT},
        "incident": "not a mapping",
        "offenders": {"blocked": ["blocked: a reporter phone was found"]},
    }
    assert publish_alert(store.engine, "R-LEGACY", release, dt.datetime.now(dt.UTC)) == 0
    with store.engine.connect() as connection:
        row = connection.execute(select(released_alerts)).one()
    assert (row.report_id, row.headline, row.feed_html, row.area) == ("R-LEGACY", "Alert", "", None)


def test_the_app_starts_and_publishes_the_rest_when_one_alert_is_malformed(
    store: Store, client_for, caplog
) -> None:
    _release(store, "R-WEB-0001")
    _release_malformed(store, "R-WEB-0002")
    caplog.set_level(logging.INFO)

    app = create_app(store, sync_interval=0.0)  # syncs at start

    assert published_report_ids(store.engine) >= {"R-WEB-0001"}
    assert app.state.published.failed <= {"R-WEB-0002"}
    page = client_for("mona").get("/feed")
    assert page.status_code == 200 and "Leeds" in page.text
    assert LEGACY_TEXT not in caplog.text


def test_an_alert_that_cannot_be_published_is_skipped_logged_by_id_and_not_retried(
    store: Store, monkeypatch, caplog
) -> None:
    _release(store, "R-WEB-0001")
    _release(store, "R-WEB-0002")

    def broken(engine, report_id, release, released_at):  # noqa: ANN001, ANN202
        if report_id == "R-WEB-0002":
            raise KeyError(LEGACY_TEXT)  # an exception whose message quotes stored text
        return publish_alert(engine, report_id, release, released_at)

    monkeypatch.setattr("web.casework.publish_alert", broken)
    caplog.set_level(logging.INFO)
    sync = PublishedSync(store, interval=0.0)
    sync.now()
    sync.now()

    assert published_report_ids(store.engine) == {"R-WEB-0001"}
    assert sync.failed == {"R-WEB-0002"}
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == ["feed sync: report R-WEB-0002 not published (KeyError); it is skipped"]
    assert LEGACY_TEXT not in caplog.text
    assert sync_published(store) == (0, 0)  # a fresh set tries it again, and still goes on


def test_mugs_check_works_with_a_malformed_released_alert(store: Store, monkeypatch, capsys):
    monkeypatch.setenv("MUGS_HOME", str(store.settings.home))
    _release(store, "R-WEB-0001")
    _release_malformed(store, "R-WEB-0002")
    assert main(["check", "07700 900461"]) == 1
    assert "released alert(s) mention this" in capsys.readouterr().out
