"""The field map's 天地图 base against the local WMTS of test_basemap_browser.py: drawn under the
working set with a key, one choice of three; with no key not offered and nothing asked for; with
no signal the map still draws from the phone's copy and shows no broken tiles."""

import pytest

from tests.e2e.test_basemap_browser import LOADED, live_server, wmts  # noqa: F401 - fixtures

pytestmark = pytest.mark.e2e

DRAWN = "() => window.FIELD && FIELD.data && FIELD.map && document.querySelector('#field-map canvas')"


def _field_map(login_page, live_server):  # noqa: F811 - the fixture imported above
    page = login_page("grid_worker", 390, 844)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/m")
    page.wait_for_function(DRAWN)
    return page, errors


def test_the_field_map_draws_the_basemap_and_offers_the_others(login_page, live_server, wmts, screenshot_dir):  # noqa: F811
    page, errors = _field_map(login_page, live_server)
    page.wait_for_function(f"() => ({LOADED})('vec') > 0 && ({LOADED})('cva') > 0")
    page.locator("#field-map .leaflet-control-layers").click()
    bases = page.locator("#field-map .leaflet-control-layers-base label").all_text_contents()
    assert [name.strip() for name in bases] == ["天地图矢量", "天地图影像", "无底图"]
    assert "天地图" in page.text_content("#field-map .leaflet-control-attribution")
    page.screenshot(path=screenshot_dir / "field_map_tianditu.png")
    page.locator("#field-map .leaflet-control-layers").hover()
    page.get_by_text("无底图").click()
    page.wait_for_function("() => !document.querySelector('#field-map img.leaflet-tile')")
    assert errors == []


def test_with_no_signal_the_map_draws_without_broken_tiles(login_page, live_server, wmts):  # noqa: F811
    page, _errors = _field_map(login_page, live_server)
    page.wait_for_function("() => document.documentElement.dataset.offline === 'ready'")
    page.context.set_offline(True)
    page.reload()
    page.wait_for_function(DRAWN)
    broken = page.evaluate("""() => [...document.querySelectorAll('#field-map img.leaflet-tile')]
        .filter(img => getComputedStyle(img).visibility !== 'hidden' && img.naturalWidth === 0).length""")
    assert broken == 0
    page.context.set_offline(False)


@pytest.mark.parametrize("live_server", [{"TIANDITU_KEY": None}], indirect=True)
def test_without_a_key_the_field_map_asks_for_no_basemap(login_page, live_server, wmts):  # noqa: F811
    before = len(wmts.asked)
    page, errors = _field_map(login_page, live_server)
    assert page.locator("#field-map .leaflet-control-layers").count() == 0
    assert len(wmts.asked) == before and errors == []
