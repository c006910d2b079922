"""The researchers' statistics page: protected tables, charts and CSV downloads for a period.

``register(app)`` adds ``GET /stats/research`` (the page, ``?since=YYYY-MM-DD&until=YYYY-MM-DD``)
and ``GET /stats/research/files/{name}`` (a chart or CSV of that export). The export is written by
:func:`pipeline.statistics.researcher_summary` into ``$MUGS_HOME/statistics/<period>/`` and only
redrawn when its tables change. The threshold is always the default: a web user cannot lower it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, Response

from pipeline.statistics import StatisticsError, researcher_summary
from pipeline.users import Session, UserRole
from web.auth import requires

router = APIRouter()

STATISTICS_READERS = (UserRole.RESEARCHER, UserRole.DATA_STAFF, UserRole.ADMIN, UserRole.CASEWORKER)
EXPORT_FILE = re.compile(r"^[a-z_]{1,40}\.(csv|png|svg|txt)$")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "png": "image/png",
    "svg": "image/svg+xml",
    "txt": "text/plain; charset=utf-8",
}
TABLE_TITLES = {
    "reports_by_month": "Reports by month received",
    "incident_types": "Incident types by year",
    "police_force_areas": "Police force areas by year",
    "settings": "Settings by year",
    "consent_by_year": "Consent by year",
    "time_to_release": "Days from report to release, by month received",
}

Reader = Annotated[Session, Depends(requires(*STATISTICS_READERS))]


def register(app: FastAPI) -> None:
    """Add the researchers' statistics routes to *app*."""
    app.include_router(router)


def _day(text: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _export_folder(request: Request, since: dt.date | None, until: dt.date | None) -> Path:
    home: Path = request.app.state.store.settings.home
    key = f"{since.isoformat() if since else 'start'}_{until.isoformat() if until else 'end'}"
    return home / "statistics" / key


@router.get("/stats/research")
def research_page(request: Request, session: Reader, since: str = "", until: str = "") -> Response:
    """Charts, tables and downloads for the reports received in the chosen period."""
    first, last = _day(since), _day(until)
    problem = None
    if (since and first is None) or (until and last is None):
        problem = "Dates must be written YYYY-MM-DD."
    summary = None
    if problem is None:
        try:
            summary = researcher_summary(
                request.app.state.store,
                _export_folder(request, first, last),
                since=first,
                until=last,
                reuse=True,
            )
        except StatisticsError as error:
            problem = str(error).capitalize() + "."
    query = "&".join(
        f"{name}={value.isoformat()}"
        for name, value in (("since", first), ("until", last))
        if value is not None
    )
    return request.app.state.render(
        request,
        "statistics.html",
        {
            "since": first.isoformat() if first else "",
            "until": last.isoformat() if last else "",
            "problem": problem,
            "summary": summary,
            "query": query,
            "titles": TABLE_TITLES,
        },
    )


@router.get("/stats/research/files/{name}")
def research_file(
    request: Request, name: str, session: Reader, since: str = "", until: str = ""
) -> Response:
    """One file of an export already shown on the page (chart, CSV or about.txt)."""
    if not EXPORT_FILE.match(name):
        raise HTTPException(status_code=404, detail="no such file")
    path = _export_folder(request, _day(since), _day(until)) / name
    if not path.is_file():
        raise HTTPException(status_code=404, detail="no such file")
    disposition = "attachment" if name.endswith(".csv") else "inline"
    return FileResponse(
        path,
        media_type=MEDIA_TYPES[name.rsplit(".", 1)[1]],
        headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
    )
