"""The website feed: static ``index.html``, RSS 2.0 ``feed.xml`` and JSON Feed 1.1 ``feed.json``.

The files are rebuilt whole from the approved feed entries every time an alert is published or
withdrawn, and each is replaced atomically, so a reader never sees half a file and a re-run after a
crash writes the same files again. Settings (read when publishing): ``MUGS_FEED_URL`` (where the
folder is served, default ``http://localhost/alerts/``) and ``MUGS_FEED_TITLE``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.utils import format_datetime
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from pipeline.errors import ConfigError

TEMPLATES = Path(__file__).with_name("templates")
FEED_FILES = ("index.html", "feed.xml", "feed.json")
DEFAULT_URL = "http://localhost/alerts/"
DEFAULT_TITLE = "National Ugly Mugs alerts"


@dataclass(frozen=True, slots=True)
class FeedSite:
    """Where the feed is served and what it is called."""

    url: str = DEFAULT_URL
    title: str = DEFAULT_TITLE
    description: str = "Warnings about dangerous individuals, shared by National Ugly Mugs members."


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One published alert: its approved feed part and when it was published."""

    alert: Mapping[str, Any]
    published: dt.datetime

    @property
    def entry_id(self) -> str:
        """The alert's feed id (a hash: it does not show the report id)."""
        return str(self.alert["id"])


def feed_site(environ: Mapping[str, str] | None = None) -> FeedSite:
    """The feed's settings from ``MUGS_FEED_*`` (read now)."""
    env = os.environ if environ is None else environ
    url = env.get("MUGS_FEED_URL") or DEFAULT_URL
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"MUGS_FEED_URL: '{url}' is not an http:// or https:// address")
    return FeedSite(url=url, title=env.get("MUGS_FEED_TITLE") or DEFAULT_TITLE)


@cache
def feed_templates() -> jinja2.Environment:
    """The feed's jinja2 environment: HTML and XML autoescaped, plain text (``*.txt.j2``) not."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=lambda name: not (name or "").endswith(".txt.j2"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _entry_context(entry: FeedEntry) -> dict[str, Any]:
    alert = entry.alert
    return {
        "id": entry.entry_id,
        "title": alert.get("title") or "",
        "summary": alert.get("summary") or "",
        "html": alert.get("html") or "",
        "published": entry.published.isoformat(timespec="seconds"),
        "published_rfc822": format_datetime(entry.published.astimezone(dt.UTC), usegmt=True),
    }


def json_feed(site: FeedSite, entries: Sequence[FeedEntry]) -> dict[str, Any]:
    """The feed as a JSON Feed 1.1 document."""
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": site.title,
        "home_page_url": site.url,
        "feed_url": site.url.rstrip("/") + "/feed.json",
        "description": site.description,
        "items": [
            {
                "id": entry.entry_id,
                "url": f"{site.url}#{entry.entry_id}",
                "title": entry.alert.get("title"),
                "summary": entry.alert.get("summary"),
                "content_html": entry.alert.get("html"),
                "date_published": entry.published.isoformat(timespec="seconds"),
                "_mugs": {
                    "incident_date": entry.alert.get("date"),
                    "area": entry.alert.get("area"),
                    "police_force": entry.alert.get("police_force"),
                    "details": entry.alert.get("details"),
                },
            }
            for entry in entries
        ],
    }


def _write_atomically(path: Path, text: str) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def render_feed(
    site: FeedSite, entries: Sequence[FeedEntry], updated: dt.datetime
) -> dict[str, str]:
    """The three feed files' text, by file name; newest entry first."""
    ordered = sorted(entries, key=lambda entry: (entry.published, entry.entry_id), reverse=True)
    contexts = [_entry_context(entry) for entry in ordered]
    environment = feed_templates()
    common = {
        "site": site,
        "entries": contexts,
        "updated": updated.isoformat(timespec="seconds"),
        "updated_rfc822": format_datetime(updated.astimezone(dt.UTC), usegmt=True),
    }
    return {
        "index.html": environment.get_template("feed_page.html.j2").render(**common),
        "feed.xml": environment.get_template("feed.xml.j2").render(**common),
        "feed.json": json.dumps(json_feed(site, ordered), ensure_ascii=False, indent=2) + "\n",
    }


def publish_feed(
    directory: Path,
    site: FeedSite,
    entries: Sequence[FeedEntry],
    updated: dt.datetime | None = None,
) -> list[Path]:
    """Write ``index.html``, ``feed.xml`` and ``feed.json`` under *directory*; their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    files = render_feed(site, entries, updated or dt.datetime.now(dt.UTC))
    written = []
    for name in FEED_FILES:
        path = directory / name
        _write_atomically(path, files[name])
        written.append(path)
    return written
