"""示范点现场观摩路线图: the printed tour, the route numbered stop by stop and the way back to the
seat on the map, the stops' table beside it (the panel's notes).

Not a registered kind: the tour is the page's chosen set, so its stops and legs come with the
request (layers `tour_legs`, `tour_stops`) on top of the background layers TOUR_KIND loads.
"""

import geopandas as gpd

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
from gridmgmt.maps.static.spec import MapLabel, MapLayer, MapSpec

# ① is the first site after the seat.
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Blue, not the 国道's red; the way back in orange dashes over it, so that where it runs on the
# roads of the way out both still show.
ROUTE = {"color": "#1565c0", "linewidth": 2.6, "alpha": 0.9}
BACK = {"color": "#ef6c00", "linewidth": 1.6, "linestyle": (0, (4, 3))}
STOP = {"marker": "o", "markersize": 70, "color": "#1565c0", "edgecolor": "white", "linewidth": 0.8}


def number(n: int) -> str:
    """The mark of stop N (1-based): ①…⑳, then plain numbers."""
    return CIRCLED[n - 1] if n <= len(CIRCLED) else f"({n})"


def route_layers(legs: gpd.GeoDataFrame, label: str = "观摩路线（按编号顺序）") -> list[MapLayer]:
    """The way out through the stops (solid) and the way back to the seat (dashed), each in the
    legend when drawn."""
    if legs.empty:
        return []
    back = legs.back.fillna(False).astype(bool) if "back" in legs else legs.leg < 0
    layers = [MapLayer("line", legs[~back], ROUTE, label, zorder=7)]
    if back.any():
        layers.append(MapLayer("line", legs[back], BACK, "返回乡镇驻地", zorder=8))
    return layers


def corridor_map(data: BriefingData, route: list[MapLayer]) -> list[MapLayer]:
    """The layers under the sites: villages, the 公路交通沿线 corridor band, waters, roads, ROUTE,
    the boundary and the seat."""
    corridor = MapLayer(
        "polygon",
        data.layers["site_corridor"],
        label="国道、省道、县道两侧范围",
        zorder=3,
        style={"facecolor": "#fff3c4", "edgecolor": "#e0b000", "linewidth": 0.4},
    )
    return [
        *village_layers(data),
        corridor,
        *water_layers(data),
        *road_layers(data),
        *route,
        boundary_layer(data),
        *seat_layer(data),
    ]


def _table(stops: gpd.GeoDataFrame, legs: gpd.GeoDataFrame) -> tuple[str, ...]:
    """The stops as lines of a table: number, name, this leg, so far, arrival minute; then the way back."""
    lines = ["观摩顺序（本段/累计公里，出发后第几分钟到）："]
    for row in stops.itertuples():
        mark = "⓪" if row.n == 0 else number(row.n)
        what = "出发" if row.n == 0 else f"{row.leg_km:.1f}/{row.total_km:.1f}，第{row.arrive_min:.0f}分"
        lines.append(f"{mark} {row.name}　{what}")
    back = legs[legs.back.fillna(False).astype(bool)] if "back" in legs else legs.iloc[0:0]
    if not back.empty:
        total = float(stops.total_km.max()) + float(back.km.sum())
        lines.append(f"返回乡镇驻地　{float(back.km.sum()):.1f}/{total:.1f}，第{stops.attrs.get('back_min', 0):.0f}分")
    return tuple(lines)


def build(data: BriefingData) -> MapSpec:
    """The tour on the township map: corridor, roads, the numbered route and the way back, the table beside."""
    legs, stops = data.layers["tour_legs"], data.layers["tour_stops"]
    sites = stops[stops.n > 0]
    layers = [
        *corridor_map(data, route_layers(legs)),
        MapLayer("point", sites, STOP, "示范点（编号为观摩顺序）", zorder=11, keep_clear=True),
    ]
    names = [
        MapLabel(f"{number(n)}{name}", p.x, p.y, size=8, bold=True, priority=1e6 - n)
        for n, name, p in zip(sites.n, sites["name"], sites.geometry)
    ]
    return spec_for(
        data,
        f"{data.place.name}党建示范点现场观摩路线图",
        layers,
        seat_label(data) + names + village_labels(data),
        _table(stops, legs),
    )


TOUR_KIND = MapKind("site_tour", "示范点现场观摩路线图", ("villages", "waters", "roads", "site_corridor"), build)
