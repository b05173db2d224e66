"""The folium township map builder on hand-made layers (no database)."""

import re
from dataclasses import replace

import pytest

from gridmgmt.domain.vocab import ROAD_CLASSES
from gridmgmt.maps import styles
from gridmgmt.maps.basemap import Tianditu
from gridmgmt.maps.controls import legend_rows
from gridmgmt.maps.township import TileSource, render_parts, township_map
from gridmgmt.readmodels import TownshipLayers


def _collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def _point(lon, lat, **properties):
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}


def _layers(village_name="西村"):
    empty = _collection()
    return TownshipLayers(
        code="441500100000",
        name="示范镇",
        bounds=((23.88, 115.70), (23.92, 115.76)),
        boundary=empty,
        villages=empty,
        groups=empty,
        venues=empty,
        village_labels=_collection(_point(115.715, 23.9, code="1", name=village_name)),
        roads=_collection(
            {
                "type": "Feature",
                "properties": {"code": "X1", "name": "县道", "road_class": "county"},
                "geometry": {"type": "LineString", "coordinates": [[115.7, 23.9], [115.76, 23.9]]},
            }
        ),
        households=_collection(_point(115.71, 23.91, code="H1", group_name="上组")),
    )


def test_map_loads_only_local_leaflet():
    parts = render_parts(township_map(_layers(), "/prefix/assets"))
    sources = re.findall(r'(?:src|href)="([^"]+)"', parts.header)
    assert sources == ["/prefix/assets/leaflet/dist/leaflet.js", "/prefix/assets/leaflet/dist/leaflet.css"]
    assert "://" not in parts.header + parts.html + parts.script


def test_building_a_map_leaves_folium_defaults_alone():
    import folium

    before = list(folium.Map.default_js)
    township_map(_layers(), "/assets")
    assert folium.Map.default_js == before


def test_names_are_escaped_before_reaching_innerhtml():
    parts = render_parts(township_map(_layers("<b>西村</b>"), "/assets"))
    assert "&lt;b&gt;" in parts.script.replace("\\u0026", "&").replace("\\u003c", "<")
    assert "<b>" not in parts.script


def test_tianditu_only_with_a_key():
    without = render_parts(township_map(_layers(), "/assets")).script
    keyed = render_parts(township_map(_layers(), "/assets", Tianditu("a b"))).script
    assert "tianditu" not in without
    assert "tk=a%20b" in keyed
    assert "/vec_w/wmts?" in keyed and "LAYER=vec\\u0026" in keyed
    assert "/cva_w/wmts?" in keyed and "LAYER=cva\\u0026" in keyed
    assert "/img_w/wmts?" in keyed and "/cia_w/wmts?" in keyed
    assert "TILEMATRIX={z}" in keyed and "t{s}.tianditu.gov.cn" in keyed


def test_legend_has_every_layer_and_road_class():
    labels = [label for _swatch, label in legend_rows()]
    assert set(styles.LAYER_NAMES.values()) - {"道路"} <= set(labels)
    assert set(ROAD_CLASSES.values()) <= set(labels)


def test_higher_road_classes_are_thicker():
    weights = [styles.ROADS[key]["weight"] for key in ROAD_CLASSES]
    assert styles.ROADS.keys() == ROAD_CLASSES.keys()
    assert weights == sorted(weights, reverse=True) and len(set(weights)) == len(weights)


TILES = TileSource(
    "/p/tiles/{layer}/{z}/{x}/{y}.pbf", "/p/static/vectortiles.js", "/p/ogc/collections/households/items/{id}"
)


def test_households_from_tiles_load_protomaps_leaflet_locally():
    layers = replace(_layers(), households=None)
    parts = render_parts(township_map(layers, "/p/assets", tiles=TILES))
    sources = re.findall(r'src="([^"]+)"', parts.header)
    assert sources == [
        "/p/assets/leaflet/dist/leaflet.js",
        "/p/assets/protomaps-leaflet/dist/protomaps-leaflet.js",
        "/p/static/vectortiles.js",
    ]
    assert "gridmgmtTiles" in parts.script
    assert '"url": "/p/tiles/households/{z}/{x}/{y}.pbf"' in parts.script
    assert '"details": "/p/ogc/collections/households/items/{id}"' in parts.script
    assert '"fillColor": "#2f6fb5"' in parts.script and "fill_color" not in parts.script
    assert "H1" not in parts.script  # nothing embedded
    assert "/tiles/roads/" not in parts.script and "X1" in parts.script  # roads embedded


def test_base_layers_from_tiles_embed_no_roads_or_groups():
    layers = replace(_layers(), households=None)
    parts = render_parts(township_map(layers, "/p/assets", tiles=replace(TILES, base_layers=True)))
    for layer in ("villages", "village_groups", "roads", "households"):
        assert f'"url": "/p/tiles/{layer}/{{z}}/{{x}}/{{y}}.pbf"' in parts.script, layer
    assert "X1" not in parts.script  # the road is not embedded
    assert "\\u897f\\u6751" in parts.script  # the village label (西村) still is
    assert '"national": {"color": "#c0392b"' in parts.script  # road styles by class


def test_households_need_an_embedding_or_tiles():
    with pytest.raises(ValueError):
        township_map(replace(_layers(), households=None), "/assets")


def test_embedded_households_load_no_tile_library():
    parts = render_parts(township_map(_layers(), "/assets", tiles=TILES))
    assert "protomaps" not in parts.header and "H1" in parts.script
