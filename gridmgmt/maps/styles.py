"""Map styles: one place for the colours the layers and the legend share."""

# Neutral paper colour: with no basemap the township's own layers are the map.
BACKGROUND = "#eeeee6"

TOWNSHIP = {"color": "#7b2d8b", "weight": 3, "dashArray": "10 5", "fill": False}
VILLAGE = {"color": "#5c5c5c", "weight": 1.6, "fillColor": "#f8f4e1", "fillOpacity": 0.7}
GROUP = {"color": "#8f8f8f", "weight": 0.8, "dashArray": "3 3", "fillColor": "#ffffff", "fillOpacity": 0.01}
HIGHLIGHT = {"color": "#1a73e8"}

# Higher classes are drawn thicker and warmer.
ROADS = {
    "national": {"color": "#c0392b", "weight": 6},
    "provincial": {"color": "#e67e22", "weight": 5},
    "county": {"color": "#d4ac0d", "weight": 4},
    "township": {"color": "#8e6e53", "weight": 3},
    "village": {"color": "#b8a48c", "weight": 2},
}

# Rivers and canals as lines, ponds and reservoirs filled: blue under the roads.
WATER = {"color": "#3a86c8", "weight": 2.5, "fillColor": "#a8d1f0", "fillOpacity": 0.9}

# No outline: ten thousand outlined dots would hide the roads under them.
HOUSEHOLD = {"radius": 2, "stroke": False, "fill_color": "#2f6fb5", "fill_opacity": 0.8}

# Chinese layer names, shown in the layer control and the legend.
LAYER_NAMES = {
    "township": "镇界",
    "villages": "行政村",
    "groups": "村民小组",
    "waters": "水系",
    "roads": "道路",
    "venues": "党组织活动场所",
    "households": "农户",
}

CSS = f"""
/* .folium-map: outranks leaflet.css, which the page loads later. */
.folium-map.leaflet-container {{ background: {BACKGROUND}; }}
.village-label {{ color: #333; font-size: 13px; font-weight: bold; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff; transform: translate(-50%, -50%); }}
.venue-icon {{ background: #c8102e; color: #ffde00; font: bold 10px/14px sans-serif;
  width: 14px; height: 14px; text-align: center; border-radius: 2px;
  box-shadow: 0 0 0 1px #fff; }}
.map-legend {{ background: rgba(255,255,255,.92); padding: 6px 10px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); font-size: 12px; line-height: 20px; }}
.map-legend summary {{ font-weight: bold; font-size: 13px; cursor: pointer; }}
.map-legend .swatch {{ display: inline-block; width: 26px; margin-right: 6px;
  vertical-align: middle; box-sizing: border-box; }}
"""
