"""The county briefing map (县级简报图): the 县级总览's townships coloured by one figure, for print.

The same classes and legend as the page's county map (gridmgmt.domain.county.shading), drawn by
the briefing maps' renderer (gridmgmt.maps.static) with its title, legend, north arrow and scale bar.
"""

import geopandas as gpd
import shapely
from shapely.geometry import shape

from gridmgmt.domain.county import Figure, shading, shown
from gridmgmt.maps.static.spec import MapLabel, MapLayer, MapSpec
from gridmgmt.readmodels import CountyOverview

# Best to worst, as the page's map (web/static/county-map.js); no value: grey.
COLOURS = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
NONE = "#bdbdbd"


def county_map_spec(overview: CountyOverview, figure: Figure) -> MapSpec:
    """OVERVIEW's townships coloured by FIGURE, worse darker, each named with its value."""
    shades = shading(overview.rows, figure)
    values = {row["code"]: row[figure.key] for row in overview.rows}
    features = overview.boundaries["features"]
    towns = gpd.GeoDataFrame(
        {
            "code": [f["properties"]["code"] for f in features],
            "name": [f["properties"]["name"] for f in features],
        },
        geometry=[shape(f["geometry"]) for f in features],
        crs=4326,
    )
    towns["shade"] = towns.code.map(shades["classes"])
    layers = [
        _class_layer(towns[towns.shade.isna()], NONE, e["text"])
        if e["shade"] is None
        else _class_layer(towns[towns.shade == e["shade"]], COLOURS[e["shade"]], e["text"])
        for e in shades["legend"]
    ]
    labels = [
        MapLabel(f"{name}\n{shown(figure, values.get(code))}", point.x, point.y, size=8, priority=1)
        for code, name, point in zip(towns.code, towns.name, towns.geometry.representative_point())
    ]
    direction = "越多越需关注" if figure.worse == "more" else "越少越需关注"
    return MapSpec(
        title=f"{overview.name}各乡镇{figure.label}",
        area=shapely.union_all(towns.geometry.to_numpy()),
        layers=layers,
        labels=labels,
        place=overview.name,
        made_on=overview.day,
        notes=(f"按{figure.label}把乡镇分为至多五档（相同数值同档），颜色越深{direction}；灰色为无数据。",),
    )


def _class_layer(frame: gpd.GeoDataFrame, colour: str, text: str) -> MapLayer:
    """One legend entry: the townships of one class in COLOUR, with their boundaries."""
    style = {"facecolor": colour, "edgecolor": "#555555", "linewidth": 0.6}
    return MapLayer("polygon", frame, style=style, label=text, zorder=2)
