"""The township list and map pages, on real PostGIS data."""

import json
import re
from urllib.parse import urlparse

from gridmgmt.db.models import SENSITIVE_HOUSEHOLD_COLUMNS, AppUser
from gridmgmt.domain.vocab import MUST_VISIT_FLAGS
from tests.web.people import log_in, password_hash
from tests.web.sample import OTHER_TOWNSHIP_CODE, TOWNSHIP_CODE

MAP_URL = f"/townships/{TOWNSHIP_CODE}"


def _has(html, text):
    """TEXT appears in HTML as is or JSON-escaped (folium writes names as \\uXXXX)."""
    return text in html or json.dumps(text)[1:-1] in html


def _page(client, url):
    response = client.get(url)
    return response, response.get_data(as_text=True)


def test_index_lists_townships_with_counts(admin_client, township):
    response, html = _page(admin_client, "/")
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert 'name="viewport"' in html
    assert f'href="{MAP_URL}"' in html
    assert "示范镇" in html and "邻镇" in html
    assert "2 个" in html and "5 户" in html


def test_index_without_townships_says_so(client, session):
    admin = AppUser(username="admin", role="admin", password_hash=password_hash())
    session.add(admin)
    session.commit()
    log_in(client, admin.id)
    response, html = _page(client, "/")
    assert response.status_code == 200
    assert "暂无乡镇数据" in html


def test_map_page_has_every_layer_in_chinese(admin_client, township):
    response, html = _page(admin_client, MAP_URL)
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert "<h1>示范镇</h1>" in html
    for name in ("镇界", "行政村", "村民小组", "道路", "党组织活动场所", "农户", "图例"):
        assert _has(html, name), name
    assert "L.control.layers" in html
    assert "preferCanvas" in html
    for village in ("东村", "西村"):
        assert _has(html, village), village
    assert "fitBounds" in html


def test_map_page_draws_villages_groups_and_roads_from_tiles(admin_client, township):
    _response, html = _page(admin_client, MAP_URL)
    for layer in ("villages", "village_groups", "roads"):
        assert f"/tiles/{layer}/{{z}}/{{x}}/{{y}}.pbf" in html, layer
    assert "X101" not in html and "C201" not in html  # roads are not embedded
    assert _has(html, "东村")  # the village labels are


def test_map_page_never_carries_sensitive_flags(admin_client, township):
    _response, html = _page(admin_client, MAP_URL)
    for flag in SENSITIVE_HOUSEHOLD_COLUMNS:
        assert flag not in html, flag
    for label in MUST_VISIT_FLAGS.values():
        assert not _has(html, label), label
    assert not _has(html, "张三")  # household heads are not map data either


def test_households_come_from_vector_tiles_not_the_page(admin_client, township):
    _response, html = _page(admin_client, MAP_URL)
    assert "5 户" in html
    assert "/tiles/households/{z}/{x}/{y}.pbf" in html
    assert "/assets/protomaps-leaflet/dist/protomaps-leaflet.js" in html
    assert "/static/vectortiles.js" in html
    assert "44150010020202001" not in html and "115.7512" not in html


def test_every_script_and_stylesheet_is_local(admin_client, township):
    _response, html = _page(admin_client, MAP_URL)
    urls = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
    urls += re.findall(r'<link[^>]*\shref="([^"]+)"', html)
    assert "/assets/leaflet/dist/leaflet.js" in urls
    assert all(not urlparse(url).netloc for url in urls), urls
    assert "cdn" not in html.lower()


def test_tianditu_is_the_only_external_url_when_keyed(app, admin_client):
    app.config["TIANDITU_KEY"] = "k3y"
    html = admin_client.get(MAP_URL).get_data(as_text=True)
    hosts = {urlparse(url).netloc for url in re.findall(r'https?://[^"\s\\]+', html)}
    assert hosts == {"t{s}.tianditu.gov.cn"}
    assert "vec_w/wmts" in html and "cva_w/wmts" in html and "tk=k3y" in html
    assert _has(html, "天地图矢量") and _has(html, "天地图注记")


def test_unknown_township_is_404_in_chinese(admin_client, township):
    response, html = _page(admin_client, "/townships/000000000000")
    assert response.status_code == 404
    assert "没有编码为 000000000000 的乡镇" in html


def test_unknown_page_is_404_in_chinese(client):
    response, html = _page(client, "/no-such-page")
    assert response.status_code == 404
    assert "页面不存在" in html


def test_empty_township_map_still_renders(admin_client, township):
    response, html = _page(admin_client, f"/townships/{OTHER_TOWNSHIP_CODE}")
    assert response.status_code == 200
    assert "邻镇" in html


def test_overview_offers_the_briefing_downloads(as_user):
    html = as_user("leader").get(MAP_URL).get_data(as_text=True)
    assert 'class="download-menu"' in html
    for fmt in ("png", "pdf", "html"):
        assert f"/townships/{TOWNSHIP_CODE}/maps/overview.{fmt}" in html
