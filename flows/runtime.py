"""What every flow needs at run time: the store, the task runner setting, and a progress hook.

Settings come from the environment inside the task (``MUGS_HOME``, ``MUGS_DATABASE_URL``, keys),
never as flow parameters: a parameter is stored in Prefect's database, and key material must not be.
Prefect is imported only inside :func:`task_runner`, so that :func:`prefect_telemetry_off` can run
before Prefect is first imported (Prefect reads its settings once, at import).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from threading import Lock
from typing import TYPE_CHECKING

from pipeline.errors import ConfigError
from pipeline.settings import Settings, load_settings
from pipeline.store import Store

if TYPE_CHECKING:
    from prefect.task_runners import TaskRunner

TASK_RUNNERS = ("thread", "dask")

PREFECT_TELEMETRY_OFF = {
    # The server's heartbeat to sens-o-matic.prefect.io (an ERROR in the log when offline).
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # Run telemetry (OpenTelemetry spans) sent to Prefect Cloud.
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    # The SDK's usage events (Amplitude): Prefect 3.8 has no PREFECT_ setting for them and honours
    # only the DO_NOT_TRACK convention.
    "DO_NOT_TRACK": "1",
}
"""Prefect 3.8's telemetry and analytics switches, all off: nothing about a run leaves here."""

ProgressHook = Callable[[str, int, int], None]
_progress_hooks: list[ProgressHook] = []
_stores: dict[Settings, Store] = {}
_stores_lock = Lock()


def flow_store() -> Store:
    """Open this process's store for the current settings (once; later calls reuse it)."""
    settings = load_settings()
    with _stores_lock:
        store = _stores.get(settings)
        if store is None:
            store = _stores[settings] = Store.open(settings)
        return store


def forget_stores() -> None:
    """Close every store this process opened (tests that switch ``MUGS_HOME`` call this)."""
    with _stores_lock:
        for store in _stores.values():
            store.close()
        _stores.clear()


def prefect_telemetry_off(environ: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """Turn Prefect's telemetry off in *environ* (default: this process's) unless the user chose.

    Call it before Prefect is imported: Prefect reads these once, and its ephemeral server and
    Dask workers inherit the environment. A value already set (even to "true") is left alone.
    Returns the settings it added.
    """
    env = os.environ if environ is None else environ
    added = {name: value for name, value in PREFECT_TELEMETRY_OFF.items() if name not in env}
    env.update(added)
    return added


def task_runner(environ: Mapping[str, str] | None = None) -> TaskRunner:  # type: ignore[type-arg]
    """The task runner ``MUGS_TASK_RUNNER`` names: ``thread`` (default) or ``dask``.

    ``MUGS_TASK_WORKERS`` sets the thread count (default 1: drafting is CPU-bound and the GIL
    serialises it anyway). With ``dask``, ``MUGS_DASK_ADDRESS`` (``tcp://host:8786``) joins an
    existing cluster; without it a local cluster of ``MUGS_TASK_WORKERS`` (default 2) processes
    starts for the run.
    """
    env = os.environ if environ is None else environ
    kind = (env.get("MUGS_TASK_RUNNER") or "thread").strip().lower()
    if kind not in TASK_RUNNERS:
        raise ConfigError(f"MUGS_TASK_RUNNER: '{kind}' is not one of {', '.join(TASK_RUNNERS)}")
    workers_text = env.get("MUGS_TASK_WORKERS") or ("2" if kind == "dask" else "1")
    try:
        workers = int(workers_text)
    except ValueError:
        raise ConfigError(f"MUGS_TASK_WORKERS: '{workers_text}' is not a whole number") from None
    if workers < 1:
        raise ConfigError(f"MUGS_TASK_WORKERS: {workers} is less than 1")
    if kind == "thread":
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=workers)
    from prefect_dask import DaskTaskRunner

    address = env.get("MUGS_DASK_ADDRESS") or None
    if address:
        return DaskTaskRunner(address=address)
    processes = (env.get("MUGS_DASK_PROCESSES") or "1").strip() not in {"0", "false", "no"}
    return DaskTaskRunner(cluster_kwargs={
        "n_workers": workers, "threads_per_worker": 1, "processes": processes,
        "dashboard_address": None,
    })


@contextmanager
def progress_hook(hook: ProgressHook) -> Iterator[None]:
    """Call *hook(stage, done, total)* as the flows finish batches (the CLI's progress bar)."""
    _progress_hooks.append(hook)
    try:
        yield
    finally:
        _progress_hooks.remove(hook)


def report_progress(stage: str, done: int, total: int) -> None:
    """Tell whoever listens that *done* of *total* items of *stage* are finished."""
    for hook in list(_progress_hooks):
        hook(stage, done, total)


def batches(items: list[str], size: int) -> Iterator[list[str]]:
    """*items* in consecutive batches of at most *size*."""
    for start in range(0, len(items), max(size, 1)):
        yield items[start:start + size]
