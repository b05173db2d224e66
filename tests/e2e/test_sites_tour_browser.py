"""issue 19 in Chromium: the 示范点 page draws candidates as filled discs with their legend, and its
print button gives the tour as a PDF whose page holds the map with the numbered route and the
way back; the overview offers the published grid plan to a reviewer."""

import subprocess
from datetime import date

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import func, select

from gridmgmt.db.models import PartyOrg, Road, Township
from gridmgmt.domain.site_standards import ALL_HAVES
from gridmgmt.network.topology import build_topology
from tests.integration.sites_fixture import hold_org_life
from tests.web.sample import TOWNSHIP_CODE

pytestmark = pytest.mark.e2e
ORG = "P4415001002"
ROUTE_BLUE = (0x15, 0x65, 0xC0)  # gridmgmt.maps.kinds.tour.ROUTE
BACK_ORANGE = (0xEF, 0x6C, 0x00)  # gridmgmt.maps.kinds.tour.BACK


@pytest.fixture
def eligible(live_server, session):
    """西村党支部 meets the 创建标准, has held its 组织生活 and a lane joins its venue to the seat
    (the sample's roads cross without a junction): the one candidate that passes."""
    org = session.scalar(select(PartyOrg).where(PartyOrg.code == ORG))
    org.venue_area_m2 = 150
    for item in ALL_HAVES:
        setattr(org, item, True)
    hold_org_life(session, org.id, date.today())
    seat, venue = session.execute(
        select(func.ST_AsText(Township.seat), func.ST_AsText(PartyOrg.venue))
        .join(PartyOrg, PartyOrg.township_id == Township.id)
        .where(PartyOrg.code == ORG)
    ).one()
    lane = f"SRID=4326;LINESTRING({seat[6:-1]}, {venue[6:-1]})"
    session.add(Road(township_id=org.township_id, code="C300", name="驻地至西村便道", road_class="village", geom=lane))
    session.flush()
    build_topology(session)
    session.commit()


def _near(pixels: np.ndarray, colour: tuple[int, int, int], tolerance: int = 40) -> int:
    """How many PIXELS lie within TOLERANCE of COLOUR on every channel."""
    return int((np.abs(pixels[..., :3].astype(int) - colour) <= tolerance).all(axis=-1).sum())


def test_the_printed_tour_holds_the_map_with_the_route_and_the_way_back(
    login_page, live_server, eligible, tmp_path, screenshot_dir
):
    page = login_page("reviewer", 1366, 768)
    page.goto(f"{live_server}/townships/{TOWNSHIP_CODE}/sites?k=1")
    chosen = page.locator(".site-mark.chosen span")
    assert chosen.count() == 1 and chosen.inner_text().isdigit()  # the score, inside a filled disc
    assert chosen.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert page.locator(".map-legend", has_text="候选示范点（按总分）").is_visible()
    page.screenshot(path=screenshot_dir / "sites_candidates.png")
    with page.expect_download() as download:
        page.click("#print-tour")
    pdf = tmp_path / "tour.pdf"
    download.value.save_as(pdf)
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "①西村党支部" in words and "返回乡镇驻地" in words and "⓪ 乡镇驻地" in words
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(pdf), str(tmp_path / "tour")], check=True)
    pixels = np.asarray(Image.open(tmp_path / "tour.png").convert("RGB"))
    height, width, _ = pixels.shape
    # The map frame is the page's left three quarters, under the title band.
    frame = pixels[int(height * 0.15) :, : int(width * 0.72)]
    assert _near(frame, ROUTE_BLUE) > 20 and _near(frame, BACK_ORANGE) > 5
    page.close()


def test_a_reviewer_turns_on_the_published_grid_on_the_overview(login_page, live_server):
    page = login_page("reviewer", 1366, 768)
    page.goto(f"{live_server}/townships/{TOWNSHIP_CODE}")
    assert page.locator(".cell-label").count() == 0  # hidden until asked for
    page.locator(".leaflet-control-layers").hover()
    page.get_by_label("网格（已发布方案）").check()
    page.wait_for_function("document.querySelectorAll('.cell-label').length > 0")
    assert page.locator(".cell-label").first.inner_text() == "东村一格"
    page.close()
