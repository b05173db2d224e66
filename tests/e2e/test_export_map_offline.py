"""The standalone HTML map opens in Chromium from a file with every network request refused."""

import pytest

from gridmgmt.config import get_settings
from gridmgmt.services.briefing.exports import export_map
from tests.web.sample import TOWNSHIP_CODE, add_small_township

pytestmark = pytest.mark.e2e


def test_standalone_map_draws_with_no_network(browser, session, tmp_path):
    add_small_township(session)
    path = export_map(
        session, "overview", TOWNSHIP_CODE, "html", tmp_path / "map.html", node_modules=get_settings().node_modules
    )
    page = browser.new_page()
    requested = []

    def refuse(route):
        requested.append(route.request.url)
        route.abort()

    page.route(lambda url: not url.startswith(("file:", "data:")), refuse)
    page.goto(path.as_uri())
    page.wait_for_function("() => window.L && document.querySelector('.leaflet-overlay-pane canvas')")
    assert page.locator(".village-label", has_text="西村").count() == 1
    assert page.locator(".map-legend").count() == 1
    assert requested == []
    page.close()
