"""The township map in Chromium: Leaflet loads locally and draws every layer.

Villages, groups, roads and households come from vector tiles, each layer in its
own pane (one canvas per tile); the boundary, village names and venues are embedded.
"""
import pytest

from tests.web.sample import TOWNSHIP_CODE

pytestmark = pytest.mark.e2e

# The folium map object is a global named after its <div>.
COUNT_LAYERS = """() => {
    const map = window[document.querySelector(".folium-map").id];
    const counts = {polygons: 0, lines: 0, circles: 0, markers: 0};
    map.eachLayer(layer => {
        if (layer instanceof L.Polygon) counts.polygons++;
        else if (layer instanceof L.Polyline) counts.lines++;
        else if (layer instanceof L.CircleMarker) counts.circles++;
        else if (layer instanceof L.Marker) counts.markers++;
    });
    return counts;
}"""

# fitBounds animates from the initial zoom: wait until the canvas is drawn and still.
MAP_SETTLED = """() => window.L && document.querySelector(".leaflet-overlay-pane canvas")
    && !document.querySelector(".leaflet-zoom-anim")"""

# Non-transparent pixels on the canvases the selector picks.
PAINTED = """(selector) => {
    let painted = 0;
    for (const canvas of document.querySelectorAll(selector)) {
        const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    }
    return painted;
}"""
OVERLAY_CANVAS = ".leaflet-overlay-pane canvas"
HOUSEHOLD_CANVASES = ".leaflet-households-pane canvas"  # vector tiles, one canvas each
TILED_PANES = ("villages", "village_groups", "roads")

HOUSEHOLD_POINT = """([lat, lon]) => {
    const map = window[document.querySelector(".folium-map").id];
    const point = map.latLngToContainerPoint([lat, lon]);
    const box = map.getContainer().getBoundingClientRect();
    return [box.left + point.x, box.top + point.y];
}"""


def _open_map(login_page, live_server, width, height):
    page = login_page("admin", width, height)
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/townships/{TOWNSHIP_CODE}")
    page.wait_for_function(MAP_SETTLED)
    page.wait_for_function(f"(selector) => ({PAINTED})(selector) > 0", arg=HOUSEHOLD_CANVASES)
    page.wait_for_load_state("networkidle")
    return page, requests, errors


def _assert_drawn(page, requests, errors, live_server):
    # Tiled layers are drawn on their own canvases, not as Leaflet layers: what is left
    # is the boundary, the two village names and the venue.
    assert page.evaluate(COUNT_LAYERS) == {"polygons": 1, "lines": 0, "circles": 0, "markers": 3}
    assert page.evaluate(PAINTED, HOUSEHOLD_CANVASES) > 20
    assert page.evaluate(PAINTED, OVERLAY_CANVAS) > 1000
    for pane in TILED_PANES:
        assert page.evaluate(PAINTED, f".leaflet-{pane}-pane canvas") > 1000, pane
    assert page.locator(".village-label").all_inner_texts() == ["西村", "东村"]
    assert page.locator(".leaflet-marker-pane .venue-icon").count() == 1
    assert page.locator(".map-legend summary").inner_text() == "图例"
    outside = [url for url in requests if not url.startswith((live_server, "data:"))]
    assert outside == []
    assert errors == []


def test_map_draws_every_layer_without_outside_requests(login_page, live_server, screenshot_dir):
    page, requests, errors = _open_map(login_page, live_server, 1280, 800)
    _assert_drawn(page, requests, errors, live_server)
    page.screenshot(path=screenshot_dir / "township_map_desktop.png")
    page.close()


def _hover(page, lat, lon) -> str:
    page.mouse.move(*page.evaluate(HOUSEHOLD_POINT, [lat, lon]))
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    return tooltip.inner_text()


def test_hovering_a_household_shows_its_code(login_page, live_server):
    page, _requests, errors = _open_map(login_page, live_server, 1280, 800)
    with page.expect_response(lambda r: "/ogc/collections/households/items/" in r.url):
        text = _hover(page, 23.89, 115.75)  # the code is fetched: tiles carry ids only
    assert "户号" in text and "44150010020202001" in text
    assert errors == []
    page.close()


def test_hovering_a_road_or_a_group_names_it(login_page, live_server):
    page, _requests, errors = _open_map(login_page, live_server, 1280, 800)
    road = _hover(page, 23.90, 115.745)
    assert "县道101" in road and "等级 县道" in road
    page.mouse.move(0, 0)
    page.wait_for_selector(".leaflet-tooltip", state="detached")
    assert "村民小组 东村上组" in _hover(page, 23.915, 115.745)
    assert errors == []
    page.close()


def test_phone_layout_shows_the_map(login_page, live_server, screenshot_dir):
    page, requests, errors = _open_map(login_page, live_server, 390, 844)
    _assert_drawn(page, requests, errors, live_server)
    map_box = page.locator(".folium-map").bounding_box()
    assert map_box["width"] == 390 and map_box["height"] > 700
    page.screenshot(path=screenshot_dir / "township_map_phone.png")
    page.close()
