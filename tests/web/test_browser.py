"""Browser tests: Debian's chromium driven by Playwright against the app on loopback.

Needs ``/usr/bin/chromium`` (``scripts/setup`` installs it as root); never ``playwright install``.
Saves screenshots of the queue, the review page and the checker under pytest's temporary folder;
with ``MUGS_UPDATE_SCREENSHOTS=1`` they replace the README's, under docs/screenshots/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import review
from tests.web.conftest import FLAGGED_PHONE, PASSWORD, REPORTER_NAME

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
README_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

if not shutil.which(CHROMIUM):
    pytest.skip(
        "Debian's chromium is not installed (scripts/setup installs it)", allow_module_level=True
    )

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: the README's folder only when asked, so a test run changes no file."""
    if os.environ.get("MUGS_UPDATE_SCREENSHOTS") == "1":
        return README_SCREENSHOTS
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless chromium for the module."""
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page_for(browser, live_server):
    """A signed-in page for a username (a fresh browser context each)."""
    contexts = []

    def make(username: str):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server}/signin")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    yield make
    for context in contexts:
        context.close()


def test_caseworker_restores_a_flagged_number_edits_and_approves(
    page_for, live_server, store, screenshots
):
    page = page_for("casey")
    assert page.url.endswith("/queue")
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshots / "queue.png"), full_page=True)

    page.click("a[href='/review/R-WEB-0001']")
    page.wait_for_selector("h1:has-text('Report R-WEB-0001')")
    assert FLAGGED_PHONE not in page.inner_text("#preview-sms")
    assert FLAGGED_PHONE not in page.inner_text("#preview-email")

    flagged = page.locator("li.finding", has_text=FLAGGED_PHONE)
    flagged.locator("button.keep").click()
    page.wait_for_selector(f"li.finding:has-text('{FLAGGED_PHONE}') button.remove")
    assert FLAGGED_PHONE in page.inner_text("#preview-email")
    assert "(caseworker: kept)" in page.locator("li.finding", has_text=FLAGGED_PHONE).inner_text()
    page.screenshot(path=str(screenshots / "review.png"), full_page=True)

    page.keyboard.press("e")  # opens the SMS editor
    editor = page.locator("#edit-alert-sms-text textarea")
    assert editor.is_visible()
    editor.fill(
        "NUM ALERT: sexual assault and robbery, Leeds, 12 Mar night. Tel 07700 900461 or "
        f"{FLAGGED_PHONE}. Black Vauxhall Astra YX21 ABC. Calls himself Gaz."
    )
    page.click("#edit-alert-sms-text button[type=submit]")
    page.wait_for_selector("#preview-sms")
    assert "Calls himself Gaz." in page.inner_text("#preview-sms")

    page.keyboard.press("a")  # approve, with every pending part ticked
    page.wait_for_selector("text=approved by casey")
    view = review.report_view(store, "R-WEB-0001")
    assert view["state"] == "approved"
    assert view["parts"] == {"alert": "approved", "intelligence": "approved"}
    assert [entry["action"] for entry in view["audit"]][-3:] == ["decide", "edit", "approve"]


def test_researcher_is_refused_a_raw_report(page_for, live_server):
    page = page_for("rita")
    response = page.goto(f"{live_server}/review/R-WEB-0001")
    assert response.status == 403
    assert "Not for your role" in page.inner_text("main")
    assert REPORTER_NAME not in page.content()


def test_member_is_refused_the_queue_and_uses_the_checker(
    page_for, live_server, store, screenshots
):
    page = page_for("mona")
    assert page.url.endswith("/feed")
    response = page.goto(f"{live_server}/queue")
    assert response.status == 403
    review.approve(store, "R-WEB-0001", "casey")
    review.mark_released(store, "R-WEB-0001", "release-flow")
    page.goto(f"{live_server}/check")
    page.fill("#value", "+44 7700 900 461")
    page.click("form.checker button")
    page.wait_for_selector("section.matches")
    assert "1 alert mentions this" in page.inner_text("section.matches")
    page.screenshot(path=str(screenshots / "checker.png"), full_page=True)


def test_script_in_a_narrative_is_shown_as_text(page_for, live_server):
    page = page_for("casey")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_server}/review/R-WEB-0003")
    narrative = page.inner_text(".field-text[data-field='narrative']")
    assert "<script>document.title='pwned'</script>" in narrative
    assert "<b>bold</b>" in narrative
    assert page.title() != "pwned" and not dialogs
    feed_frame = page.frame_locator("#preview-feed iframe")
    assert "<script>" in feed_frame.locator("body").inner_text()
