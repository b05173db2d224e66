"""Coverage overlays on the township map: members per 100 households by group, 空白组,
venues, households beyond reach, firms without a party organisation, proposed 党小组."""

import folium
import shapely
import shapely.geometry

from gridmgmt.maps.controls import escaped
from gridmgmt.maps.kinds.coverage import PER_100_BANDS
from gridmgmt.readmodels import CoverageLayers

BLANK = {"color": "#0050b3", "weight": 3, "dashArray": "6 4"}
PROPOSAL = {"color": "#6a3d9a", "weight": 2, "fillColor": "#cab2d6", "fillOpacity": 0.35}
PROPOSAL_NAME = "建议党小组"
# Point overlays, drawn in this order: (CoverageLayers field, layer name, colour, radius, tooltip fields).
POINT_OVERLAYS = (
    ("far_households", "距活动场所或党员户过远的农户", "#ff7f00", 4, {"code": "户编码", "why": "问题"}),
    (
        "venues",
        "党群服务中心/活动场所",
        "#c8102e",
        7,
        {"name": "党组织", "served": "以此为最近场所的农户", "far": "其中道路距离超限的农户"},
    ),
    ("firms", "未建党组织的企业/合作社", "#1f78b4", 8, {"name": "名称", "rule": "问题", "employees": "职工人数"}),
)


def band_colour(per_100: float) -> str:
    """Fill colour of a group with PER_100 members per 100 households."""
    return [colour for low, colour in PER_100_BANDS if per_100 >= low][-1]


def _group_style(feature) -> dict:
    p = feature["properties"]
    style = {"fillColor": band_colour(p["per_100"]), "fillOpacity": 0.6, "color": "#666", "weight": 0.5}
    return {**style, **BLANK} if p["blank"] else style


def _points(collection: dict, name: str, colour: str, radius: int, fields: dict[str, str]) -> folium.GeoJson:
    return folium.GeoJson(
        escaped(collection),
        name=name,
        marker=folium.CircleMarker(),
        style_function=lambda _f: {
            "radius": radius,
            "fill": True,
            "fillColor": colour,
            "fillOpacity": 0.9,
            "color": "#222",
            "weight": 1,
        },
        tooltip=folium.GeoJsonTooltip(list(fields), list(fields.values()), sticky=True),
    )


def add_coverage_overlays(fmap: folium.Map, layers: CoverageLayers) -> folium.Map:
    """Draw LAYERS on FMAP (a township map); returns FMAP."""
    if layers.groups["features"]:
        folium.GeoJson(
            escaped(layers.groups),
            name="每百户党员数（村民小组）",
            style_function=_group_style,
            tooltip=folium.GeoJsonTooltip(
                ["village", "name", "households", "members", "per_100"],
                ["行政村", "村民小组", "户数", "党员", "每百户党员"],
                sticky=True,
            ),
        ).add_to(fmap)
    if layers.proposals["features"]:
        folium.GeoJson(
            escaped(layers.proposals),
            name=PROPOSAL_NAME,
            style_function=lambda _f: PROPOSAL,
            tooltip=folium.GeoJsonTooltip(
                ["branch", "number", "members", "leader"], ["党支部", "党小组序号", "党员", "建议组长"]
            ),
        ).add_to(fmap)
    for attr, name, colour, radius, fields in POINT_OVERLAYS:
        collection = getattr(layers, attr)
        if collection["features"]:
            _points(collection, name, colour, radius, fields).add_to(fmap)
    # The layer control's script names every overlay: it must come after theirs.
    for key, child in list(fmap._children.items()):
        if isinstance(child, folium.LayerControl):
            fmap._children.move_to_end(key)
    return fmap


def legend_entries() -> list[tuple[str, str]]:
    """(colour, name) of the overlays besides the choropleth, for the page's legend."""
    return [(PROPOSAL["fillColor"], PROPOSAL_NAME)] + [(colour, name) for _, name, colour, _, _ in POINT_OVERLAYS]


def village_bounds(villages: dict, name: str | None) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the village NAME in the VILLAGES collection, for Leaflet; None if absent."""
    shapes = [shapely.geometry.shape(f["geometry"]) for f in villages["features"] if f["properties"]["name"] == name]
    if not shapes:
        return None
    west, south, east, north = shapely.union_all(shapes).bounds
    return [[south, west], [north, east]]


def focus(fmap: folium.Map, bounds: list[list[float]]) -> folium.Map:
    """FMAP opening on BOUNDS instead of the whole township.

    The township's own fit is removed rather than followed by a second one: Leaflet drops a
    fit asked for while the first one's zoom is still animating.
    """
    for key, child in list(fmap._children.items()):
        if isinstance(child, folium.map.FitBounds):
            del fmap._children[key]
    fmap.fit_bounds(bounds)
    return fmap
