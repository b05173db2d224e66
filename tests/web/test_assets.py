"""Front-end packages served from node_modules with an allow-list."""

import gzip

import pytest


def test_leaflet_is_served_with_cache_headers(client):
    response = client.get("/assets/leaflet/dist/leaflet.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.cache_control.max_age == 7 * 24 * 3600
    assert response.cache_control.public
    assert b"Leaflet" in response.get_data()


def test_protomaps_leaflet_is_served(client):
    response = client.get("/assets/protomaps-leaflet/dist/protomaps-leaflet.js")
    assert response.status_code == 200
    assert b"protomapsL" in response.get_data()


@pytest.mark.parametrize(
    "path",
    [
        "/assets/pbf/package.json",  # installed, but not allowed
        "/assets/pmtiles/package.json",  # protomaps-leaflet's, bundled in its dist/
        "/assets/leaflet/../pbf/package.json",  # escaping the package
        "/assets/leaflet/%2e%2e/pbf/package.json",
        "/assets/leaflet/dist/nothing.js",
    ],
)
def test_other_files_are_404(client, path):
    assert client.get(path).status_code == 404


def test_scripts_go_gzip_compressed_to_clients_that_take_it(client):
    """Compressed by the app once, so a proxy in front has nothing left to compress; a revalidation
    with the (weak) ETag is 304."""
    plain = client.get("/assets/leaflet/dist/leaflet.js")
    packed = client.get("/assets/leaflet/dist/leaflet.js", headers={"Accept-Encoding": "gzip, deflate"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert int(packed.headers["Content-Length"]) < len(plain.get_data()) / 3
    etag = packed.headers["ETag"]
    again = client.get("/assets/leaflet/dist/leaflet.js", headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert etag.startswith("W/") and again.status_code == 304
    png = client.get("/assets/leaflet/dist/images/layers.png", headers={"Accept-Encoding": "gzip"})
    assert png.status_code == 200 and "Content-Encoding" not in png.headers
