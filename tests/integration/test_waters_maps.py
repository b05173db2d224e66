"""水系 on every map: the township and village pages, the printed maps, the OGC collection and the tiles.

The demo township has a river (浰江) crossing it west to east.
"""

import json
import subprocess
from dataclasses import replace

import mapbox_vector_tile
import pytest
from sqlalchemy import text

from gridmgmt.domain.permissions import Scope
from gridmgmt.maps.kinds import KINDS
from gridmgmt.maps.static import Page
from gridmgmt.maps.township import TileSource, render_parts, township_map
from gridmgmt.services.briefing.exports import briefing_data, export_map
from gridmgmt.services.mapdata.features import collection, items
from gridmgmt.services.mapdata.layers import township_layers
from gridmgmt.services.mapdata.tiles import render_tile, tile_at, tile_layer
from gridmgmt.services.mapdata.villages import village_layers
from tests.integration.briefing_town import DAY, db, town  # noqa: F401 - fixtures

EVERYTHING = Scope(township_ids=None)
TILES = TileSource("/tiles/{layer}/{z}/{x}/{y}.pbf", "/static/vectortiles.js", "/ogc/collections/households/items/{id}")


def _river_point(db) -> tuple[float, float]:
    return tuple(db.execute(text("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM water) w")).one())


def test_the_township_page_draws_the_river_in_blue_under_the_roads(db, town):
    layers = township_layers(db, town)
    [river] = layers.waters["features"]
    assert river["properties"]["name"] == "浰江" and river["geometry"]["type"] == "LineString"
    script = render_parts(township_map(layers, "/assets", tiles=TILES)).script
    water, roads, river_kind = (json.dumps(word) for word in ("水系", "道路", "河流"))  # as the script escapes them
    assert script.index(water) < script.index(roads)  # added (and listed) before the roads
    assert "#3a86c8" in script and river_kind[1:-1] in script  # its blue; the kind in Chinese
    tiled = render_parts(township_map(layers, "/assets", tiles=replace(TILES, base_layers=True))).script
    assert "/tiles/waters/" in tiled and json.dumps("浰江")[1:-1] not in tiled  # from the tiles, not embedded


def test_a_village_page_draws_the_river_where_it_crosses_the_village(db, town):
    lon, lat = _river_point(db)
    wet = db.execute(
        text("SELECT code FROM village WHERE ST_Intersects(geom, ST_SetSRID(ST_Point(:x, :y), 4326))"),
        {"x": lon, "y": lat},
    ).scalar_one()
    assert len(village_layers(db, wet, EVERYTHING).waters["features"]) == 1
    dry = db.execute(text("SELECT v.code FROM village v, water w WHERE NOT ST_Intersects(w.geom, v.geom)")).scalars()
    assert village_layers(db, dry.first(), EVERYTHING).waters["features"] == []


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_printed_map_draws_the_river_under_the_roads(db, town, kind):
    spec = KINDS[kind].build(briefing_data(db, KINDS[kind], town, DAY))
    labels = [layer.label for layer in spec.layers]
    assert "河流沟渠" in labels
    roads = [i for i, layer in enumerate(spec.layers) if layer.label in ("国道", "县道", "乡道", "村道")]
    river = spec.layers[labels.index("河流沟渠")]
    assert all(river.zorder <= spec.layers[i].zorder for i in roads)


def test_the_printed_overview_names_the_river_in_its_legend(db, town, tmp_path):
    path = export_map(db, "overview", town, "pdf", tmp_path / "map.pdf", Page("A4", "portrait"), made_on=DAY)
    words = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "河流沟渠" in words


def test_the_ogc_collection_and_the_tiles_carry_the_river(db, town):
    page = items(db, collection("waters"), EVERYTHING)
    [feature] = [json.loads(f) for f in page.features]
    assert feature["properties"] == {"code": f"{town}H01", "name": "浰江", "kind": "river"}
    tile = render_tile(db, tile_layer("waters"), tile_at(*_river_point(db), 13), EVERYTHING)
    [drawn] = mapbox_vector_tile.decode(tile)["waters"]["features"]
    assert drawn["properties"]["name"] == "浰江" and drawn["properties"]["kind"] == "river"
