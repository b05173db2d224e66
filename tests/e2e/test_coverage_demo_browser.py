"""The coverage map on the demo township (seed 1) at 1366×768: at the township's zoom its
households beyond reach are circles per 村民小组 and no household is drawn; a village's link
brings the households from their tiles and those beyond reach, fetched then, as points."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from gridmgmt.db.models import AppUser, Township
from gridmgmt.maps.coverage import FAR_COLOUR, VILLAGE_ZOOM
from tests.e2e.test_coverage_browser import MAP_SETTLED, MAP_VIEW
from tests.e2e.test_township_map_browser import HOUSEHOLD_CANVASES, PAINTED
from tests.integration.demo_town import CODE, default_demo
from tests.web.live import serving
from tests.web.people import PASSWORD, password_hash
from web import create_app

pytestmark = pytest.mark.e2e

USERNAME = "demo-map-leader"
# [circles of the per-group counts, points of single households], in the far colour.
FAR_MARKERS = """(colour) => {
    const map = window[document.querySelector(".folium-map").id];
    const counts = [0, 0];
    map.eachLayer((layer) => {
        if (layer instanceof L.CircleMarker && layer.options.fillColor === colour) {
            counts[layer.options.radius > 4 ? 0 : 1]++;
        }
    });
    return counts;
}"""


@pytest.fixture(scope="module")
def demo_server(engine, db_url):
    """The app serving the demo township, with a leader of it."""

    def add_leader(session: Session) -> None:
        township = session.scalar(select(Township.id).where(Township.code == CODE))
        session.add(AppUser(username=USERNAME, password_hash=password_hash(), role="leader", township_id=township))
        session.commit()

    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "TIANDITU_KEY": None})
    with default_demo(engine, date(2026, 7, 1), add_leader), serving(app, db_url) as url:
        yield url


def test_counts_per_group_then_households_from_village_zoom(browser, demo_server, screenshot_dir):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{demo_server}/login")
    page.fill('input[name="username"]', USERNAME)
    page.fill('input[name="password"]', PASSWORD)
    with page.expect_navigation():
        page.click('button[type="submit"]')
    page.goto(f"{demo_server}/townships/{CODE}/coverage")
    page.wait_for_function(MAP_SETTLED)
    page.wait_for_load_state("networkidle")
    assert page.evaluate(MAP_VIEW)[2] < VILLAGE_ZOOM
    assert page.evaluate(PAINTED, HOUSEHOLD_CANVASES) == 0
    groups, points = page.evaluate(FAR_MARKERS, FAR_COLOUR)
    assert groups > 20 and points == 0
    # The village with the most households beyond 2 km: its link in the folded list.
    with page.expect_response(lambda r: "/coverage/far.geojson" in r.url and r.status == 200):
        page.locator('details.rule:has(h3[data-rule="venue_far"]) details summary a.locate').first.click()
    page.wait_for_function(MAP_SETTLED)
    page.wait_for_function(f"(selector) => ({PAINTED})(selector) > 0", arg=HOUSEHOLD_CANVASES)
    page.wait_for_function(f"() => ({FAR_MARKERS})({FAR_COLOUR!r})[1] > 0")
    assert page.evaluate(MAP_VIEW)[2] == VILLAGE_ZOOM
    assert page.evaluate(FAR_MARKERS, FAR_COLOUR)[0] == 0
    page.locator("#coverage-map").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "coverage-demo-village-zoom.png"))
    page.context.close()
    assert errors == []
