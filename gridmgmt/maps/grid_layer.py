"""The published grid plan as one toggleable overlay of a desk map: cell outlines from the vector
tiles, names at their centres from village zoom. Cells carry no household data."""

import folium

from gridmgmt.maps.controls import escaped
from gridmgmt.maps.township import AREA_TILES_MIN_ZOOM, TileSource, VectorTiles, load_tile_scripts

GRID_LAYER_NAME = "网格（已发布方案）"
CELL_OUTLINE = {"fill": False, "color": "#00838f", "weight": 2}
# Names from this zoom: at township zoom eighty names would cover the map.
LABEL_MIN_ZOOM = 14
_CELL_LABEL = folium.JsCode("""function (feature, layer) {
    layer.setIcon(L.divIcon({className: "cell-label", html: feature.properties.name, iconSize: null}));
    layer.setZIndexOffset(900);
}""")
CSS = f"""
.cell-label {{ color: {CELL_OUTLINE["color"]}; font-size: 12px; white-space: nowrap; transform: translate(-50%, -50%);
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; }}
.cells-far .cell-label {{ display: none; }}
"""
# Each cell's own label (a tooltip bound to the whole layer would show only one); names are escaped.
_CELL_NAME = folium.JsCode("""function (feature, layer) {
    layer.bindTooltip(feature.properties.name, {permanent: true, direction: "center", className: "cell-name"});
}""")
# A cell's name as a label: no tooltip box, the outline's colour with a white halo.
NAME_CSS = f"""
.leaflet-tooltip.cell-name {{ background: none; border: none; box-shadow: none; padding: 0; font-size: 12px;
  color: {CELL_OUTLINE["color"]}; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; }}
.leaflet-tooltip.cell-name::before {{ display: none; }}
"""


class _FarLabels(folium.MacroElement):
    """Hides the cell names below LABEL_MIN_ZOOM (a class on the map container)."""

    _template = folium.template.Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            function fit() { map.getContainer().classList.toggle("cells-far", map.getZoom() < {{ this.zoom }}); }
            map.on("zoomend", fit); fit();
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, zoom: int):
        super().__init__()
        self.zoom = zoom


def add_grid_layer(fmap: folium.Map, labels: dict, tiles: TileSource, assets_url: str) -> folium.Map:
    """The published plan's cells on FMAP (outlines from TILES, LABELS as names), hidden until
    turned on in the layer control; returns FMAP."""
    load_tile_scripts(fmap, assets_url, tiles)
    fmap.get_root().header.add_child(folium.Element(f"<style>{CSS}</style>"), name="grid_layer_css")
    group = folium.FeatureGroup(name=GRID_LAYER_NAME, show=False).add_to(fmap)
    VectorTiles(
        None,
        {
            "url": tiles.layer_url("grid_cells"),
            "layer": "grid_cells",
            "pane": "grid_cells",
            "zIndex": 430,  # above the villages and roads, below the households (450)
            "minZoom": AREA_TILES_MIN_ZOOM,
            "style": CELL_OUTLINE,
            "tooltip": [["网格", "name"], ["编码", "code"]],
        },
    ).add_to(group)
    if labels["features"]:
        folium.GeoJson(escaped(labels), marker=folium.Marker(), on_each_feature=_CELL_LABEL).add_to(group)
    _FarLabels(LABEL_MIN_ZOOM).add_to(fmap)
    return _control_last(fmap)


def add_cell_outlines(fmap: folium.Map, outlines: dict) -> folium.Map:
    """Cells OUTLINES (GeoJSON with code and name) on FMAP, shown, each named at its centre: a
    village's published grids on its own page; returns FMAP."""
    if not outlines["features"]:
        return fmap
    group = folium.FeatureGroup(name=GRID_LAYER_NAME).add_to(fmap)
    folium.GeoJson(
        escaped(outlines),
        style_function=lambda _: CELL_OUTLINE,
        on_each_feature=_CELL_NAME,
    ).add_to(group)
    fmap.get_root().header.add_child(folium.Element(f"<style>{NAME_CSS}</style>"), name="cell_name_css")
    return _control_last(fmap)


def _control_last(fmap: folium.Map) -> folium.Map:
    # The layer control lists only the layers added before it.
    for key, child in list(fmap._children.items()):
        if isinstance(child, folium.LayerControl):
            fmap._children.move_to_end(key)
    return fmap
