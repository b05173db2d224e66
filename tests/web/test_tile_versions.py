"""ETags of public-layer tiles come from the data version: 304 without rendering the tile."""

import pytest
from sqlalchemy import text

from gridmgmt.services.mapdata import tiles
from tests.web.test_tiles import TOWNSHIP_TILE

ROADS = f"/tiles/roads/{TOWNSHIP_TILE}.pbf"


@pytest.fixture
def public_client(app, township):
    """A client, not logged in, of the app with public layers."""
    app.config["PUBLIC_LAYERS"] = True
    return app.test_client()


def test_unchanged_public_tile_is_304_without_rendering(public_client, monkeypatch):
    first = public_client.get(ROADS)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag.startswith('W/"roads-')

    def not_rendered(*_args):
        raise AssertionError("the tile was rendered for a 304")

    monkeypatch.setattr(tiles, "render_tile", not_rendered)
    again = public_client.get(ROADS, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert again.cache_control.public and again.cache_control.max_age == 300


def test_a_write_to_the_layers_table_changes_the_etag(public_client, session):
    etag = public_client.get(ROADS).headers["ETag"]
    session.execute(text("UPDATE household SET member_count = member_count + 1"))
    session.commit()
    assert public_client.get(ROADS).headers["ETag"] == etag  # another table: same tiles
    session.execute(text("UPDATE road SET name = name || '（改）' WHERE name = '西村路'"))
    session.commit()
    changed = public_client.get(ROADS, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert "西村路（改）".encode() in changed.data


def test_grid_cells_follow_their_plans_too(public_client, session):
    url = f"/tiles/grid_cells/{TOWNSHIP_TILE}.pbf"
    etag = public_client.get(url).headers["ETag"]
    session.execute(text("UPDATE grid_plan SET name = name"))
    session.commit()
    assert public_client.get(url, headers={"If-None-Match": etag}).status_code != 304


def test_a_tile_is_rendered_once_per_data_version(public_client, session, monkeypatch):
    """Versioned tiles are kept: asked again without an ETag, they come from the store; a write
    to the layer's table builds them anew."""
    first = public_client.get(ROADS).data
    rendered = []
    real = tiles.render_tile
    monkeypatch.setattr(tiles, "render_tile", lambda *args: rendered.append(args) or real(*args))
    assert public_client.get(ROADS).data == first and rendered == []
    session.execute(text("UPDATE road SET name = name || '（改）' WHERE name = '西村路'"))
    session.commit()
    assert "西村路（改）".encode() in public_client.get(ROADS).data and len(rendered) == 1
