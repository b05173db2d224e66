"""The township overview map: boundary, villages, groups, roads, venues, households.

Leaflet comes from the app's own /assets route, never from a CDN: township
intranets often have no internet. The one external URL allowed is Tianditu,
and only when a key is configured.
"""
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote

import folium

from gridmgmt.domain.vocab import ROAD_CLASSES
from gridmgmt.maps import styles
from gridmgmt.maps.legend import Legend

if TYPE_CHECKING:
    from gridmgmt.services.layers import TownshipLayers

TIANDITU_URL = (
    "https://t{s}.tianditu.gov.cn/LAYER_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER=LAYER&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY"
)

# Leaflet puts a divIcon's html into the page as HTML: the names are escaped first.
_VILLAGE_LABEL = folium.JsCode("""function (feature, layer) {
    layer.setIcon(L.divIcon({className: "village-label", html: feature.properties.name,
                             iconSize: null}));
}""")


@dataclass(frozen=True)
class MapParts:
    """A rendered map split for embedding in a page: head HTML, body HTML, script."""

    header: str
    html: str
    script: str


def township_map(layers: "TownshipLayers", assets_url: str,
                 tianditu_key: str | None = None) -> folium.Map:
    """The folium map of one township, its Leaflet served from ASSETS_URL."""
    (south, west), (north, east) = layers.bounds
    fmap = folium.Map(location=((south + north) / 2, (west + east) / 2), zoom_start=13,
                      tiles=None, prefer_canvas=True, control_scale=True)
    use_local_assets(fmap, assets_url)
    fmap.get_root().header.add_child(
        folium.Element(f"<style>{styles.CSS}</style>"), name="gridmgmt_css"
    )
    if tianditu_key:
        _add_tianditu(fmap, tianditu_key)
    _add_areas(fmap, layers)
    _add_roads(fmap, layers.roads)
    _add_points(fmap, layers)
    Legend().add_to(fmap)
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


def _add_tianditu(fmap: folium.Map, key: str) -> None:
    for layer, name, overlay in (("vec", "天地图矢量", False), ("cva", "天地图注记", True)):
        url = TIANDITU_URL.replace("LAYER", layer).replace("KEY", quote(key, safe=""))
        folium.TileLayer(url, attr="天地图", name=name, overlay=overlay,
                         subdomains="01234567", max_zoom=18).add_to(fmap)


def _add_areas(fmap: folium.Map, layers: "TownshipLayers") -> None:
    names = styles.LAYER_NAMES
    _geojson(layers.boundary, names["township"], styles.TOWNSHIP).add_to(fmap)
    villages = folium.FeatureGroup(name=names["villages"]).add_to(fmap)
    _geojson(layers.villages, None, styles.VILLAGE,
             tooltip=_tooltip(["name", "code"], ["行政村", "编码"])).add_to(villages)
    folium.GeoJson(_escaped(layers.village_labels), control=False,
                   on_each_feature=_VILLAGE_LABEL).add_to(villages)
    _geojson(layers.groups, names["groups"], styles.GROUP,
             tooltip=_tooltip(["name", "village_name"], ["村民小组", "行政村"]),
             marker=folium.CircleMarker(radius=4)).add_to(fmap)


def _add_roads(fmap: folium.Map, roads: dict) -> None:
    group = folium.FeatureGroup(name=styles.LAYER_NAMES["roads"]).add_to(fmap)
    # Lower classes first so the main roads are drawn on top.
    for road_class in reversed(ROAD_CLASSES):
        features = [f for f in roads["features"]
                    if f["properties"]["road_class"] == road_class]
        if features:
            collection = {"type": "FeatureCollection", "features": features}
            _geojson(collection, None, styles.ROADS[road_class],
                     tooltip=_tooltip(["name"], [ROAD_CLASSES[road_class]])).add_to(group)


def _add_points(fmap: folium.Map, layers: "TownshipLayers") -> None:
    names = styles.LAYER_NAMES
    venue_icon = folium.DivIcon(html="党", class_name="venue-icon",
                                icon_size=(18, 18), icon_anchor=(9, 9))
    folium.GeoJson(_escaped(layers.venues), name=names["venues"],
                   marker=folium.Marker(icon=venue_icon),
                   tooltip=_tooltip(["name"], [names["venues"]])).add_to(fmap)
    folium.GeoJson(_escaped(layers.households), name=names["households"],
                   marker=folium.CircleMarker(**styles.HOUSEHOLD),
                   tooltip=_tooltip(["code", "group_name"], ["户号", "村民小组"])).add_to(fmap)


def _geojson(collection: dict, name: str | None, style: dict, **kwargs) -> folium.GeoJson:
    """A GeoJson layer with one fixed STYLE; unnamed layers stay out of the layer control."""
    return folium.GeoJson(
        _escaped(collection), name=name, control=name is not None,
        style_function=lambda _feature: style,
        highlight_function=lambda _feature: styles.HIGHLIGHT, **kwargs,
    )


def _tooltip(fields: list[str], aliases: list[str]) -> folium.GeoJsonTooltip:
    return folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True)


def _escaped(collection: dict) -> dict:
    """A copy of COLLECTION whose text properties are HTML-escaped (tooltips use innerHTML)."""
    features = [
        {**feature, "properties": {
            key: escape(value) if isinstance(value, str) else value
            for key, value in feature["properties"].items()
        }}
        for feature in collection["features"]
    ]
    return {"type": "FeatureCollection", "features": features}
