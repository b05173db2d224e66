"""OGC API – Features beyond the core: the OpenAPI definition, Part 2 (crs, bbox-crs,
Content-Crs), Part 3 (queryables, CQL2 text filters), extents per data version; and two
clients no one here wrote reading it: OWSLib and GDAL."""

import json
import re
import subprocess
import sys

import pytest
from owslib.ogcapi.features import Features
from sqlalchemy import update

from gridmgmt.db.models import Village
from tests.web.live import serving
from tests.web.test_ogc import public_app, public_client  # noqa: F401 - fixtures
from tests.web.tokens import token_for

CGCS2000 = "http://www.opengis.net/def/crs/EPSG/0/4490"
EPSG4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
ROADS = "/ogc/collections/roads/items"


def _codes(response) -> list[str]:
    assert response.status_code == 200, response.data
    return [f["properties"]["code"] for f in response.get_json()["features"]]


def test_the_landing_page_links_an_openapi_definition(public_client, township):
    links = {link["rel"]: link for link in public_client.get("/ogc").get_json()["links"]}
    described = public_client.get(links["service-desc"]["href"])
    assert described.status_code == 200 and "openapi" in described.mimetype
    document = described.get_json()
    assert document["openapi"].startswith("3.0")
    assert "/collections/{collectionId}/items" in document["paths"]
    classes = public_client.get("/ogc/conformance").get_json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in classes
    assert "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter" in classes


def test_items_in_cgcs2000_put_latitude_first(public_client, township):
    plain = public_client.get(f"{ROADS}?limit=1")
    national = public_client.get(f"{ROADS}?limit=1&crs={CGCS2000}")
    assert plain.headers["Content-Crs"] == f"<{CRS84}>" and national.headers["Content-Crs"] == f"<{CGCS2000}>"
    lon, lat = plain.get_json()["features"][0]["geometry"]["coordinates"][0]
    first, second = national.get_json()["features"][0]["geometry"]["coordinates"][0]
    # CGCS2000 and WGS 84 agree to centimetres; the axes swap.
    assert (first, second) == pytest.approx((lat, lon), abs=1e-6)
    assert public_client.get("/ogc/collections/roads").get_json()["storageCrs"] == CRS84
    one = public_client.get(f"{ROADS}/{national.get_json()['features'][0]['id']}?crs={CGCS2000}")
    assert one.headers["Content-Crs"] == f"<{CGCS2000}>"


def test_a_bbox_in_epsg4326_is_read_latitude_first(public_client, township):
    west_village = "23.88,115.70,23.92,115.725"  # south, west, north, east
    assert _codes(public_client.get(f"/ogc/collections/villages/items?bbox={west_village}&bbox-crs={EPSG4326}")) == [
        "441500100201"
    ]
    refused = public_client.get(f"/ogc/collections/villages/items?bbox={west_village}")  # read as lon, lat
    assert refused.status_code == 400


@pytest.mark.parametrize("parameter", ["crs", "bbox-crs"])
def test_an_unknown_crs_is_refused_in_chinese(public_client, township, parameter):
    response = public_client.get(f"{ROADS}?bbox=115,23,116,24&{parameter}=http://www.opengis.net/def/crs/EPSG/0/3857")
    assert response.status_code == 400 and "不支持的坐标参考系" in response.get_json()["error"]["message"]


def test_queryables_list_the_published_properties(public_client, township, session):
    schema = public_client.get("/ogc/collections/roads/queryables")
    assert schema.status_code == 200 and schema.mimetype == "application/schema+json"
    properties = schema.get_json()["properties"]
    assert properties["code"]["type"] == "string" and properties["length_m"]["type"] == "number"
    assert "geometry" in properties
    households = public_client.get("/ogc/collections/households/queryables", headers=token_for(session, "planner"))
    assert set(households.get_json()["properties"]) == {"code", "village_id", "group_id", "grid_cell_id", "geometry"}


@pytest.mark.parametrize(
    "cql, codes",
    [
        ("road_class = 'county'", ["X101"]),
        ("road_class IN ('county', 'village')", ["C201", "C999", "X101"]),
        ("name LIKE '%镇%'", ["C999"]),
        ("NOT road_class = 'county'", ["C201", "C999"]),
        ("road_class = 'village' AND code <> 'C201'", ["C999"]),
        ("road_class = 'county' OR code = 'C999'", ["C999", "X101"]),
        ("S_INTERSECTS(geometry, BBOX(115.70, 23.88, 115.73, 23.92))", ["C201", "X101"]),
    ],
)
def test_cql2_text_filters(public_client, township, cql, codes):
    assert sorted(_codes(public_client.get(ROADS, query_string={"filter": cql}))) == codes


def test_a_range_filter_on_numbers(public_client, township):
    groups = public_client.get("/ogc/collections/village_groups/items").get_json()["features"]
    villages = sorted({g["properties"]["village_id"] for g in groups})
    cql = f"village_id BETWEEN {villages[0]} AND {villages[0]}"
    found = _codes(public_client.get("/ogc/collections/village_groups/items", query_string={"filter": cql}))
    assert sorted(found) == sorted(
        g["properties"]["code"] for g in groups if g["properties"]["village_id"] == villages[0]
    )
    assert found and len(found) < len(groups)


@pytest.mark.parametrize(
    "cql, words",
    [
        ("hardship = true", "不能按“hardship”筛选"),
        ("code = 5", "须与文字比较"),
        ("length_m > 'long'", "须与数字比较"),
        ("code = ", "无法解析"),
        ("S_INTERSECTS(geometry, BBOX(120, 23, 110, 24))", "西大于东"),
        ("S_CONTAINS(geometry, POINT(115.7 23.9))", "不支持的筛选条件"),
        ("code LIKE 'X1\\'", "反斜杠"),
    ],
)
def test_a_filter_the_api_cannot_run_is_refused_with_the_reason(public_client, township, session, cql, words):
    response = public_client.get(
        "/ogc/collections/households/items", query_string={"filter": cql}, headers=token_for(session, "planner")
    )
    if "hardship" not in cql:
        response = public_client.get(ROADS, query_string={"filter": cql})
    assert response.status_code == 400, response.data
    assert words in response.get_json()["error"]["message"]


def test_only_cql2_text_is_spoken(public_client, township):
    response = public_client.get(ROADS, query_string={"filter": "code = 'X101'", "filter-lang": "cql2-json"})
    assert response.status_code == 400 and "cql2-text" in response.get_json()["error"]["message"]


def test_an_extent_follows_the_data_version(public_client, township, session):
    def extent():
        return public_client.get("/ogc/collections/villages").get_json()["extent"]["spatial"]["bbox"][0]

    assert extent() == [115.7, 23.88, 115.76, 23.92]
    session.execute(
        update(Village).where(Village.code == "441500100202").values(geom=Village.geom.ST_Translate(0.1, 0))
    )
    session.commit()
    assert extent() == pytest.approx([115.7, 23.88, 115.86, 23.92])


@pytest.fixture
def ogc_url(public_app, db_url):
    """Base URL of /ogc on a live server in a thread."""
    with serving(public_app, db_url) as url:
        yield f"{url}/ogc"


def test_owslib_reads_the_definition_items_in_cgcs2000_and_a_filter(ogc_url, township):
    api = Features(ogc_url)
    assert "/collections/{collectionId}/items" in api.api()["paths"]
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in api.conformance()["conformsTo"]
    assert "roads" in [c["id"] for c in api.collections()["collections"]]
    national = api.collection_items("roads", crs=CGCS2000, limit=5)
    first, second = national["features"][0]["geometry"]["coordinates"][0]
    assert 23 < first < 24 and 115 < second < 116
    filtered = api.collection_items("roads", filter="road_class = 'county'")
    assert [f["properties"]["code"] for f in filtered["features"]] == ["X101"]
    assert set(api.collection_queryables("roads")["properties"]) >= {"code", "road_class", "geometry"}


def _ogrinfo(url: str, *options: str) -> str:
    return subprocess.run(
        ["ogrinfo", "-ro", "-al", "-q", *options, f"OAPIF:{url}", "roads"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout


def test_gdal_reads_items_with_a_filter(ogc_url, township):
    """GDAL 3.6 (Debian 12) reads the layers and filters; its OAPIF driver has no CRS option
    before GDAL 3.7, so EPSG:4490 is checked with OWSLib above."""
    filtered = _ogrinfo(ogc_url, "-where", "road_class = 'county'")
    assert re.findall(r"code \(String\) = (\w+)", filtered) == ["X101"]


# Run apart, as ogrinfo would be: GDAL keeps its HTTP connections open for the life of the process.
PYOGRIO_READ = """
import json, sys, pyogrio
url = sys.argv[1]
roads = pyogrio.read_dataframe(url, layer="roads", where="road_class = 'county'", CRS="EPSG:4490")
print(json.dumps({"layers": [name for name, _ in pyogrio.list_layers(url)], "epsg": roads.crs.to_epsg(),
                  "codes": list(roads["code"]), "first": roads.geometry.iloc[0].coords[0]}))
"""


def test_gdal_oapif_driver_reads_cgcs2000_with_a_filter(ogc_url, township):
    """GDAL's own OAPIF driver, a newer GDAL (pyogrio's, ≥ 3.7) than Debian 12's ogrinfo: the
    layers, items asked for in EPSG:4490 (its CRS open option) and a filter."""
    read = subprocess.run(
        [sys.executable, "-c", PYOGRIO_READ, f"OAPIF:{ogc_url}"], capture_output=True, text=True, timeout=60, check=True
    )
    found = json.loads(read.stdout)
    assert "roads" in found["layers"]
    assert found["epsg"] == 4490 and found["codes"] == ["X101"]
    x, y = found["first"]
    assert 115 < x < 116 and 23 < y < 24  # the driver puts CGCS2000's latitude-first axes back in order
