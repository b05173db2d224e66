"""水系 on the township map in Chromium: a river's vector tiles load and it is drawn in the
water colour where it flows, under its own layer name."""

import pytest
from geoalchemy2.elements import WKTElement
from sqlalchemy import select

from gridmgmt.db.models import Township, Water
from gridmgmt.maps import styles
from tests.e2e.test_tiles_browser import SETTLED
from tests.e2e.test_township_map_browser import assert_colour_at, colour
from tests.web.sample import TOWNSHIP_CODE

pytestmark = pytest.mark.e2e

# A river crossing the sample township from north to south, west of the county road's bend.
RIVER = "LINESTRING(115.725 23.925, 115.725 23.875)"
ON_THE_RIVER = (23.905, 115.725)


def test_a_river_is_drawn_from_its_tiles(login_page, live_server, session, screenshot_dir):
    township = session.scalar(select(Township.id).where(Township.code == TOWNSHIP_CODE))
    session.add(Water(township_id=township, code="W1", name="浰江", kind="river", geom=WKTElement(RIVER, 4326)))
    session.commit()
    page = login_page("planner")
    tiles = []
    page.on("response", lambda r: "/tiles/waters/" in r.url and tiles.append(r.status))
    page.goto(f"{live_server}/townships/{TOWNSHIP_CODE}")
    page.wait_for_function(SETTLED)
    page.wait_for_load_state("networkidle")
    assert 200 in tiles and set(tiles) <= {200, 204}, tiles
    assert_colour_at(page, "waters", ON_THE_RIVER, colour(styles.WATER["color"], 1.0))
    assert page.locator(".leaflet-control-layers").get_by_text(styles.LAYER_NAMES["waters"]).count() == 1
    page.screenshot(path=screenshot_dir / "township_map_river.png")
