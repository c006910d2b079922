"""The web app through its HTTP interface: sign-in, roles, CSRF, headers, queue, review, feed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from pipeline import review
from pipeline.users import session_for
from tests.web.conftest import FLAGGED_PHONE, FRIEND_NAME, REPORTER_NAME, csrf_of, sign_in

# --- sign-in and sessions ------------------------------------------------------------------------


def test_wrong_password_is_refused_without_a_session(app):
    client = TestClient(app)
    response = sign_in(client, "casey", "not the password")
    assert response.status_code == 401
    assert "Wrong username or password" in response.text
    assert "mugs_session" not in response.cookies


def test_session_cookie_is_httponly_and_samesite_strict(app):
    client = TestClient(app)
    response = sign_in(client, "casey")
    cookie = response.headers["set-cookie"]
    assert "mugs_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert response.headers["location"] == "/queue"


def test_sign_in_without_its_csrf_token_is_refused(app):
    client = TestClient(app)
    response = client.post(
        "/signin",
        data={"username": "casey", "password": "correct horse battery", "csrf_token": "forged"},
    )
    assert response.status_code == 403


def test_a_session_expires_after_the_idle_limit(store, app, client_for):
    client = client_for("casey")
    token = client.cookies["mugs_session"]
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    assert session_for(store.engine, token, now=later) is None
    response = client.get("/queue", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/signin")


def test_signed_out_visitor_is_sent_to_sign_in(app):
    response = TestClient(app).get("/review/R-WEB-0001", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=/review/R-WEB-0001"


def test_every_page_has_the_security_headers(client_for):
    response = client_for("casey").get("/queue")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"


def test_a_form_post_without_the_csrf_token_is_refused(client_for):
    client = client_for("casey")
    response = client.post("/review/R-WEB-0001/approve", data={"version": "3"})
    assert response.status_code == 403
    assert review.report_view(client.app.state.store, "R-WEB-0001")["state"] == "in_review"


# --- roles ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["mona", "rita", "dan", "ada"])
def test_only_a_caseworker_sees_a_raw_report(client_for, username):
    response = client_for(username).get("/review/R-WEB-0001")
    assert response.status_code == 403
    assert REPORTER_NAME not in response.text and FRIEND_NAME not in response.text


@pytest.mark.parametrize("username", ["mona", "rita"])
def test_member_and_researcher_are_refused_the_queue(client_for, username):
    response = client_for(username).get("/queue")
    assert response.status_code == 403
    assert "R-WEB-0001" not in response.text


@pytest.mark.parametrize("path", ["/feed", "/check", "/api/check?value=07700900461"])
def test_researcher_is_refused_member_pages(client_for, path):
    assert client_for("rita").get(path).status_code == 403


def test_researcher_sees_statistics(client_for):
    response = client_for("rita").get("/stats")
    assert response.status_code == 200
    assert "Statistics" in response.text and REPORTER_NAME not in response.text


def test_admin_adds_and_removes_a_user(client_for):
    client = client_for("ada")
    token = csrf_of(client.get("/admin/users").text)
    added = client.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "username": "newbie",
            "password": "long enough pw",
            "role": "member",
        },
    )
    assert added.status_code == 200 and "newbie" in added.text
    removed = client.post("/admin/users/newbie/remove", data={"csrf_token": token})
    assert removed.status_code == 200 and "newbie" not in removed.text


# --- queue and review ----------------------------------------------------------------------------


def test_queue_puts_the_most_severe_first_then_the_oldest(client_for):
    page = client_for("casey").get("/queue").text
    order = re.findall(r'href="/review/(R-WEB-\d+)"', page)
    # 0001 and 0003 are sexual assaults (0001 first by id at equal time);
    # 0002, older, is a time waster.
    assert order == ["R-WEB-0001", "R-WEB-0003", "R-WEB-0002"]
    assert "sexual assault" in page and "time waster" in page


def test_queue_pages_in_the_same_order(client_for, monkeypatch):
    monkeypatch.setattr("web.review_pages.QUEUE_PAGE_SIZE", 2)
    client = client_for("casey")
    first = client.get("/queue").text
    assert re.findall(r'href="/review/(R-WEB-\d+)"', first) == ["R-WEB-0001", "R-WEB-0003"]
    assert "Drafts 1–2 of 3 waiting" in first
    assert 'rel="next" href="/queue?start=2"' in first and 'rel="prev"' not in first
    second = client.get("/queue?start=2").text
    assert re.findall(r'href="/review/(R-WEB-\d+)"', second) == ["R-WEB-0002"]
    assert 'rel="prev" href="/queue?start=0"' in second and 'rel="next"' not in second
    beyond = client.get("/queue?start=50").text
    assert "back to the first page" in beyond
    assert client.get("/queue?start=-5").text.count('href="/review/') == 2


def test_review_page_highlights_each_finding_with_its_role_and_reason(client_for):
    page = client_for("casey").get("/review/R-WEB-0001").text
    assert re.search(r'<mark class="role-third_party action-remove" title="[^"]*friend', page)
    assert re.search(r'<mark class="role-unknown action-flag"[^>]*>07700 900777</mark>', page)
    assert "Questions to ask the member" in page or "Completeness" in page
    # the flagged number is out of the previews until a caseworker keeps it
    assert "[number removed]" in page or "a number" in page


def test_narrative_with_a_script_tag_is_shown_as_text(client_for):
    page = client_for("casey").get("/review/R-WEB-0003").text
    assert "<script>document.title" not in page
    assert "&lt;script&gt;document.title" in page


def test_keep_restores_a_flagged_offender_number_in_every_preview(client_for):
    client = client_for("casey")
    page = client.get("/review/R-WEB-0001").text
    key = re.search(
        r'name="key" value="(narrative:\d+:\d+:PHONE_NUMBER)"[^<]*<input type="hidden" '
        r'name="decision" value="keep"',
        page,
    )
    assert key, "the flagged number has a Keep button"
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    response = client.post(
        "/review/R-WEB-0001/decide",
        data={
            "csrf_token": csrf_of(page),
            "version": version,
            "key": key.group(1),
            "decision": "keep",
        },
    )
    assert response.status_code == 200
    view = review.report_view(client.app.state.store, "R-WEB-0001")
    assert FLAGGED_PHONE in view["release"]["alert"]["email"]["text"]
    assert FLAGGED_PHONE in view["release"]["narrative"]
    assert "(caseworker: kept)" in response.text
    assert view["audit"][-1]["action"] == "decide"


def test_a_decision_keeps_the_caseworkers_edited_text_and_guards_it_again(client_for):
    client = client_for("casey")
    store = client.app.state.store
    version = review.report_view(store, "R-WEB-0001")["version"]
    review.edit(
        store,
        "R-WEB-0001",
        "casey",
        "alert.sms.text",
        "NUM ALERT: robbery, Leeds. Call 07700 900461 only via NUM.",
        expected_version=version,
    )
    page = client.get("/review/R-WEB-0001").text
    key = re.search(
        r'name="key" value="(narrative:\d+:\d+:PHONE_NUMBER)"[^<]*<input type="hidden" '
        r'name="decision" value="keep"',
        page,
    ).group(1)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    client.post(
        "/review/R-WEB-0001/decide",
        data={"csrf_token": csrf_of(page), "version": version, "key": key, "decision": "keep"},
    )
    view = review.report_view(store, "R-WEB-0001")
    assert view["release"]["alert"]["sms"]["text"].startswith("NUM ALERT: robbery, Leeds.")
    assert FLAGGED_PHONE in view["release"]["alert"]["email"]["text"]  # the rest is re-drafted

    # an edited text that the decision makes a leak is caught again
    friend_key = next(
        f["field"] + f":{f['start']}:{f['end']}:{f['entity_type']}"
        for f in view["review"]["findings"]
        if f["text"] == FRIEND_NAME
    )
    review.edit(store, "R-WEB-0001", "casey", "alert.feed.summary", f"Ask {FRIEND_NAME}.")
    from pipeline.review_edits import decide

    decide(store, "R-WEB-0001", "casey", {friend_key: "remove"})
    view = review.report_view(store, "R-WEB-0001")
    assert view["release"]["alert"]["feed"]["summary"] == f"Ask {FRIEND_NAME}."
    assert any("alert.feed.summary (your edit)" in p for p in view["review"]["guard"]["problems"])


def test_stale_version_is_refused_with_a_readable_message(client_for):
    client = client_for("casey")
    page = client.get("/review/R-WEB-0002").text
    response = client.post(
        "/review/R-WEB-0002/approve",
        data={"csrf_token": csrf_of(page), "version": "1", "part": "alert"},
    )
    assert response.status_code == 409
    assert "changed by someone else" in response.text


def test_edit_that_names_the_reporter_is_blocked_at_approval(client_for):
    client = client_for("casey")
    page = client.get("/review/R-WEB-0002").text
    version = int(re.search(r'name="version" value="(\d+)"', page).group(1))
    edited = client.post(
        "/review/R-WEB-0002/edit",
        data={
            "csrf_token": csrf_of(page),
            "version": str(version),
            "field": "alert.sms.text",
            "text": f"NUM ALERT: call {REPORTER_NAME} on 07911 555123 for details",
        },
    )
    assert edited.status_code == 200
    assert "release guard blocks approval" in edited.text
    assert REPORTER_NAME not in edited.text.split("Saved, but")[1].split("</div>")[0]
    approved = client.post(
        "/review/R-WEB-0002/approve",
        data={"csrf_token": csrf_of(edited.text), "version": str(version + 1), "part": "alert"},
    )
    assert approved.status_code == 409
    assert review.report_view(client.app.state.store, "R-WEB-0002")["parts"]["alert"] == "pending"


def test_reject_needs_a_reason_and_leaves_the_queue(client_for):
    client = client_for("casey")
    page = client.get("/review/R-WEB-0002").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    response = client.post(
        "/review/R-WEB-0002/reject",
        data={
            "csrf_token": csrf_of(page),
            "version": version,
            "reason": "duplicate of another report",
        },
    )
    assert response.status_code == 200  # followed to the queue
    assert "R-WEB-0002" not in response.text


# --- members: feed and checker -------------------------------------------------------------------


def _release(store, report_id: str) -> None:
    review.approve(store, report_id, "casey", ["alert", "intelligence"])
    review.mark_released(store, report_id, "release-flow")


def test_member_sees_released_alerts_only_newest_first_and_by_area(store, client_for):
    _release(store, "R-WEB-0002")
    _release(store, "R-WEB-0001")
    client = client_for("mona")
    page = client.get("/feed").text
    entries = page.split('<ol class="feed">')[1]
    assert entries.index("Leeds") < entries.index("Hull")
    assert "R-WEB-0003" not in page and FRIEND_NAME not in page and REPORTER_NAME not in page
    hull = client.get("/feed", params={"area": "hull"}).text
    assert "Hull" in hull and "Leeds" not in hull.split("<ol")[1]


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("07700 900461", id="phone with space"),
        pytest.param("+44 7700 900461", id="phone with +44"),
        pytest.param("(07700)900-461", id="phone with brackets and dash"),
        pytest.param("yx21abc", id="registration lower case no space"),
        pytest.param("YX21", id="partial registration"),
        pytest.param("@Gaz_Leeds", id="username with @ and capitals"),
    ],
)
def test_checker_api_finds_a_released_alert(store, client_for, value):
    _release(store, "R-WEB-0001")
    response = client_for("mona").get("/api/check", params={"value": value})
    assert response.status_code == 200
    matches = response.json()["matches"]
    assert len(matches) == 1
    assert set(matches[0]) == {"kind", "headline", "incident_date", "area", "released_on"}
    assert matches[0]["incident_date"] == "2026-03-12"


def test_checker_ignores_unreleased_and_withdrawn_alerts(store, client_for):
    client = client_for("mona")
    assert client.get("/api/check", params={"value": "07700900461"}).json()["matches"] == []
    _release(store, "R-WEB-0001")
    assert len(client.get("/api/check", params={"value": "07700900461"}).json()["matches"]) == 1
    review.withdraw(store, "R-WEB-0001", "casey", "sent in error")
    assert client.get("/api/check", params={"value": "07700900461"}).json()["matches"] == []


def test_checker_never_matches_the_reporters_number(store, client_for):
    _release(store, "R-WEB-0001")
    response = client_for("mona").get("/api/check", params={"value": "07911 555123"})
    assert response.json()["matches"] == []


def test_checker_page_shows_headline_and_date(store, client_for):
    _release(store, "R-WEB-0001")
    client = client_for("mona")
    page = client.get("/check").text
    result = client.post("/check", data={"csrf_token": csrf_of(page), "value": "07700 900461"})
    assert "1 alert mentions this" in result.text
    assert "incident 2026-03-12" in result.text
    assert "Alert: sexual assault and robbery" in result.text


def test_checker_is_rate_limited_per_user(store, app, client_for):
    app.state.limiter.limit = 3
    mona, casey = client_for("mona"), client_for("casey")
    codes = [mona.get("/api/check", params={"value": "07700900461"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert casey.get("/api/check", params={"value": "07700900461"}).status_code == 200
