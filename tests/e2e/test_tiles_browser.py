"""The overview's vector tiles in Chromium, as a planner: tiles load and dots are drawn.

Hovering tiled features is tested in test_township_map_browser.py.
"""
import pytest

from tests.e2e.test_township_map_browser import HOUSEHOLD_CANVASES, PAINTED
from tests.web.sample import TOWNSHIP_CODE

pytestmark = pytest.mark.e2e


def _open_map(login_page, live_server, username):
    page = login_page(username)
    requests, errors, tiles = [], [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda r: "/tiles/" in r.url and tiles.append((r.url, r.status)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/townships/{TOWNSHIP_CODE}")
    page.wait_for_function(f"(selector) => ({PAINTED})(selector) > 0", arg=HOUSEHOLD_CANVASES)
    page.wait_for_load_state("networkidle")
    return page, requests, errors, tiles


def test_household_tiles_are_drawn_without_outside_requests(login_page, live_server,
                                                           screenshot_dir):
    page, requests, errors, tiles = _open_map(login_page, live_server, "planner")
    assert tiles and all(status in (200, 204) for _url, status in tiles), tiles
    layers = {url.split("/tiles/")[1].split("/")[0] for url, status in tiles if status == 200}
    assert layers == {"villages", "village_groups", "roads", "households"}
    assert page.evaluate(PAINTED, HOUSEHOLD_CANVASES) > 20  # five dots of radius 2
    outside = [url for url in requests if not url.startswith((live_server, "data:", "blob:"))]
    assert outside == []
    assert errors == []
    assert "44150010020202001" not in page.content()  # codes come on hover only
    page.screenshot(path=screenshot_dir / "township_map_household_tiles.png")
    page.close()

