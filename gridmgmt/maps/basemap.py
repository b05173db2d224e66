"""The 天地图 basemaps: vector (vec + cva labels) and imagery (img + cia labels) WMTS, offered
as base layers on every map when a key is configured, beside a blank one.

The URL template follows 天地图's WMTS scheme; a township behind a proxy, or the tests, give
their own with the same parameters ({s} a subdomain, {layer} the layer, {key} the key).
"""

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import folium

TIANDITU_URL = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}"
)
ATTRIBUTION = "天地图（国家地理信息公共服务平台）"
# Base layer name → (picture layer, label layer).
CHOICES = {"天地图矢量": ("vec", "cva"), "天地图影像": ("img", "cia")}
BLANK = "无底图"
MAX_ZOOM = 18


@dataclass(frozen=True)
class Tianditu:
    """A 天地图 key and the WMTS URL template it is used with."""

    key: str
    url: str = TIANDITU_URL

    def tile_url(self, layer: str) -> str:
        """The Leaflet tile URL of LAYER ({s}, {z}, {x}, {y} left for Leaflet to fill)."""
        values = {"layer": layer, "key": quote(self.key, safe=""), "s": "{s}", "z": "{z}", "x": "{x}", "y": "{y}"}
        return self.url.format(**values)

    def origin(self) -> str:
        """Where the tiles come from, for the page's Content-Security-Policy (any subdomain)."""
        parts = urlsplit(self.url.replace("{s}", "0"))
        host = parts.netloc.replace("t0.", "*.", 1) if "{s}" in self.url else parts.netloc
        return f"{parts.scheme}://{host}"


def basemap_choices(basemap: Tianditu | None) -> dict | None:
    """The base layers for a map drawn in the page's own script: [[name, [tile URL, ...]], ...], the
    attribution and the blank choice's name; None without BASEMAP."""
    if basemap is None:
        return None
    # Pairs, not a mapping: the page's JSON sorts keys, and the vector map must come first.
    choices = [[name, [basemap.tile_url(layer) for layer in layers]] for name, layers in CHOICES.items()]
    return {"choices": choices, "attribution": ATTRIBUTION, "blank": BLANK, "max_zoom": MAX_ZOOM}


def add_basemaps(fmap: folium.Map, basemap: Tianditu | None) -> None:
    """The 天地图 base layers on FMAP, vector first (shown), then imagery and a blank one; none
    without BASEMAP, so a map with no key asks no server for tiles."""
    if basemap is None:
        return
    for name, layers in CHOICES.items():
        group = folium.FeatureGroup(name=name, overlay=False, control=True)
        for layer in layers:
            folium.TileLayer(
                basemap.tile_url(layer), attr=ATTRIBUTION, subdomains="01234567", max_zoom=MAX_ZOOM, overlay=True
            ).add_to(group)
        group.add_to(fmap)
    folium.FeatureGroup(name=BLANK, overlay=False, control=True).add_to(fmap)
