"""在村签到 and 组织生活 on the phone in Chromium (390×844): made with no signal, kept in the
outbox (a meeting edited while it waits), stored once when the signal is back. Every test
checks what the server stored."""

import pytest
from sqlalchemy import select

from gridmgmt.db.models import Checkin, OrgMeeting, Village
from tests.e2e.test_field_offline_browser import (  # noqa: F401
    WAIT_MS,
    _count,
    _waiting,
    named,
    phone,
)

pytestmark = pytest.mark.e2e
VENUE = {"longitude": 115.716, "latitude": 23.902, "accuracy": 15}  # 西村党支部's venue


def test_check_in_and_a_meeting_recorded_offline_arrive_once(phone, live_server, session):
    phone.grant_permissions(["geolocation"])
    phone.set_geolocation(VENUE)
    page = phone.pages[0]
    page.reload()
    page.wait_for_function("() => window.FIELD && FIELD.data && FIELD.position", timeout=WAIT_MS)
    phone.set_offline(True)

    page.click("#checkin-button")
    page.wait_for_function("() => document.getElementById('presence-status').textContent.startsWith('已签到')")
    page.click("#meeting-button")
    assert page.locator("#meeting-org option").all_inner_texts() == ["西村党支部"]
    page.select_option("#meeting-type", "theme_day")
    page.fill("#meeting-topic", "学习党章")
    page.fill("#meeting-attendees", "9")
    page.click("#meeting-submit")
    _waiting(page, 2)

    page.click("#outbox-toggle")  # the meeting waits: its topic is corrected
    page.click("#outbox-items li:has-text('主题党日') .edit")
    assert page.input_value("#meeting-topic") == "学习党章"
    page.fill("#meeting-topic", "学习新党章")
    page.click("#meeting-submit")
    assert (
        page.locator("#outbox-items li:has-text('在村签到') .edit").count() == 0
    )  # a check-in is made again, not edited
    page.close()
    assert _count(session, Checkin) == 0 and _count(session, OrgMeeting) == 0

    page = phone.new_page()  # opened again with no signal, then the signal is back
    page.goto(f"{live_server}/m")
    page.wait_for_function("() => window.FIELD && FIELD.data", timeout=WAIT_MS)
    _waiting(page, 2)
    phone.set_offline(False)
    _waiting(page, 0)
    assert _count(session, Checkin) == 1 and _count(session, OrgMeeting) == 1
    checkin = session.scalar(select(Checkin))
    assert checkin.village_id == session.scalar(select(Village.id).where(Village.name == "西村"))
    meeting = session.scalar(select(OrgMeeting))
    assert (meeting.meeting_type, meeting.topic, meeting.attendees) == ("theme_day", "学习新党章", 9)
    assert meeting.at_venue is True and meeting.client_id is not None
    assert phone.errors == []
