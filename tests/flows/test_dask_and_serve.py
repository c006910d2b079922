"""Scale-out and schedules: drafting on a local Dask cluster; what ``mugs serve`` starts."""

from __future__ import annotations

import os
import threading
import time

import pytest
from inbox_reports import corpus_reports, write_inbox

from pipeline.cli import main
from pipeline.errors import ConfigError


def test_sanitise_drafts_each_report_on_a_local_dask_cluster(
    prefect_home, mugs_home, store, tmp_path, monkeypatch
):
    import flows.sanitise
    from flows.sanitise import run_sanitise

    monkeypatch.setenv("MUGS_TASK_RUNNER", "dask")
    monkeypatch.setenv("MUGS_TASK_WORKERS", "2")
    monkeypatch.setenv("MUGS_DASK_PROCESSES", "0")  # in-process workers: the test stays fast
    # Dask serialises each task, so the spy writes to a file rather than to a list in this test.
    seen = tmp_path / "threads.txt"
    real_draft_pending = flows.sanitise.draft_pending

    def drafting_on(*args, **kwargs):
        with open(seen, "a", encoding="utf-8") as record:
            record.write(threading.current_thread().name + "\n")
        return real_draft_pending(*args, **kwargs)

    monkeypatch.setattr(flows.sanitise, "draft_pending", drafting_on)
    write_inbox(tmp_path / "inbox", "three.jsonl", corpus_reports(3))

    totals = run_sanitise(inbox=str(tmp_path / "inbox"))

    assert (totals["stored"], totals["drafted"], totals["failed"]) == (3, 3, 0)
    threads = seen.read_text(encoding="utf-8").splitlines()
    assert len(threads) == 3
    assert all("Dask-Default-Threads" in name for name in threads), threads
    with store.begin() as connection:
        assert len(store.report_ids(connection, state="in_review")) == 3


def test_the_task_runner_setting_is_checked():
    from prefect.task_runners import ThreadPoolTaskRunner
    from prefect_dask import DaskTaskRunner

    from flows.runtime import task_runner

    assert isinstance(task_runner({}), ThreadPoolTaskRunner)
    remote = task_runner({"MUGS_TASK_RUNNER": "dask", "MUGS_DASK_ADDRESS": "tcp://10.0.0.5:8786"})
    assert isinstance(remote, DaskTaskRunner) and remote.address == "tcp://10.0.0.5:8786"
    with pytest.raises(ConfigError, match="MUGS_TASK_RUNNER: 'ray' is not one of thread, dask"):
        task_runner({"MUGS_TASK_RUNNER": "ray"})


def test_serve_builds_three_deployments_on_their_cron_schedules(tmp_path):
    from flows.serve import build_deployments

    deployments = build_deployments(tmp_path / "inbox")

    schedules = {d.name: (d.flow_name, [s.schedule.cron for s in d.schedules]) for d in deployments}
    assert schedules == {
        "sanitise-every-5-minutes": ("sanitise", ["*/5 * * * *"]),
        "release-every-15-minutes": ("release", ["*/15 * * * *"]),
        "retention-nightly": ("retention", ["30 2 * * *"]),
    }
    sanitise = next(d for d in deployments if d.flow_name == "sanitise")
    assert sanitise.parameters == {"inbox": str(tmp_path / "inbox")}
    retention = next(d for d in deployments if d.flow_name == "retention")
    assert retention.parameters == {"inbox": str(tmp_path / "inbox")}
    assert all(s.schedule.timezone == "Europe/London" for d in deployments for s in d.schedules)


def test_serve_dry_run_prints_the_schedules_and_starts_nothing(tmp_path, capsys):
    assert main(["serve", "--dry-run", "--inbox", str(tmp_path / "inbox")]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "sanitise-every-5-minutes\tsanitise\t*/5 * * * *",
        "release-every-15-minutes\trelease\t*/15 * * * *",
        "retention-nightly\tretention\t30 2 * * *",
    ]


def test_retention_flow_purges_raw_text_of_closed_reports_and_old_inbox_files(
    prefect_home, mugs_home, store, tmp_path
):
    from pipeline.intake import parse_report
    from pipeline.review import draft_pending, reject, store_received

    for report in corpus_reports(2):
        store_received(store, parse_report(report))
    first, second = (r["report_id"] for r in corpus_reports(2))
    draft_pending(store, lambda received: {"release": {"alert": None}, "review": {}})
    reject(store, first, "Casey Worker", "duplicate of an earlier report")

    done = tmp_path / "inbox" / "done"
    done.mkdir(parents=True)
    (done / "old.jsonl").write_text("{}")
    (done / "new.jsonl").write_text("{}")
    os.utime(done / "old.jsonl", (time.time() - 8 * 86400,) * 2)

    assert main(["run", "retention", "--days", "0", "--inbox", str(tmp_path / "inbox")]) == 0

    assert [p.name for p in done.iterdir()] == ["new.jsonl"]  # raw files kept 7 days, no longer

    with store.begin() as connection:
        purged = store.get_report(connection, first)
        kept = store.get_report(connection, second)
    assert purged.purged_at is not None and store.open_report(purged, "raw") is None
    assert kept.purged_at is None and store.open_report(kept, "raw") is not None


def test_shards_split_the_waiting_reports_between_processes_without_overlap():
    from flows.sanitise import in_shard

    ids = [f"R-2026-{n:06d}" for n in range(200)]
    shares = [[i for i in ids if in_shard(i, shard, 2)] for shard in (0, 1)]
    assert sorted(shares[0] + shares[1]) == ids
    assert 80 < len(shares[0]) < 120
