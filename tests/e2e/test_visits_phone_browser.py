"""The grid worker's visit page in Chromium at 390×844: the due list by group, one tap opens a
household, a visit with the phone's position and accuracy, a lost answer resent stays one visit,
a far fix is flagged, a route on the map and as a printable list, events reported and listed."""

import pytest
from sqlalchemy import func, select

from gridmgmt.db.models import Event, Followup, Household, Visit
from tests.e2e.test_field_offline_browser import lose_answer

pytestmark = pytest.mark.e2e
WAIT_MS = 20_000


def _home(session, household_id):
    home = session.get(Household, household_id)
    lon, lat = session.execute(
        select(func.ST_X(Household.geom), func.ST_Y(Household.geom)).where(Household.id == household_id)
    ).one()
    return home, lon, lat


def _count(session, model, household_id):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model).where(model.household_id == household_id))


def _row(item):
    return f"#due-list li[data-key='{item['household_id'] or ''}:{item['event_id'] or ''}']"


def _record(page, item):
    page.click(_row(item))
    page.wait_for_function("() => document.getElementById('sheet-fix').dataset.fresh")
    page.fill("#sheet-note", "家中老人身体尚好")
    page.select_option("#followup-category", "livelihood")
    page.fill("#followup-note", "下月复查低保材料")
    page.click("#sheet-submit")


def _open(page, base):
    page.goto(f"{base}/m/visits")
    page.wait_for_function("() => window.FIELD && FIELD.data", timeout=WAIT_MS)
    return page.evaluate("FIELD.data.due")


def _report_event(page, household_id, kind):
    page.evaluate("id => FIELD.record({household_id: id})", household_id)
    page.click("#sheet-event summary")
    page.select_option("#event-type", kind)
    page.click("#event-submit")


def test_phone_visit_page(login_page, live_server, session, screenshot_dir):
    page = login_page("grid_worker", 390, 844)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    items = _open(page, live_server)
    homes = [i for i in items if i["household_id"]]
    assert homes and page.locator("#due-list li").count() == len(items)
    assert page.locator("#due-list .due-group h3").count() >= 1  # grouped by 村民小组
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.screenshot(path=str(screenshot_dir / "visits-phone.png"))

    # Before any visit: the due household is on the route. No position yet: from 驻地 (with none
    # the default, 当前位置, is refused with the reason).
    page.click("#route-button")
    page.wait_for_function("() => document.getElementById('route-summary').textContent.includes('还没有定位')")
    page.select_option("#route-start", "base")
    page.click("#route-button")
    page.wait_for_selector("#route-stops tbody tr")
    assert "从驻地出发并返回" in page.text_content("#route-summary")
    assert page.is_visible("#print-button")
    page.screenshot(path=str(screenshot_dir / "visits-phone-route.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.is_visible("#field-map") and page.is_visible("#route-stops")
    page.screenshot(path=str(screenshot_dir / "visits-phone-print.png"), full_page=True)
    page.emulate_media(media="screen")

    first, lon, lat = _home(session, homes[0]["household_id"])
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"longitude": lon, "latitude": lat + 0.0001, "accuracy": 15})
    # The answer is lost on the way back: the server stored the visit, the phone does not know.
    lost = []
    page.context.route("**/api/field/outbox", lambda route: lose_answer(route, lost))
    _record(page, homes[0])
    page.wait_for_function(
        "() => document.getElementById('outbox-status').textContent.includes('网络不畅')", timeout=WAIT_MS
    )
    assert lost and lost[0].status == 200 and _count(session, Visit, first.id) == 1
    assert page.text_content("#outbox-count") == "2"  # the visit and its follow-up
    page.context.unroute("**/api/field/outbox")
    page.click("#outbox-send")  # sent again with the same client id
    page.wait_for_function("() => document.getElementById('outbox-count').textContent === '0'", timeout=WAIT_MS)
    page.wait_for_function(f"() => document.querySelector(\"{_row(homes[0])} .state\").textContent === '已记录'")
    assert _count(session, Visit, first.id) == 1
    stored = session.scalar(select(Visit).where(Visit.household_id == first.id))
    assert stored.accuracy_m == 15 and stored.distance_m < 20 and not stored.flagged
    assert stored.note == "家中老人身体尚好"
    # Its follow-up went in the same lost batch and was sent again: stored once.
    raised = session.scalars(select(Followup).where(Followup.visit_id == stored.id)).all()
    assert [(f.category, f.note, f.state) for f in raised] == [("livelihood", "下月复查低保材料", "open")]

    # A second visit 0.005° of latitude (about 550 m) away: kept, flagged, the distance shown.
    page.context.set_geolocation({"longitude": lon, "latitude": lat + 0.005, "accuracy": 30})
    _record(page, homes[0])
    row = f"{_row(homes[0])} .state"
    page.wait_for_function(f"() => document.querySelector(\"{row}\").textContent.includes('待核实')", timeout=WAIT_MS)
    assert "距农户 554 米" in page.text_content(row) and _count(session, Visit, first.id) == 2

    # The detail link opens the household.
    page.click(_row(homes[0]))
    with page.expect_navigation():
        page.click("#sheet-household")
    assert first.code in page.text_content("main")
    assert errors == []


def test_phone_event_reports(login_page, live_server, session, screenshot_dir):
    """A lost answer to an event report is resent when the page opens again and stays one event;
    two open events at one household are both listed."""
    page = login_page("grid_worker", 390, 844)
    errors, lost = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    other = next(i["household_id"] for i in _open(page, live_server) if i["household_id"])
    page.context.route("**/api/field/outbox", lambda route: lose_answer(route, lost))
    _report_event(page, other, "dispute")
    page.wait_for_function(
        "() => document.getElementById('outbox-status').textContent.includes('网络不畅')", timeout=WAIT_MS
    )
    assert lost[0].status == 200 and _count(session, Event, other) == 1
    page.context.unroute("**/api/field/outbox")
    page.reload()  # sent again when the app opens, with the same client id
    page.wait_for_function(
        "() => window.FIELD && FIELD.data && document.getElementById('outbox-status').textContent === '全部已上传'",
        timeout=WAIT_MS,
    )
    assert page.evaluate("gridmgmtOutbox.items()") == [] and _count(session, Event, other) == 1

    # A second open event at the same household: both are on the list once the working set is back.
    _report_event(page, other, "grievance")
    page.wait_for_function(
        f"() => FIELD.data.due.filter(i => i.household_id === {other} && i.event_id).length === 2", timeout=WAIT_MS
    )
    mine = [i["event_type"] for i in page.evaluate("FIELD.data.due") if i["household_id"] == other and i["event_id"]]
    assert sorted(mine) == ["不满情绪", "矛盾纠纷"] and _count(session, Event, other) == 2
    page.screenshot(path=str(screenshot_dir / "visits-phone-two-events.png"))
    assert errors == []
