"""The grid worker's visit page in Chromium at 390×844: the due list, one tap opens a household,
a visit with the phone's position and accuracy, a lost answer retried stays one visit, a far fix
is flagged, a route on the map and as a printable list."""

import pytest
from sqlalchemy import func, select

from gridmgmt.db.models import Checkin, Event, Household, Visit

pytestmark = pytest.mark.e2e


def _home(session, household_id):
    home = session.get(Household, household_id)
    lon, lat = session.execute(
        select(func.ST_X(Household.geom), func.ST_Y(Household.geom)).where(Household.id == household_id)
    ).one()
    return home, lon, lat


def _visits(session, household_id):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Visit).where(Visit.household_id == household_id))


def _record(page, index):
    page.click(f"#due-list li[data-index='{index}']")
    page.wait_for_function("() => document.getElementById('sheet-fix').textContent.includes('已定位')")
    page.fill("#sheet-note", "家中老人身体尚好")
    page.fill("#sheet-follow", "下月复查低保材料")
    page.click("#sheet-submit")


def _events(session, household_id):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Event).where(Event.household_id == household_id))


def _report_event(page, household_id, kind):
    items = page.evaluate("VISITS.items")
    index = next(k for k, i in enumerate(items) if i["household_id"] == household_id)
    page.click(f"#due-list li[data-index='{index}']")
    page.click("#sheet-event summary")
    page.select_option("#event-type", kind)
    page.click("#event-submit")


def test_phone_visit_page(login_page, live_server, session, screenshot_dir):
    page = login_page("grid_worker", 390, 844)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/m/visits")
    items = page.evaluate("VISITS.items")
    homes = [i for i in items if i["household_id"]]
    assert homes and page.locator("#due-list li").count() == len(items)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.screenshot(path=str(screenshot_dir / "visits-phone.png"))

    # Before any visit: the due household is on the route.
    page.click("#route-button")
    page.wait_for_selector("#route-stops tbody tr")
    assert "从驻地出发并返回" in page.text_content("#route-summary")
    assert page.is_visible("#print-button")
    page.screenshot(path=str(screenshot_dir / "visits-phone-route.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.is_visible("#visit-map") and page.is_visible("#route-stops")
    page.screenshot(path=str(screenshot_dir / "visits-phone-print.png"), full_page=True)
    page.emulate_media(media="screen")

    first, lon, lat = _home(session, homes[0]["household_id"])
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"longitude": lon, "latitude": lat + 0.0001, "accuracy": 15})
    # The answer is lost on the way back: the server stored the visit, the phone does not know.
    lost = []
    page.route("**/api/visits", lambda route: (lost.append(route.fetch()), route.abort()))
    _record(page, items.index(homes[0]))
    page.wait_for_function("() => document.getElementById('sheet-submit').textContent.includes('网络不畅')")
    assert lost and lost[0].status == 201 and _visits(session, first.id) == 1
    page.unroute("**/api/visits")
    page.click("#sheet-submit")  # the retry carries the same client id
    page.wait_for_function(
        f"() => document.querySelector(\"#due-list li[data-index='{items.index(homes[0])}'] .state\")"
        ".textContent === '已记录'"
    )
    assert _visits(session, first.id) == 1
    stored = session.scalar(select(Visit).where(Visit.household_id == first.id))
    assert stored.accuracy_m == 15 and stored.distance_m < 20 and not stored.flagged
    assert stored.note == "家中老人身体尚好\n需跟进：下月复查低保材料"

    # A second visit 0.005° of latitude (about 550 m) away: kept, flagged, the distance shown.
    page.context.set_geolocation({"longitude": lon, "latitude": lat + 0.005, "accuracy": 30})
    _record(page, items.index(homes[0]))
    row = f"#due-list li[data-index='{items.index(homes[0])}'] .state"
    page.wait_for_function(f"() => document.querySelector(\"{row}\").textContent.includes('待核实')")
    assert "距农户 554 米" in page.text_content(row) and _visits(session, first.id) == 2

    # The detail link opens the household.
    page.click(f"#due-list li[data-index='{items.index(homes[0])}']")
    with page.expect_navigation():
        page.click("#sheet-household")
    assert first.code in page.text_content("main")
    page.go_back()

    assert errors == []


def test_phone_event_reports(login_page, live_server, session, screenshot_dir):
    """A lost answer to an event report is resent on the next page load and stays one event;
    two open events at one household are both listed."""
    page = login_page("grid_worker", 390, 844)
    errors, lost = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/m/visits")
    other = next(i["household_id"] for i in page.evaluate("VISITS.items") if i["household_id"])
    # An event report whose answer is lost is resent when the page opens again: one event.
    page.route("**/api/events", lambda route: (lost.append(route.fetch()), route.abort()))
    _report_event(page, other, "dispute")
    page.wait_for_function("() => document.getElementById('event-submit').textContent.includes('网络不畅')")
    assert lost[0].status == 201 and _events(session, other) == 1
    page.unroute("**/api/events")
    with page.expect_response("**/api/events") as resent:
        page.reload()
    assert resent.value.status == 200 and _events(session, other) == 1
    page.wait_for_function("() => localStorage.getItem('gridmgmt-pending-events') === '{}'")

    # A second open event at the same household: both are on the list.
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        _report_event(page, other, "grievance")
    mine = [i["event_type"] for i in page.evaluate("VISITS.items") if i["household_id"] == other]
    assert sorted(mine) == ["不满情绪", "矛盾纠纷"] and _events(session, other) == 2
    page.screenshot(path=str(screenshot_dir / "visits-phone-two-events.png"))

    assert errors == []


def test_phone_check_in(login_page, live_server, session):
    """003 三.5 在村签到: one tap records where the cadre is; a lost answer is resent on the next
    page load and stays one check-in; a fix outside every village is refused in Chinese."""
    page = login_page("grid_worker", 390, 844)
    errors, lost = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/m/visits")
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"longitude": 115.745, "latitude": 23.90, "accuracy": 10})  # in 东村
    page.route("**/api/checkins", lambda route: (lost.append(route.fetch()), route.abort()))
    page.click("#checkin-button")
    page.wait_for_function("() => document.getElementById('checkin-state').textContent.includes('网络不畅')")
    assert lost[0].status == 201 and _checkins(session) == 1
    page.unroute("**/api/checkins")
    with page.expect_response("**/api/checkins") as resent:
        page.reload()
    assert resent.value.status == 200 and _checkins(session) == 1
    page.wait_for_function("() => document.getElementById('checkin-state').textContent === '已签到'")
    page.context.set_geolocation({"longitude": 115.83, "latitude": 23.90, "accuracy": 10})  # in 邻镇
    page.click("#checkin-button")
    page.wait_for_function("() => document.getElementById('checkin-state').textContent.includes('不在本乡镇')")
    assert _checkins(session) == 1 and page.evaluate("localStorage.getItem('gridmgmt-pending-checkins')") == "{}"
    assert errors == []


def _checkins(session):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Checkin))
