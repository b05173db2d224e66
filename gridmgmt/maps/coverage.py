"""Coverage overlays on the township map: members per 100 households by group, 空白组,
venues, households beyond reach, firms without a party organisation, proposed 党小组.

Below VILLAGE_ZOOM no household is drawn: the households beyond reach are counted per
村民小组 instead. From VILLAGE_ZOOM on, households come from their tiles and those beyond
reach from a GeoJSON URL, fetched the first time the map gets there.
"""

import folium
import shapely
import shapely.geometry
from folium import MacroElement
from folium.template import Template

from gridmgmt.maps.controls import escaped
from gridmgmt.maps.kinds.coverage import PER_100_BANDS
from gridmgmt.maps.township import VectorTiles
from gridmgmt.readmodels import CoverageLayers

# The zoom a village fills the map at 1366×768: households are drawn from here on.
VILLAGE_ZOOM = 14
FAR_COLOUR = "#ff7f00"
FAR_NAME = "距活动场所或党员户过远的农户"
FAR_GROUPS_NAME = "过远农户数（按村民小组）"
FAR_GROUP_FIELDS = {"village": "行政村", "name": "村民小组", "households": "过远农户（户）"}

BLANK = {"color": "#0050b3", "weight": 3, "dashArray": "6 4"}
PROPOSAL = {"color": "#6a3d9a", "weight": 2, "fillColor": "#cab2d6", "fillOpacity": 0.35}
PROPOSAL_NAME = "建议党小组"
# Point overlays, drawn in this order: (CoverageLayers field, layer name, colour, radius, tooltip fields).
POINT_OVERLAYS = (
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


def add_coverage_overlays(fmap: folium.Map, layers: CoverageLayers, far_url: str) -> folium.Map:
    """Draw LAYERS on FMAP (a township map), the households beyond reach fetched from FAR_URL
    from VILLAGE_ZOOM on; households' tiles from VILLAGE_ZOOM on too. Returns FMAP."""
    households_from(fmap, VILLAGE_ZOOM)
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
    counts = _far_groups(layers.far_groups).add_to(fmap)
    FarHouseholds(counts, far_url).add_to(fmap)
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
    far = [(FAR_COLOUR, f"{FAR_GROUPS_NAME}，圆越大户越多"), (FAR_COLOUR, f"{FAR_NAME}（放大到村后显示）")]
    return [(PROPOSAL["fillColor"], PROPOSAL_NAME), *far] + [(c, name) for _, name, c, _, _ in POINT_OVERLAYS]


def households_from(fmap: folium.Map, zoom: int) -> None:
    """Draw FMAP's household tiles from ZOOM on only (a township's dots crowd the map)."""
    for child in fmap._children.values():
        if isinstance(child, VectorTiles) and child.options["layer"] == "households":
            child.options["minZoom"] = zoom


def _far_groups(collection: dict) -> folium.GeoJson:
    """A circle per group at its point, its area following the number of households beyond reach."""
    return folium.GeoJson(
        escaped(collection),
        name=FAR_GROUPS_NAME,
        marker=folium.CircleMarker(),
        style_function=lambda f: {
            "radius": 4 + 1.5 * f["properties"]["households"] ** 0.5,
            "fill": True,
            "fillColor": FAR_COLOUR,
            "fillOpacity": 0.7,
            "color": "#7a3b00",
            "weight": 1,
        },
        # folium checks a tooltip's fields against the first feature: none without one.
        tooltip=folium.GeoJsonTooltip(list(FAR_GROUP_FIELDS), list(FAR_GROUP_FIELDS.values()), sticky=True)
        if collection["features"]
        else None,
    )


class FarHouseholds(MacroElement):
    """Below VILLAGE_ZOOM the per-group COUNTS; from there on the households beyond reach,
    fetched from URL once, as points."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }}, counts = {{ this.counts.get_name() }}, points = null;
            function tip(feature) {
                var div = document.createElement("div");
                div.textContent = feature.properties.code + "：" + feature.properties.why;
                return div;
            }
            function fetchPoints() {
                points = L.layerGroup();
                fetch({{ this.url|tojson }}, {credentials: "same-origin"})
                    .then(function (response) { return response.json(); })
                    .then(function (data) {
                        L.geoJSON(data, {
                            pointToLayer: function (feature, latlng) {
                                return L.circleMarker(latlng, {{ this.style|tojson }}).bindTooltip(tip(feature));
                            }
                        }).addTo(points);
                    });
            }
            function update() {
                var near = map.getZoom() >= {{ this.zoom }};
                if (near && !points) { fetchPoints(); }
                if (points) { if (near) { points.addTo(map); } else { points.remove(); } }
                if (near) { counts.remove(); } else { counts.addTo(map); }
            }
            map.on("zoomend", update);
            map.whenReady(update);
        })();
        {% endmacro %}
    """)

    def __init__(self, counts: folium.GeoJson, url: str):
        super().__init__()
        self._name = "FarHouseholds"
        self.counts, self.url, self.zoom = counts, url, VILLAGE_ZOOM
        self.style = {
            "radius": 4,
            "fill": True,
            "fillColor": FAR_COLOUR,
            "fillOpacity": 0.9,
            "color": "#222",
            "weight": 1,
        }


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
