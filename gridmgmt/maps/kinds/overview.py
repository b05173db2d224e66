"""乡镇概况图: villages and groups, roads, party venues, settlements and the seat."""

from gridmgmt.maps.kinds.base import (
    BriefingData,
    MapKind,
    boundary_layer,
    road_layers,
    seat_label,
    seat_layer,
    spec_for,
    village_labels,
    village_layers,
    water_layers,
)
from gridmgmt.maps.static.spec import MapLayer, MapSpec


def build(data: BriefingData) -> MapSpec:
    """The township overview: where villages, roads, venues and households are."""
    groups = data.layers["groups"]
    group_areas = groups[groups.geom_type.isin(["Polygon", "MultiPolygon"])]
    layers = [
        *village_layers(data),
        MapLayer(
            "polygon",
            group_areas,
            label="村民小组界",
            zorder=3,
            style={"facecolor": "none", "edgecolor": "#909090", "linewidth": 0.45, "linestyle": ":"},
        ),
        # Positions only, drawn as settlement dots: never any household attribute.
        MapLayer(
            "point",
            data.layers["households"],
            label="农户",
            zorder=4,
            style={"marker": "o", "markersize": 0.5, "color": "#5b7fa6", "linewidth": 0},
        ),
        *water_layers(data),
        *road_layers(data),
        MapLayer(
            "point",
            data.layers["venues"],
            label="党组织活动场所",
            zorder=10,
            keep_clear=True,
            style={"marker": "s", "markersize": 9, "color": "#c8102e", "edgecolor": "#ffde00", "linewidth": 0.5},
        ),
        boundary_layer(data),
        *seat_layer(data),
    ]
    return spec_for(data, f"{data.place.name}概况图", layers, seat_label(data) + village_labels(data))


KIND = MapKind("overview", "乡镇概况图", ("villages", "waters", "groups", "households", "roads", "venues"), build)
