"""The township map in Chromium: Leaflet loads locally and draws every layer.

Villages, groups, roads and households come from vector tiles drawn by protomaps-leaflet,
each layer in its own pane (one canvas per tile); the boundary, village names and venues
are embedded. Known features are checked where they lie: the colour drawn there.
"""

import pytest

from gridmgmt.maps import styles
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

# [r, g, b, a] of the most opaque pixel within a pixel of [lat, lon] on the canvases SELECTOR
# picks (a tile's canvas may have more pixels than it covers on screen).
COLOUR_AT = """([selector, lat, lon]) => {
    const map = window[document.querySelector(".folium-map").id];
    const point = map.latLngToContainerPoint([lat, lon]);
    const box = map.getContainer().getBoundingClientRect();
    const x = box.left + point.x, y = box.top + point.y;
    let best = [0, 0, 0, 0];
    for (const canvas of document.querySelectorAll(selector)) {
        const r = canvas.getBoundingClientRect();
        if (x < r.left || x >= r.right || y < r.top || y >= r.bottom) continue;
        const cx = Math.floor((x - r.left) * canvas.width / r.width);
        const cy = Math.floor((y - r.top) * canvas.height / r.height);
        const data = canvas.getContext("2d").getImageData(cx - 1, cy - 1, 3, 3).data;
        for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3] > best[3]) best = Array.from(data.slice(i, i + 4));
        }
    }
    return best;
}"""
# The sample township's households (lat, lon), and points on its roads and in a village.
HOUSEHOLDS = [(23.91, 115.71), (23.89, 115.72), (23.91, 115.74), (23.89, 115.75)]
COUNTY_ROAD = (23.90, 115.745)
VILLAGE_ROAD = (23.91, 115.715)
INSIDE_WEST_VILLAGE = (23.915, 115.705)

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


def colour(hex_colour: str, opacity: float) -> tuple[int, int, int, int]:
    """(r, g, b, a) of HEX_COLOUR (#rrggbb) drawn at OPACITY."""
    return (*bytes.fromhex(hex_colour[1:]), round(255 * opacity))


def assert_colour_at(page, pane: str, point: tuple[float, float], expected: tuple[int, ...]) -> None:
    """The tiles of PANE show EXPECTED (r, g, b, a, give or take anti-aliasing) at POINT (lat, lon)."""
    drawn = page.evaluate(COLOUR_AT, [f".leaflet-{pane}-pane canvas", *point])
    assert all(abs(a - b) <= 12 for a, b in zip(drawn, expected)), (pane, point, drawn, expected)


def assert_households_drawn(page) -> None:
    """Every sample household is a dot of the households' colour where it lies."""
    dot = colour(styles.HOUSEHOLD["fill_color"], styles.HOUSEHOLD["fill_opacity"])
    for point in HOUSEHOLDS:
        assert_colour_at(page, "households", point, dot)


def _assert_drawn(page, requests, errors, live_server):
    # Tiled layers are drawn on their own canvases, not as Leaflet layers: what is left
    # is the boundary, the two village names and the venue.
    assert page.evaluate(COUNT_LAYERS) == {"polygons": 1, "lines": 0, "circles": 0, "markers": 3}
    assert_households_drawn(page)
    assert page.evaluate(PAINTED, OVERLAY_CANVAS) > 1000
    for pane in TILED_PANES:
        assert page.evaluate(PAINTED, f".leaflet-{pane}-pane canvas") > 1000, pane
    assert_colour_at(page, "roads", COUNTY_ROAD, colour(styles.ROADS["county"]["color"], 1))
    assert_colour_at(page, "roads", VILLAGE_ROAD, colour(styles.ROADS["village"]["color"], 1))
    assert_colour_at(page, "roads", HOUSEHOLDS[3], (0, 0, 0, 0))  # no road there
    assert_colour_at(
        page, "villages", INSIDE_WEST_VILLAGE, colour(styles.VILLAGE["fillColor"], styles.VILLAGE["fillOpacity"])
    )
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
