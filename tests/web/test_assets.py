"""Front-end packages served from node_modules with an allow-list."""

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
