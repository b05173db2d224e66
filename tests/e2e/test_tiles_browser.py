"""Households from vector tiles in Chromium: tiles load, dots are drawn, hover shows the code."""
import pytest

from tests.web.sample import TOWNSHIP_CODE

pytestmark = pytest.mark.e2e

# Non-transparent pixels on the household tiles' canvases.
PAINTED_HOUSEHOLDS = """() => {
    let painted = 0;
    for (const canvas of document.querySelectorAll(".leaflet-households-pane canvas")) {
        const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    }
    return painted;
}"""

SCREEN_POINT = """([lat, lon]) => {
    const map = window[document.querySelector(".folium-map").id];
    const point = map.latLngToContainerPoint([lat, lon]);
    const box = map.getContainer().getBoundingClientRect();
    return [box.left + point.x, box.top + point.y];
}"""


def _open_map(login_page, live_server, username):
    page = login_page(username)
    requests, errors, tiles = [], [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda r: "/tiles/" in r.url and tiles.append((r.url, r.status)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/townships/{TOWNSHIP_CODE}")
    page.wait_for_function(f"() => ({PAINTED_HOUSEHOLDS})() > 0")
    page.wait_for_load_state("networkidle")
    return page, requests, errors, tiles


def test_household_tiles_are_drawn_without_outside_requests(login_page, live_server,
                                                           screenshot_dir):
    page, requests, errors, tiles = _open_map(login_page, live_server, "planner")
    assert tiles and all(status in (200, 204) for _url, status in tiles), tiles
    assert any(status == 200 for _url, status in tiles)
    assert all("/tiles/households/" in url for url, _status in tiles)
    assert page.evaluate(PAINTED_HOUSEHOLDS) > 20  # five dots of radius 2
    outside = [url for url in requests if not url.startswith((live_server, "data:", "blob:"))]
    assert outside == []
    assert errors == []
    assert "44150010020202001" not in page.content().split("<canvas")[0]  # not in the HTML
    page.screenshot(path=screenshot_dir / "township_map_household_tiles.png")
    page.close()


def test_hovering_a_tiled_household_shows_its_code(login_page, live_server):
    page, _requests, _errors, _tiles = _open_map(login_page, live_server, "planner")
    page.mouse.move(*page.evaluate(SCREEN_POINT, [23.89, 115.75]))
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert tooltip.inner_text() == "户号 44150010020202001"
    page.close()
