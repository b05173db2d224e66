"""The coverage page in Chromium at 1366×768 (and folded on a phone): it opens on the problem counts by rule, a count
shows its rule alone, the village filter changes the cards, households are drawn only from
village zoom, and a gap's link moves the map to it."""

import pytest

from gridmgmt.maps.coverage import VILLAGE_ZOOM
from tests.e2e.test_township_map_browser import (
    COLOUR_AT,
    HOUSEHOLD_CANVASES,
    HOUSEHOLDS,
    PAINTED,
    assert_households_drawn,
)
from tests.web.sample import TOWNSHIP_CODE

pytestmark = pytest.mark.e2e

MAP_SETTLED = """() => window.L && document.querySelector(".leaflet-overlay-pane canvas")
    && !document.querySelector(".leaflet-zoom-anim")"""
MAP_VIEW = """() => {
    const map = window[document.querySelector(".folium-map").id];
    const c = map.getCenter();
    return [c.lat, c.lng, map.getZoom()];
}"""
SET_VIEW = """([lat, lon, zoom]) => window[document.querySelector(".folium-map").id].setView([lat, lon], zoom)"""
CARDS = """() => Object.fromEntries([...document.querySelectorAll(".cards > div")]
    .map((card) => [card.firstChild.textContent.trim(), card.querySelector("b").textContent]))"""


def _open(login_page, live_server, query: str = ""):
    page = login_page("planner", 1366, 768)
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/townships/{TOWNSHIP_CODE}/coverage{query}")
    page.wait_for_function(MAP_SETTLED)
    page.wait_for_load_state("networkidle")
    return page, errors


def test_opens_on_the_rule_counts_and_a_count_lists_its_rule(login_page, live_server, screenshot_dir):
    page, errors = _open(login_page, live_server)
    # The first screen holds the cards and every section's count, above the map.
    box = page.locator("#rule-counts").bounding_box()
    assert box["y"] + box["height"] < 768
    links = page.locator("#rule-counts a[data-rule]")
    assert links.first.get_attribute("data-rule") == "blank_group" and "4" in links.first.text_content()
    page.screenshot(path=str(screenshot_dir / "coverage.png"))
    # Households are not drawn below village zoom (the small sample township fits at village
    # zoom itself; the demo township's fit is below it).
    page.evaluate(SET_VIEW, [*page.evaluate(MAP_VIEW)[:2], VILLAGE_ZOOM - 1])
    page.wait_for_function(MAP_SETTLED)
    page.wait_for_load_state("networkidle")
    assert page.evaluate(PAINTED, HOUSEHOLD_CANVASES) == 0
    with page.expect_navigation():
        page.locator('#rule-counts a[data-rule="blank_village"]').click()
    listed = page.eval_on_selector_all("#problems h3", "(hs) => hs.map((h) => h.dataset.rule)")
    assert listed == ["blank_village"] and page.locator("#problems a.locate").count() == 2
    assert errors == []


def test_the_village_filter_changes_the_cards(login_page, live_server):
    page, errors = _open(login_page, live_server)
    township = page.evaluate(CARDS)
    with page.expect_navigation():
        page.select_option("#village-filter", "西村")
    page.wait_for_function(MAP_SETTLED)
    village = page.evaluate(CARDS)
    assert "乡镇" in township and village["行政村"] == "西村"
    assert village["户数"] != township["户数"] and village["问题合计"] != township["问题合计"]
    assert errors == []


def test_gap_link_centres_the_map_and_draws_the_households(login_page, live_server):
    page, errors = _open(login_page, live_server)
    township_view = page.evaluate(MAP_VIEW)
    link = page.locator("a.locate").first
    lat, lon = float(link.get_attribute("data-lat")), float(link.get_attribute("data-lon"))
    link.click()
    page.wait_for_function(MAP_SETTLED)
    centre_lat, centre_lon, zoom = page.evaluate(MAP_VIEW)
    assert zoom == 16 and abs(centre_lat - lat) < 1e-4 and abs(centre_lon - lon) < 1e-4
    # From village zoom on, households come from their tiles: all of the sample's at its own view.
    page.wait_for_function(f"(selector) => ({PAINTED})(selector) > 0", arg=HOUSEHOLD_CANVASES)
    page.evaluate(SET_VIEW, township_view)
    page.wait_for_function(MAP_SETTLED)
    page.wait_for_load_state("networkidle")
    # The tiles of the new view are drawn after they arrive: wait for a dot at every household.
    page.wait_for_function(
        f"(points) => points.every((p) => ({COLOUR_AT})([{HOUSEHOLD_CANVASES!r}, ...p])[3] > 0)", arg=HOUSEHOLDS
    )
    assert_households_drawn(page)
    assert errors == []


def test_on_a_phone_each_rules_list_is_folded_under_its_heading_until_chosen(login_page, live_server):
    """390×844: the problem list is a column of headings (the page was 6,684 px tall on the demo);
    a heading opens its list, and a rule chosen from the counts comes open."""
    page = login_page("planner", 390, 844)
    page.goto(f"{live_server}/townships/{TOWNSHIP_CODE}/coverage")
    page.wait_for_load_state("networkidle")
    folded = page.eval_on_selector_all("#problems details.rule", "(ds) => ds.map((d) => d.open)")
    assert folded and not any(folded)
    assert not page.locator("#problems table.gaps").first.is_visible()
    page.locator("#problems details.rule summary").first.click()
    assert page.locator("#problems details.rule").first.evaluate("(d) => d.open")
    page.goto(f"{live_server}/townships/{TOWNSHIP_CODE}/coverage?rule=blank_village#problems")
    assert page.eval_on_selector_all("#problems details.rule", "(ds) => ds.map((d) => d.open)") == [True]
    assert page.locator("#problems a.locate").first.is_visible()
