"""The 天地图 basemaps against a local WMTS the test serves (天地图's URL scheme and parameters,
tiles it draws itself): offered with a key and drawn when chosen; not offered without a key;
an unreachable server costs the page nothing."""

import io
import threading
from urllib.parse import parse_qs

import pytest
from PIL import Image
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from gridmgmt.domain.wording import ATTRIBUTION
from tests.web.live import serving
from tests.web.people import add_people
from tests.web.sample import TOWNSHIP_CODE, add_small_township
from web import create_app

pytestmark = pytest.mark.e2e

KEY = "test-key-0123"
# What every GetTile request must carry, as 天地图 asks.
FIXED = {"SERVICE": "WMTS", "REQUEST": "GetTile", "VERSION": "1.0.0", "STYLE": "default", "TILEMATRIXSET": "w"}
COLOURS = {"vec": (240, 236, 220, 255), "img": (40, 90, 40, 255), "cva": (0, 0, 0, 0), "cia": (0, 0, 0, 0)}
LOCAL_URL = (
    "http://127.0.0.1:{port}/{{layer}}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={{layer}}"
    "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={{key}}"
)


def _tile(layer: str) -> bytes:
    image = io.BytesIO()
    Image.new("RGBA", (256, 256), COLOURS[layer]).save(image, "PNG")
    return image.getvalue()


class LocalWmts:
    """A WMTS on a free port answering 天地图-style GetTile requests; it records what it was asked."""

    def __init__(self):
        self.asked: list[dict] = []
        self.server = make_server("127.0.0.1", 0, self.answer, threaded=True)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @Request.application
    def answer(self, request: Request) -> Response:
        """A tile for a well-formed request with the key; 400 otherwise."""
        asked = {k: v[0] for k, v in parse_qs(request.query_string.decode()).items()}
        self.asked.append(asked)
        layer = asked.get("LAYER", "")
        well_formed = all(asked.get(k) == v for k, v in FIXED.items()) and request.path == f"/{layer}_w/wmts"
        if not well_formed or layer not in COLOURS or asked.get("tk") != KEY:
            return Response("bad request", status=400)
        return Response(_tile(layer), content_type="image/png")


@pytest.fixture(scope="module")
def wmts():
    """The local WMTS, for the module's tests."""
    server = LocalWmts()
    yield server
    server.server.shutdown()


@pytest.fixture
def live_server(db_url, session, wmts, request):
    """The app (see tests/e2e/conftest.py) with the local WMTS as its 天地图; the key a test gives
    (indirect, None: no key), else KEY; the URL a test gives, else the local WMTS's."""
    add_small_township(session)
    add_people(session)
    given = getattr(request, "param", {})
    settings = {"TIANDITU_KEY": KEY, "TIANDITU_URL": LOCAL_URL.format(port=wmts.port), **given}
    with serving(create_app({"TESTING": True, "DATABASE_URL": db_url, **settings}), db_url) as url:
        yield url


def _township_map(login_page, live_server):
    page = login_page("planner")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/townships/{TOWNSHIP_CODE}")
    page.wait_for_load_state("networkidle")
    return page, errors


LOADED = """(layer) => [...document.querySelectorAll("img.leaflet-tile-loaded")]
    .filter(img => img.src.includes(`/${layer}_w/wmts`) && img.naturalWidth === 256).length"""


def test_the_basemaps_are_offered_and_drawn_when_chosen(login_page, live_server, wmts, screenshot_dir):
    page, errors = _township_map(login_page, live_server)
    control = page.locator(".leaflet-control-layers")
    control.hover()
    bases = page.locator(".leaflet-control-layers-base label").all_text_contents()
    assert [name.strip() for name in bases] == ["天地图矢量", "天地图影像", "无底图"]
    page.wait_for_function(f"() => ({LOADED})('vec') > 0 && ({LOADED})('cva') > 0")
    attribution = page.text_content(".leaflet-control-attribution")
    assert "天地图" in attribution and "Leaflet" not in attribution and attribution.startswith(ATTRIBUTION)
    page.get_by_text("天地图影像").click()
    page.wait_for_function(f"() => ({LOADED})('img') > 0 && ({LOADED})('cia') > 0")
    asked = [a for a in wmts.asked if a.get("LAYER") == "img"]
    assert asked and all(a["tk"] == KEY and a["TILEMATRIX"].isdigit() for a in asked)
    page.screenshot(path=screenshot_dir / "township_map_tianditu_imagery.png")
    page.get_by_text("无底图").click()
    page.wait_for_function("() => !document.querySelector('img.leaflet-tile')")
    assert errors == []
    page.close()


@pytest.mark.parametrize("live_server", [{"TIANDITU_KEY": None}], indirect=True)
def test_without_a_key_no_basemap_is_offered_or_asked_for(login_page, live_server, wmts):
    before = len(wmts.asked)
    page, errors = _township_map(login_page, live_server)
    page.locator(".leaflet-control-layers").hover()
    assert "天地图" not in page.text_content(".leaflet-control-layers")
    assert len(wmts.asked) == before and errors == []
    page.close()


@pytest.mark.parametrize("live_server", [{"TIANDITU_URL": LOCAL_URL.format(port=9)}], indirect=True)
def test_an_unreachable_basemap_costs_the_page_nothing(login_page, live_server, screenshot_dir):
    page, errors = _township_map(login_page, live_server)
    assert page.locator(".leaflet-overlay-pane path, .leaflet-overlay-pane canvas").count() > 0
    assert page.locator("img.leaflet-tile-loaded").count() == 0
    assert errors == []
    page.screenshot(path=screenshot_dir / "township_map_tianditu_unreachable.png")
    page.close()
