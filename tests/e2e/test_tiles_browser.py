"""The vector tiles in Chromium: which layers load for whom, drawn where their features lie,
with no basemap and under the Tianditu basemap.

Hovering tiled features is tested in test_township_map_browser.py.
"""

import io

import pytest
from PIL import Image

from gridmgmt.maps import styles
from tests.e2e.test_township_map_browser import (
    COUNTY_ROAD,
    HOUSEHOLD_CANVASES,
    PAINTED,
    assert_colour_at,
    assert_households_drawn,
    colour,
)
from tests.web.sample import TOWNSHIP_CODE

pytestmark = pytest.mark.e2e

TIANDITU_KEY = "test-key"
TIANDITU = "https://*.tianditu.gov.cn/**"
BASEMAP_RGB = (120, 200, 120)
# Drawn once households are painted, or at once when the page has no household layer.
SETTLED = f"""() => !document.querySelector("{HOUSEHOLD_CANVASES}")
    || ({PAINTED})("{HOUSEHOLD_CANVASES}") > 0"""


def _open_map(login_page, live_server, username, before=None):
    page = login_page(username)
    if before:
        before(page)
    requests, errors, tiles = [], [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda r: "/tiles/" in r.url and tiles.append((r.url, r.status)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/townships/{TOWNSHIP_CODE}")
    page.wait_for_function(SETTLED)
    page.wait_for_load_state("networkidle")
    page.wait_for_function(SETTLED)
    layers = {url.split("/tiles/")[1].split("/")[0] for url, status in tiles if status == 200}
    assert tiles and all(status in (200, 204) for _url, status in tiles), tiles
    return page, requests, errors, layers


def test_household_tiles_are_drawn_without_outside_requests(login_page, live_server, screenshot_dir):
    page, requests, errors, layers = _open_map(login_page, live_server, "planner")
    assert layers == {"villages", "village_groups", "roads", "households"}
    assert_households_drawn(page)
    outside = [url for url in requests if not url.startswith((live_server, "data:", "blob:"))]
    assert outside == []
    assert errors == []
    assert "44150010020202001" not in page.content()  # codes come on hover only
    page.screenshot(path=screenshot_dir / "township_map_household_tiles.png")
    page.close()


def test_a_role_that_may_not_see_households_gets_no_household_tiles(login_page, live_server):
    page, _requests, errors, layers = _open_map(login_page, live_server, "reviewer")
    assert layers == {"villages", "village_groups", "roads"}  # and no 403 asking for households
    assert page.locator(".leaflet-households-pane").count() == 0
    assert page.evaluate(PAINTED, ".leaflet-roads-pane canvas") > 1000
    assert errors == []
    page.close()


def _answer_tianditu(page, asked: list[str]) -> None:
    image = io.BytesIO()
    Image.new("RGB", (256, 256), BASEMAP_RGB).save(image, "PNG")

    def answer(route):
        asked.append(route.request.url)
        route.fulfill(body=image.getvalue(), content_type="image/png")

    page.route(TIANDITU, answer)


@pytest.mark.parametrize("live_server", [TIANDITU_KEY], indirect=True)
def test_tiles_are_drawn_over_the_tianditu_basemap(login_page, live_server, screenshot_dir):
    asked = []
    page, requests, errors, _layers = _open_map(
        login_page, live_server, "planner", before=lambda page: _answer_tianditu(page, asked)
    )
    assert any("LAYER=vec" in url for url in asked) and any("LAYER=cva" in url for url in asked)
    assert all(f"tk={TIANDITU_KEY}" in url for url in asked)
    assert "天地图矢量" in page.text_content(".leaflet-control-layers")
    assert_households_drawn(page)  # the tiles' panes lie above the basemap's
    assert_colour_at(page, "roads", COUNTY_ROAD, colour(styles.ROADS["county"]["color"], 1))
    outside = [url for url in requests if not url.startswith((live_server, "data:", "blob:"))]
    assert outside and all(".tianditu.gov.cn/" in url for url in outside)
    assert errors == []
    page.screenshot(path=screenshot_dir / "township_map_tianditu.png")
    page.close()
