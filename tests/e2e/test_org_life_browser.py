"""The 组织生活 page in Chromium: a meeting posted from the page's session with its check-in (as the
phone does, CSRF header and all) turns up on the quarter the filter picks."""

import pytest

from tests.web.sample import TOWNSHIP_CODE

pytestmark = pytest.mark.e2e

POST_MEETING = """async () => {
    const csrf = document.querySelector('meta[name="csrf-token"]').content;
    const answer = await fetch("/api/meetings", {
        method: "POST",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
        body: JSON.stringify({client_id: crypto.randomUUID(), org_code: "P4415001002", meeting_type: "theme_day",
                              held_on: "2026-05-10", lon: 115.7161, lat: 23.902, attendees: 9}),
    });
    return [answer.status, await answer.json()];
}"""


def test_a_meeting_shows_on_the_quarter_chosen(login_page, live_server, screenshot_dir):
    page = login_page("planner")
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/townships/{TOWNSHIP_CODE}/org-life?year=2026&quarter=1")
    assert "西村党支部" in page.text_content("table.org-life-branches")
    status, body = page.evaluate(POST_MEETING)
    assert status == 201 and body["at_venue"] is True
    page.select_option("select[name=quarter]", "2")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "第2季度" in page.text_content("h1")
    meetings = page.text_content("table.org-life-meetings")
    assert "2026-05-10" in meetings and "主题党日" in meetings and "在活动场所" in meetings
    assert "2026年5月主题党日" not in page.text_content("table.org-life-branches")
    page.screenshot(path=str(screenshot_dir / "org-life.png"))
    assert errors == []
