"""The coverage page in Chromium: the choropleth and the household tiles draw, and a gap's link
moves the map to it."""

import pytest

from tests.e2e.test_township_map_browser import HOUSEHOLD_CANVASES, PAINTED, assert_households_drawn
from tests.web.sample import TOWNSHIP_CODE

pytestmark = pytest.mark.e2e

MAP_SETTLED = """() => window.L && document.querySelector(".leaflet-overlay-pane canvas")
    && !document.querySelector(".leaflet-zoom-anim")"""
MAP_VIEW = """() => {
    const map = window[document.querySelector(".folium-map").id];
    const c = map.getCenter();
    return [c.lat, c.lng, map.getZoom()];
}"""


def test_gap_link_centres_the_map_on_the_gap(login_page, live_server, screenshot_dir):
    page = login_page("planner")
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/townships/{TOWNSHIP_CODE}/coverage")
    page.wait_for_function(MAP_SETTLED)
    assert "每百户党员数（村民小组）" in page.text_content(".leaflet-control-layers")
    # Households come from tiles, above the choropleth.
    page.wait_for_function(f"(selector) => ({PAINTED})(selector) > 0", arg=HOUSEHOLD_CANVASES)
    page.wait_for_load_state("networkidle")
    assert_households_drawn(page)
    link = page.locator("a.locate").first
    lat, lon = float(link.get_attribute("data-lat")), float(link.get_attribute("data-lon"))
    link.click()
    page.wait_for_function(MAP_SETTLED)
    centre_lat, centre_lon, zoom = page.evaluate(MAP_VIEW)
    assert zoom == 16 and abs(centre_lat - lat) < 1e-4 and abs(centre_lon - lon) < 1e-4
    page.screenshot(path=str(screenshot_dir / "coverage.png"))
    assert errors == []
