"""Latency of the review page and the number checker with 10,000 reports in the store.

Builds a fresh SQLite store (under a temporary MUGS_HOME unless --home is given) holding N reports
in review, each a copy of one real draft with its own id, area and offender phone/registration;
a tenth of them are released and published to the checker. The app runs under uvicorn in its own
process on loopback; one signed-in client times GET /review/ID and GET /api/check?value=… .

    python benchmarks/web_latency.py --reports 10000 --requests 300
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import multiprocessing
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from pipeline.checker import ensure_checker_tables, publish_alert
from pipeline.draft import draft_report
from pipeline.intake import parse_report
from pipeline.settings import load_settings
from pipeline.store import Store
from pipeline.users import UserRole, add_user, ensure_user_tables

PASSWORD = "benchmark password"
AREAS = ["Leeds", "Hull", "Manchester", "Bristol", "Cardiff", "Glasgow", "Norwich", "Brighton"]
TYPES = [["rape"], ["robbery", "physical_assault"], ["time_waster"], ["threats"], ["theft"]]


def template_report() -> dict[str, Any]:
    return {
        "format": 1, "report_id": "R-BENCH-TEMPLATE", "received_at": "2026-03-14T22:05:00Z",
        "channel": "web",
        "reporter": {"member_id": "M-90001", "known_identifiers": {
            "names": ["Roxanne Bell"], "phones": ["07911 555123"], "emails": [], "handles": [],
            "addresses": []}},
        "consent": {"alert": True, "intelligence": True, "police_contact": False},
        "incident": {"date": "2026-03-12", "time": "23:10", "area": "Leeds",
                     "police_force": "West Yorkshire Police", "setting": "incall",
                     "location_detail": "Flat 3, 14 Kirkgate", "types": ["robbery"],
                     "contact_method": "phone"},
        "offenders": [{"names_used": ["Gaz"], "phones": ["07700 900461"], "emails": [],
                       "usernames": [], "vehicles": [{
                           "make": "Vauxhall", "model": "Astra", "colour": "black",
                           "registration": "YX21 ABC"}],
                       "description": "White man, about 35, thin, beard"}],
        "narrative": "He called me from 07700 900461 and booked for 11pm. When he got there he "
                     "grabbed me and took the money. He had a second phone and the number on it "
                     "was 07700 900777. My friend Jade Cole was in the next room.",
    }


def fill_store(store: Store, count: int, released_share: float) -> list[str]:
    """Insert *count* drafted reports in review; release and publish a share of them."""
    base = template_report()
    draft = draft_report(parse_report(base))
    rng = random.Random(7)
    ids: list[str] = []
    now = dt.datetime.now(dt.UTC)
    batch = 500
    for start in range(0, count, batch):
        to_publish: list[tuple[str, dict[str, Any], dt.datetime]] = []
        with store.begin() as connection:
            for number in range(start, min(start + batch, count)):
                report_id = f"R-BENCH-{number:05d}"
                phone = f"07700 9{number:05d}"
                letters = chr(65 + number % 26) + chr(65 + number // 26 % 26)
                plate = f"YX{number % 90 + 10} {letters}Z"
                area = AREAS[number % len(AREAS)]
                types = TYPES[number % len(TYPES)]
                raw = copy.deepcopy(base)
                raw["report_id"] = report_id
                raw["incident"].update(area=area, types=types)
                raw["offenders"][0]["phones"] = [phone]
                raw["offenders"][0]["vehicles"][0]["registration"] = plate
                release = copy.deepcopy(draft["release"])
                release["offenders"][0]["phones"] = [phone]
                release["offenders"][0]["vehicles"][0]["registration"] = plate
                release["incident"]["area"] = area
                released = rng.random() < released_share
                received_at = now - dt.timedelta(minutes=count - number)
                values = {
                    "report_id": report_id, "state": "released" if released else "in_review",
                    "alert_state": "approved" if released else "pending",
                    "intelligence_state": "approved" if released else "pending",
                    "channel": "web", "received_at": received_at, "stored_at": received_at,
                    "updated_at": received_at, "incident_date": dt.date(2026, 3, 12),
                    "police_force": "West Yorkshire Police", "setting": "incall",
                    "contact_method": "phone", "consent_alert": True, "consent_intelligence": True,
                    "consent_police_contact": False, "completeness_alert": 100.0,
                    "completeness_intelligence": 78.0, "flagged_count": 1, "blocked_count": 0,
                    "drafted_at": received_at, "released_at": received_at if released else None,
                }
                store.insert_report(connection, values, {
                    "raw": raw, "reporter": raw["reporter"], "member": "M-90001",
                    "draft": release, "release": release, "review": draft["review"],
                }, types)
                if released:
                    to_publish.append((report_id, release, received_at))
                ids.append(report_id)
        for report_id, release, received_at in to_publish:
            publish_alert(store.engine, report_id, release, received_at)
    return ids


def serve(home: str, port: int) -> None:
    """Run the app under uvicorn (in its own process)."""
    import uvicorn

    from pipeline.checker import CheckLimiter
    from web.app import create_app

    store = Store.open(load_settings({"MUGS_HOME": home}))
    app = create_app(store, limiter=CheckLimiter(limit=10**9), sync_interval=3600)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--released-share", type=float, default=0.1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--home", type=Path, default=None)
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="mugs-web-bench-")) / "home"
    store = Store.open(load_settings({"MUGS_HOME": str(home)}))
    ensure_user_tables(store.engine)
    ensure_checker_tables(store.engine)
    started = time.perf_counter()
    ids = fill_store(store, args.reports, args.released_share)
    print(f"stored {len(ids):,} reports in {time.perf_counter() - started:.1f} s")
    add_user(store.engine, "bench", PASSWORD, UserRole.CASEWORKER)
    store.close()

    context = multiprocessing.get_context("spawn")
    process = context.Process(target=serve, args=(str(home), args.port))
    process.start()
    base = f"http://127.0.0.1:{args.port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            for _ in range(200):
                try:
                    page = client.get("/signin")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
            client.post("/signin", data={"username": "bench", "password": PASSWORD,
                                         "csrf_token": token, "next": "/"})
            rng = random.Random(11)
            timings: dict[str, list[float]] = {"review page": [], "checker (phone)": [],
                                               "checker (partial plate)": [], "queue": []}
            for _ in range(args.requests):
                number = rng.randrange(args.reports)
                for name, path, params in (
                    ("review page", f"/review/R-BENCH-{number:05d}", None),
                    ("checker (phone)", "/api/check", {"value": f"+44 7700 9{number:05d}"}),
                    ("checker (partial plate)", "/api/check", {"value": f"YX{number % 90 + 10}"}),
                ):
                    began = time.perf_counter()
                    response = client.get(path, params=params)
                    timings[name].append((time.perf_counter() - began) * 1000)
                    assert response.status_code == 200, (path, response.status_code)
            for _ in range(max(5, args.requests // 30)):
                began = time.perf_counter()
                assert client.get("/queue").status_code == 200
                timings["queue"].append((time.perf_counter() - began) * 1000)
    finally:
        process.terminate()
        process.join(10)
    print(f"{args.reports:,} reports, {args.requests} requests each, loopback, one client")
    print("| request | p50 ms | p95 ms |")
    print("| --- | ---: | ---: |")
    for name, samples in timings.items():
        p50, p95 = percentiles(samples)
        print(f"| {name} | {p50:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
