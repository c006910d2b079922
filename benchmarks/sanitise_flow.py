"""Benchmark the sanitise flow: reports per second with 1 and 2 processes, and peak memory.

    python benchmarks/sanitise_flow.py [--reports 1000] [--database-url URL]

Generates N reports by cycling fixtures/corpus.jsonl with new ids, starts one local Prefect server
(``prefect server start``, as production would run; its start-up is not timed), then:

* 1 process: one ``sanitise`` flow run reads the whole inbox and drafts every report;
* 2 processes: a fresh store, the inbox split in two folders, two flow processes at once against the
  same store (SQLite by default, or ``--database-url``), each drafting its shard (``--shard i
  --shards 2``).

Each flow process reports its own wall time and peak RSS (``resource.getrusage``). Everything runs
offline under a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "fixtures" / "corpus.jsonl"


def generate_reports(count: int) -> list[dict]:
    """*count* reports: the corpus over and over, each copy with a new report id."""
    corpus = [json.loads(line)["report"] for line in CORPUS.read_text(encoding="utf-8").splitlines()
              if line.strip()]
    reports = []
    for number in range(count):
        report = dict(corpus[number % len(corpus)])
        report["report_id"] = f"{report['report_id']}-B{number:05d}"
        reports.append(report)
    return reports


def write_inbox(folder: Path, reports: list[dict], per_file: int = 100) -> None:
    """Reports as .jsonl files of *per_file* each."""
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, len(reports), per_file):
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n"
                        for r in reports[start:start + per_file])
        (folder / f"batch-{start // per_file:04d}.jsonl").write_text(lines, encoding="utf-8")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_prefect_server(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """A local ``prefect server start`` and its API URL, once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("prefect")), "server", "start", "--host", "127.0.0.1",
         "--port", str(port), "--no-services"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                return server, api
        except httpx.HTTPError:
            pass
        time.sleep(1)
    server.terminate()
    raise SystemExit("the Prefect server did not start within 300 s")


def run_child(args: argparse.Namespace) -> None:
    """One flow process: run sanitise once, print its time, totals and peak RSS as JSON."""
    import resource

    from flows.sanitise import run_sanitise

    started = time.perf_counter()
    totals = run_sanitise(inbox=args.inbox, batch_size=50, shard=args.shard, shards=args.shards)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "totals": totals, "peak_rss_mb": peak_mb}))


def flow_processes(
    env: dict[str, str], inboxes: list[Path], shards: int
) -> tuple[float, list[dict]]:
    """Run one flow process per inbox at the same time; wall time and each one's JSON result."""
    started = time.perf_counter()
    children = [
        subprocess.Popen(
            [sys.executable, __file__, "--child", "--inbox", str(inbox), "--shard", str(shard),
             "--shards", str(shards)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        for shard, inbox in enumerate(inboxes)
    ]
    results = []
    for child in children:
        out, _ = child.communicate()
        if child.returncode != 0:
            raise SystemExit(f"a flow process failed (exit {child.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return time.perf_counter() - started, results


def summarise(label: str, count: int, wall: float, results: list[dict]) -> dict:
    drafted = sum(r["totals"]["drafted"] for r in results)
    row = {
        "setup": label,
        "reports": count,
        "drafted": drafted,
        "failed": sum(r["totals"]["failed"] for r in results),
        "wall_seconds": round(wall, 1),
        "reports_per_second": round(drafted / wall, 2),
        "peak_rss_mb_per_process": [round(r["peak_rss_mb"]) for r in results],
        "cpus": os.cpu_count(),
        "load_average_after": [round(x, 1) for x in os.getloadavg()],
    }
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL URL instead of a fresh SQLite file per setup")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--inbox", help=argparse.SUPPRESS)
    parser.add_argument("--shard", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--shards", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return

    work = Path(tempfile.mkdtemp(prefix="mugs-bench-"))
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env.update({"PREFECT_HOME": str(work / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "PREFECT_UI_ENABLED": "false", "DO_NOT_TRACK": "1",
                "MUGS_PSEUDONYM_KEY": "5a" * 32, "PYTHONPATH": str(ROOT)})
    from flows.sanitise import in_shard

    reports = generate_reports(args.reports)
    server, api = start_prefect_server(env)
    env["PREFECT_API_URL"] = api
    rows = []
    try:
        for processes in (1, 2):
            home = work / f"home-{processes}"
            run_env = dict(env, MUGS_HOME=str(home))
            if args.database_url:
                run_env["MUGS_DATABASE_URL"] = args.database_url
                run_env["MUGS_DATABASE_SCHEMA"] = f"mugs_bench_{processes}_{os.getpid()}"
            inboxes = [work / f"inbox-{processes}-{n}" for n in range(processes)]
            # Each process gets the reports of its own shard, so it stores what it then drafts.
            for shard, inbox in enumerate(inboxes):
                write_inbox(inbox, [r for r in reports
                                    if in_shard(r["report_id"], shard, processes)])
            wall, results = flow_processes(run_env, inboxes, processes)
            rows.append(summarise(f"{processes} process(es)", len(reports), wall, results))
    finally:
        server.terminate()
        server.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"results": rows}, indent=2))


if __name__ == "__main__":
    main()
