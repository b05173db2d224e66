"""OGC API – Features at /ogc: documents, paging, access, errors, and GDAL reading it."""

import re
import subprocess

import pytest

from tests.web.live import serving
from tests.web.tokens import token_for

PUBLIC = ["villages", "village_groups", "roads", "waters", "grid_cells", "party_venues", "demo_sites"]


@pytest.fixture
def public_app(app):
    app.config["PUBLIC_LAYERS"] = True
    return app


@pytest.fixture
def public_client(public_app):
    return public_app.test_client()


def _error_code(response, status):
    assert response.status_code == status, response.data
    return response.get_json()["error"]["code"]


def test_landing_and_conformance(public_client, township):
    landing = public_client.get("/ogc")
    assert landing.status_code == 200 and landing.mimetype == "application/json"
    rels = {link["rel"]: link["href"] for link in landing.get_json()["links"]}
    assert rels["data"].endswith("/ogc/collections") and rels["conformance"].endswith("/ogc/conformance")
    classes = public_client.get("/ogc/conformance").get_json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in classes


def test_collections_without_token_are_the_public_ones(public_client, township):
    listed = public_client.get("/ogc/collections").get_json()["collections"]
    assert [c["id"] for c in listed] == PUBLIC
    villages = listed[0]
    assert villages["title"] == "行政村"
    assert villages["extent"]["spatial"]["bbox"] == [[115.7, 23.88, 115.76, 23.92]]
    assert any(link["rel"] == "items" for link in villages["links"])


def test_collections_with_a_token_add_households(public_client, township, session):
    listed = public_client.get("/ogc/collections", headers=token_for(session, "planner"))
    assert [c["id"] for c in listed.get_json()["collections"]] == PUBLIC + ["households"]


def test_items_page_with_links(public_client, township, session):
    headers = token_for(session, "planner")
    response = public_client.get("/ogc/collections/households/items?limit=2&offset=2", headers=headers)
    assert response.mimetype == "application/geo+json"
    body = response.get_json()
    assert body["type"] == "FeatureCollection"
    assert body["numberMatched"] == 5 and body["numberReturned"] == 2
    links = {link["rel"]: link["href"] for link in body["links"]}
    assert "offset=4" in links["next"] and "limit=2" in links["next"]
    assert "offset=0" in links["prev"]
    last = public_client.get(links["next"], headers=headers).get_json()
    assert last["numberReturned"] == 1 and "next" not in {link["rel"] for link in last["links"]}
    for flag in ("hardship", "critically_ill", "empty_nest_elderly", "left_behind_children", "petitioner"):
        assert flag not in response.get_data(as_text=True)


def test_items_bbox_and_single_item(public_client, township):
    body = public_client.get("/ogc/collections/roads/items?bbox=115.69,23.87,115.729,23.93").get_json()
    assert sorted(f["properties"]["code"] for f in body["features"]) == ["C201", "X101"]
    fid = body["features"][0]["id"]
    one = public_client.get(f"/ogc/collections/roads/items/{fid}")
    assert one.mimetype == "application/geo+json" and one.get_json()["id"] == fid


def test_grid_worker_token_reads_only_their_households(public_client, township, session):
    body = public_client.get("/ogc/collections/households/items", headers=token_for(session, "grid_worker")).get_json()
    assert body["numberMatched"] == 3


def test_households_refused_without_token_or_permission(public_client, township, session):
    assert _error_code(public_client.get("/ogc/collections/households/items"), 401) == "unauthorized"
    assert _error_code(public_client.get("/ogc/collections/households"), 401) == "unauthorized"
    reviewer = token_for(session, "reviewer")
    response = public_client.get("/ogc/collections/households/items", headers=reviewer)
    assert _error_code(response, 403) == "forbidden"


def test_public_collections_need_login_when_not_public(client, township):
    assert client.get("/ogc/collections").get_json()["collections"] == []
    assert _error_code(client.get("/ogc/collections/roads/items"), 401) == "unauthorized"


@pytest.mark.parametrize(
    "url, status, code",
    [
        ("/ogc/collections/parcels", 404, "not_found"),
        ("/ogc/collections/roads/items/999999", 404, "not_found"),
        ("/ogc/collections/roads/items?limit=0", 400, "bad_request"),
        ("/ogc/collections/roads/items?bbox=1,2,3", 400, "bad_request"),
        ("/ogc/no/such/path", 404, "not_found"),
    ],
)
def test_errors_are_json_in_chinese(public_client, township, url, status, code):
    response = public_client.get(url)
    assert _error_code(response, status) == code
    assert re.search(r"[\u4e00-\u9fff]", response.get_json()["error"]["message"])


@pytest.fixture
def ogc_server(public_app, db_url):
    """Base URL of /ogc on a live server in a thread."""
    with serving(public_app, db_url) as url:
        yield f"{url}/ogc"


def _ogrinfo_counts(base_url: str, *options: str) -> dict[str, int]:
    """Layer name → feature count, as GDAL's OAPIF driver reads them."""
    result = subprocess.run(
        ["ogrinfo", "-ro", "-so", "-al", *options, f"OAPIF:{base_url}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return {
        name: int(count)
        for name, count in re.findall(r"^Layer name: (\w+)$.*?^Feature Count: (\d+)$", result.stdout, re.M | re.S)
    }


def test_gdal_reads_the_layers_with_and_without_token(ogc_server, township, session):
    assert _ogrinfo_counts(ogc_server) == {
        "villages": 2,
        "village_groups": 4,
        "roads": 3,
        "waters": 0,
        "grid_cells": 0,
        "party_venues": 1,
        "demo_sites": 0,
    }
    token = token_for(session, "grid_worker")["Authorization"]
    counts = _ogrinfo_counts(ogc_server, "--config", "GDAL_HTTP_HEADERS", f"Authorization: {token}")
    assert counts["households"] == 3 and counts["villages"] == 2
