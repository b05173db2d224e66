"""The township overview map: boundary, villages, groups, roads, venues, households.

Leaflet comes from the app's own /assets route, never from a CDN: township
intranets often have no internet. The one external URL allowed is Tianditu,
and only when a key is configured. A township's households come as vector
tiles drawn by protomaps-leaflet (see web/static/vectortiles.js), and on the
overview its villages, groups and roads too; smaller areas and offline maps
embed theirs as GeoJSON.
"""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import folium
from folium.template import Template

from gridmgmt.domain.vocab import ROAD_CLASSES, WATER_KINDS
from gridmgmt.maps import styles
from gridmgmt.maps.basemap import Tianditu, add_basemaps
from gridmgmt.maps.controls import Legend, MetricScale, PlainAttribution, escaped

if TYPE_CHECKING:
    from gridmgmt.readmodels import TownshipLayers

# Leaflet puts a divIcon's html into the page as HTML: the names are escaped first.
# Labels stay above the venue icons around them.
_VILLAGE_LABEL = folium.JsCode("""function (feature, layer) {
    layer.setIcon(L.divIcon({className: "village-label", html: feature.properties.name,
                             iconSize: null}));
    layer.setZIndexOffset(1000);
}""")


# Map zooms. Each tile the map shows is drawn from the server's tile one zoom level
# above (web/static/vectortiles.js): below this zoom a household tile would hold a
# whole county's households.
HOUSEHOLD_TILES_MIN_ZOOM = 11
# Villages, groups and roads: a county still fits in a few tiles.
AREA_TILES_MIN_ZOOM = 8


@dataclass(frozen=True)
class TileSource:
    """Where the browser gets vector tiles and the script drawing them.

    URL is a template with {layer}, {z}, {x} and {y}; HOUSEHOLD_URL one with {id},
    where the map fetches the code of the household under the mouse. With
    BASE_LAYERS, villages, groups and roads come from tiles too, not embedded.
    """

    url: str
    script: str
    household_url: str
    base_layers: bool = False

    def layer_url(self, layer: str) -> str:
        """The tile URL template of LAYER."""
        return self.url.replace("{layer}", layer)


class VectorTiles(folium.map.Layer):
    """An overlay from vector tiles, drawn on canvas (web/static/vectortiles.js)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = gridmgmtTiles({{ this.options|tojson }});
        {% endmacro %}
    """)

    def __init__(self, name: str | None, options: dict):
        super().__init__(name=name, overlay=True, control=name is not None)
        self._name = "VectorTiles"
        self.options = options


@dataclass(frozen=True)
class MapParts:
    """A rendered map split for embedding in a page: head HTML, body HTML, script."""

    header: str
    html: str
    script: str


def township_map(
    layers: "TownshipLayers", assets_url: str, basemap: Tianditu | None = None, tiles: TileSource | None = None
) -> folium.Map:
    """The folium map of one township, its Leaflet served from ASSETS_URL, over the 天地图
    BASEMAP choices when there is one.

    Households not embedded in LAYERS are drawn from TILES, and so are villages,
    groups and roads when TILES.base_layers is set.
    """
    (south, west), (north, east) = layers.bounds
    fmap = folium.Map(
        location=((south + north) / 2, (west + east) / 2), zoom_start=13, tiles=None, prefer_canvas=True, zoom_snap=0.25
    )
    use_local_assets(fmap, assets_url)
    fmap.get_root().header.add_child(folium.Element(f"<style>{styles.CSS}</style>"), name="gridmgmt_css")
    add_basemaps(fmap, basemap)
    if tiles is not None and (tiles.base_layers or layers.households is None):
        load_tile_scripts(fmap, assets_url, tiles)
    base_tiles = tiles if tiles is not None and tiles.base_layers else None
    _add_areas(fmap, layers, base_tiles)
    _add_waters(fmap, layers.waters, base_tiles)
    _add_roads(fmap, layers.roads, base_tiles)
    _add_points(fmap, layers)
    if layers.households is None:
        _add_household_tiles(fmap, tiles)
    Legend().add_to(fmap)
    MetricScale().add_to(fmap)
    PlainAttribution().add_to(fmap)
    folium.LayerControl().add_to(fmap)
    fmap.fit_bounds(layers.bounds)
    return fmap


def use_local_assets(fmap: folium.Map, assets_url: str) -> None:
    """Load Leaflet from ASSETS_URL and drop folium's other CDN scripts and styles."""
    # Instance attributes: folium's own lists are shared by every map.
    fmap.default_js = [("leaflet", f"{assets_url}/leaflet/dist/leaflet.js")]
    fmap.default_css = [("leaflet_css", f"{assets_url}/leaflet/dist/leaflet.css")]


def render_parts(fmap: folium.Map) -> MapParts:
    """Render FMAP once and return its head, body and script parts."""
    root = fmap.get_root()
    root.render()
    return MapParts(root.header.render(), root.html.render(), root.script.render())


def _add_areas(fmap: folium.Map, layers: "TownshipLayers", tiles: TileSource | None) -> None:
    """The boundary, villages with their names, and groups (from TILES when given)."""
    names = styles.LAYER_NAMES
    _layer(layers.boundary, names["township"], style=styles.TOWNSHIP).add_to(fmap)
    villages = folium.FeatureGroup(name=names["villages"]).add_to(fmap)
    # Tiled villages and groups lie under the boundary (overlay pane, 400): the tiles
    # hold the neighbours' villages too, whose fills would hide it.
    if tiles:
        _tiles(
            tiles,
            "villages",
            None,
            380,
            style={"fill": True, **styles.VILLAGE},
            tooltip=[["行政村", "name"], ["编码", "code"]],
        ).add_to(villages)
    else:
        _layer(layers.villages, None, {"name": "行政村", "code": "编码"}, style=styles.VILLAGE).add_to(villages)
    _layer(layers.village_labels, None, on_each_feature=_VILLAGE_LABEL).add_to(villages)
    if tiles:  # radius: groups given as points
        _tiles(
            tiles,
            "village_groups",
            names["groups"],
            390,
            style={"fill": True, "radius": 4, **styles.GROUP},
            tooltip=[["村民小组", "name"]],
        ).add_to(fmap)
    else:
        _layer(
            layers.groups,
            names["groups"],
            {"name": "村民小组", "village_name": "行政村"},
            style=styles.GROUP,
            marker=folium.CircleMarker(radius=4),
        ).add_to(fmap)


def _add_waters(fmap: folium.Map, waters: dict, tiles: TileSource | None) -> None:
    """Rivers, canals and water areas in blue, under the roads (from TILES when given)."""
    name, tooltip = styles.LAYER_NAMES["waters"], {"name": "名称", "kind": "类型"}
    if tiles:
        _tiles(
            tiles,
            "waters",
            name,
            410,
            style={"fill": True, **styles.WATER},
            tooltip=[["水系", "name"], ["类型", "kind"]],
            values={"kind": WATER_KINDS},
        ).add_to(fmap)
        return
    features = [
        {**f, "properties": {**f["properties"], "kind": WATER_KINDS[f["properties"]["kind"]]}}
        for f in waters["features"]
    ]
    _layer({"type": "FeatureCollection", "features": features}, name, tooltip, style=styles.WATER).add_to(fmap)


def _add_roads(fmap: folium.Map, roads: dict, tiles: TileSource | None) -> None:
    """The roads by class (from TILES when given)."""
    if tiles:
        _tiles(
            tiles,
            "roads",
            styles.LAYER_NAMES["roads"],
            420,
            styleBy={"field": "road_class", "styles": styles.ROADS},
            tooltip=[["道路", "name"], ["等级", "road_class"]],
            values={"road_class": ROAD_CLASSES},
        ).add_to(fmap)
        return
    group = folium.FeatureGroup(name=styles.LAYER_NAMES["roads"]).add_to(fmap)
    # Lower classes first so the main roads are drawn on top.
    for road_class in reversed(ROAD_CLASSES):
        features = [f for f in roads["features"] if f["properties"]["road_class"] == road_class]
        collection = {"type": "FeatureCollection", "features": features}
        _layer(collection, None, {"name": ROAD_CLASSES[road_class]}, style=styles.ROADS[road_class]).add_to(group)


def _add_points(fmap: folium.Map, layers: "TownshipLayers") -> None:
    names = styles.LAYER_NAMES
    venue_icon = folium.DivIcon(html="党", class_name="venue-icon", icon_size=(14, 14), icon_anchor=(7, 7))
    _layer(layers.venues, names["venues"], {"name": names["venues"]}, marker=folium.Marker(icon=venue_icon)).add_to(
        fmap
    )
    if layers.households is not None:
        _layer(
            layers.households,
            names["households"],
            {"code": "户号", "group_name": "村民小组"},
            marker=folium.CircleMarker(**styles.HOUSEHOLD),
        ).add_to(fmap)


def load_tile_scripts(fmap: folium.Map, assets_url: str, tiles: TileSource) -> None:
    """Load the scripts drawing vector tiles on FMAP, once."""
    if any(name == "gridmgmt_vectortiles" for name, _ in fmap.default_js):
        return
    fmap.default_js = [
        *fmap.default_js,
        ("protomaps_leaflet", f"{assets_url}/protomaps-leaflet/dist/protomaps-leaflet.js"),
        ("gridmgmt_vectortiles", tiles.script),
    ]


def _tiles(tiles: TileSource, layer: str, name: str | None, z_index: int, **options) -> VectorTiles:
    """An overlay of LAYER's tiles in its own pane (unnamed: not in the layer control);
    panes stack by Z_INDEX (Leaflet's overlays are 400, markers 600)."""
    return VectorTiles(
        name,
        {
            "url": tiles.layer_url(layer),
            "layer": layer,
            "pane": layer,
            "zIndex": z_index,
            "minZoom": AREA_TILES_MIN_ZOOM,
            **options,
        },
    )


def _add_household_tiles(fmap: folium.Map, tiles: TileSource | None) -> None:
    if tiles is None:
        raise ValueError("households are neither embedded nor given a tile source")
    # Above the village fills, groups and roads, below venue icons (600).
    _tiles(
        tiles,
        "households",
        styles.LAYER_NAMES["households"],
        450,
        minZoom=HOUSEHOLD_TILES_MIN_ZOOM,
        details=tiles.household_url,
        style={"fill": True, **_camel_case(styles.HOUSEHOLD)},
        tooltip=[["户号", "code"]],
    ).add_to(fmap)


def _camel_case(style: dict) -> dict:
    """STYLE with folium's snake_case keys as Leaflet's camelCase (fill_color → fillColor)."""
    return {re.sub(r"_(\w)", lambda m: m.group(1).upper(), key): value for key, value in style.items()}


def _layer(
    collection: dict, name: str | None, tooltip: dict[str, str] | None = None, style: dict | None = None, **kwargs
) -> folium.GeoJson:
    """A GeoJson layer: TOOLTIP maps fields to Chinese labels; STYLE is one fixed style.

    Unnamed layers stay out of the layer control.
    """
    if tooltip and collection["features"]:
        kwargs["tooltip"] = folium.GeoJsonTooltip(fields=list(tooltip), aliases=list(tooltip.values()), sticky=True)
    if style:
        kwargs["style_function"] = lambda _feature: style
        kwargs["highlight_function"] = lambda _feature: styles.HIGHLIGHT
    return folium.GeoJson(escaped(collection), name=name, control=name is not None, **kwargs)
