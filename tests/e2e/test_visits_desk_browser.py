"""The township's visits page in Chromium at 1366×768 (issue 19): the first screen, with no
scrolling, holds the leader's summary and a readable map (groups coloured by overdue share,
village outlines, a legend); households come from the server only at village zoom."""

import pytest

from tests.web.sample import TOWNSHIP_CODE
from tests.web.test_visits_page import _bao_cun_cadre

pytestmark = pytest.mark.e2e
WIDTH, HEIGHT = 1366, 768


def _on_first_screen(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= WIDTH
        and (box["y"] + box["height"] <= HEIGHT)
    )


def test_first_screen_holds_the_summary_and_a_readable_map(login_page, live_server, session, screenshot_dir):
    _bao_cun_cadre(session)
    page = login_page("leader", WIDTH, HEIGHT)
    page.goto(f"{live_server}/townships/{TOWNSHIP_CODE}/visits")
    page.wait_for_function("document.querySelectorAll('path.visit-group').length === 4")
    page.screenshot(path=str(screenshot_dir / "visits-desk-1366.png"))
    for selector in ("#compliance-map", ".leader-summary", ".visits-legend", ".leader-summary .pair"):
        assert _on_first_screen(page, selector), selector
    assert page.evaluate("window.scrollY") == 0
    summary = page.locator(".leader-summary").inner_text()
    assert "按职责" in summary and "按行政村" in summary and "西村" in summary and "镇干部甲" in summary
    legend = page.locator(".visits-legend")
    assert legend.is_visible() and "逾期农户占比" in legend.inner_text() and "行政村界" in legend.inner_text()
    # Groups with households are filled by their share's class; the two villages are outlined.
    assert page.locator("path.visit-group[class*='share-']").count() >= 1
    assert page.locator("path.visit-village").count() == 2
    # The lists are folded below the first screen.
    assert page.locator("details.list[open]").count() == 0
    assert not _on_first_screen(page, "details.list")


def test_households_come_at_village_zoom_and_go_when_zoomed_out(login_page, live_server, session):
    _bao_cun_cadre(session)
    page = login_page("leader", WIDTH, HEIGHT)
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/visits/households" in request.url else None)
    page.goto(f"{live_server}/townships/{TOWNSHIP_CODE}/visits?village=441500100201")
    page.wait_for_selector("path.visit-household", state="attached")
    assert asked and "village=441500100201" in asked[0] and page.locator("path.visit-household").count() > 0
    for _ in range(3):
        page.click(".leaflet-control-zoom-out")
        page.wait_for_timeout(400)
    assert page.locator("path.visit-household").count() == 0
    assert page.locator("path.visit-group").count() == 4
