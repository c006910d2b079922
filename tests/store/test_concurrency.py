"""Optimistic locking across processes: two caseworkers, one draft, one winner."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable

import pytest
from store_reports import fake_draft, fake_guard, make_report

from pipeline import review
from pipeline.errors import StaleVersion
from pipeline.settings import Settings
from pipeline.store import Store

CONTEXT = multiprocessing.get_context("fork")


def _approve(store: Store, version: int, name: str) -> None:
    review.approve(store, "R-RACE-1", name, expected_version=version, guard=fake_guard)


def _release(store: Store, version: int, name: str) -> None:
    review.mark_released(store, "R-RACE-1", name, expected_version=version)


def _caseworker(
    settings: Settings,
    action: str,
    version: int,
    name: str,
    barrier: multiprocessing.synchronize.Barrier,
    results: multiprocessing.Queue,
) -> None:
    """One process: open the store, wait for the other, act on the version both saw."""
    store = Store.open(settings)
    barrier.wait(timeout=30)
    try:
        ACTIONS[action](store, version, name)
        results.put((name, "won"))
    except StaleVersion:
        results.put((name, "stale"))
    except Exception as error:  # noqa: BLE001 - report anything else to the test
        results.put((name, type(error).__name__))
    finally:
        store.close()


ACTIONS: dict[str, Callable[[Store, int, str], None]] = {"approve": _approve, "release": _release}


def _race(store: Store, action: str) -> dict[str, str]:
    version = review.report_view(store, "R-RACE-1")["version"]
    store.engine.dispose()  # no pooled connection may cross the fork
    barrier = CONTEXT.Barrier(2)
    results = CONTEXT.Queue()
    workers = [
        CONTEXT.Process(
            target=_caseworker, args=(store.settings, action, version, name, barrier, results)
        )
        for name in ("Ann", "Bob")
    ]
    for worker in workers:
        worker.start()
    outcome = dict(results.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(timeout=30)
    return outcome


def _in_review(store: Store) -> None:
    review.store_received(store, make_report("R-RACE-1"))
    review.draft_pending(store, fake_draft)


@pytest.mark.parametrize("rounds", [1, 2, 3])
def test_two_processes_approving_the_same_version_one_wins_the_other_is_stale(
    store: Store, rounds: int
) -> None:
    _in_review(store)
    outcome = _race(store, "approve")
    assert sorted(outcome.values()) == ["stale", "won"]
    winner = next(name for name, result in outcome.items() if result == "won")
    view = review.report_view(store, "R-RACE-1")
    assert view["state"] == "approved"
    assert {a["actor"] for a in view["approvals"]} == {winner}
    assert len(view["approvals"]) == 2  # alert and record, once each
    assert [e["action"] for e in view["audit"]].count("approve") == 1


def test_two_processes_releasing_the_same_version_one_wins_the_other_is_stale(store: Store) -> None:
    _in_review(store)
    review.approve(store, "R-RACE-1", "Ann", guard=fake_guard)
    outcome = _race(store, "release")
    assert sorted(outcome.values()) == ["stale", "won"]
    view = review.report_view(store, "R-RACE-1")
    assert view["state"] == "released"
    assert [e["action"] for e in view["audit"]].count("release") == 1
