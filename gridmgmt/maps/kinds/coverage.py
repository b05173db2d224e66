"""党组织覆盖图: party members per 100 households by village group, 空白组, and 规上企业 without a party
organisation: the coverage page's layers on paper."""

import numpy as np

from gridmgmt.maps.kinds.base import (
    BriefingData,
    MapKind,
    boundary_layer,
    classed,
    road_layers,
    seat_layer,
    spec_for,
    village_labels,
    village_layers,
    water_layers,
)
from gridmgmt.maps.static.spec import MapLayer, MapSpec

# Members per 100 households: band lower bounds and colours, light to dark red (the page's too).
PER_100_BANDS = ((0, "#fff5f0"), (5, "#fcbba1"), (10, "#fb6a4a"), (20, "#cb181d"), (30, "#67000d"))
# A group with households and no member is a 空白组 (004 三(一)): hatched and outlined in blue,
# as the page outlines it.
BLANK_STYLE = {"facecolor": "white", "edgecolor": "#0050b3", "hatch": "////", "linewidth": 0.8}
FIRM_MARKER = {"marker": "^", "markersize": 50, "linewidth": 0.7}


def band_classes() -> list[tuple]:
    """(legend label, colour, test on per_100) of every band; blank groups (NaN) fall in none."""
    bounds = [low for low, _ in PER_100_BANDS[1:]] + [np.inf]
    classes = []
    for (low, colour), high in zip(PER_100_BANDS, bounds):
        label = f"每百户 {low} 名及以上" if np.isinf(high) else f"每百户 {low}–{high} 名"
        classes.append((label, colour, lambda p, low=low, high=high: low <= p < high))
    return classes


def build(data: BriefingData) -> MapSpec:
    """Groups by members per 100 households, 空白组, venues, and above-scale firms with or without an org."""
    groups = data.layers["group_members"]
    groups = groups.assign(per_100=100 * groups.members / groups.households.where(groups.members > 0))
    firms = data.layers["above_scale_firms"]
    blank = groups[(groups.members == 0) & (groups.households > 0)]
    layers = [
        *village_layers(data, fill="none"),
        *classed(groups, "per_100", band_classes(), "polygon", {"edgecolor": "white", "linewidth": 0.3}, zorder=1),
        MapLayer("polygon", blank, label="空白组（无党员）", zorder=1, style=BLANK_STYLE),
        *water_layers(data),
        *road_layers(data, classes=("national", "provincial", "county", "township")),
        MapLayer(
            "point",
            data.layers["venues"],
            label="党组织活动场所",
            zorder=10,
            keep_clear=True,
            style={"marker": "s", "markersize": 9, "color": "#c8102e", "edgecolor": "#ffde00", "linewidth": 0.5},
        ),
        MapLayer(
            "point",
            firms[firms.has_party_org],
            label="规上企业（已建党组织）",
            zorder=11,
            style={**FIRM_MARKER, "color": "#ffffff", "edgecolor": "#333333"},
        ),
        MapLayer(
            "point",
            firms[~firms.has_party_org],
            label="规上企业（未建党组织）",
            zorder=11,
            style={**FIRM_MARKER, "color": "#0050b3", "edgecolor": "#ffffff"},
        ),
        boundary_layer(data),
        *seat_layer(data),
    ]
    households, members = int(groups.households.sum()), int(groups.members.sum())
    per_100 = f"{100 * members / households:.1f}" if households else "—"
    notes = (
        f"村民小组 {len(groups)} 个，其中空白组 {len(blank)} 个",
        f"居住在本镇的党员 {members} 名，每百户 {per_100} 名",
        f"规上企业 {len(firms)} 家，未建党组织 {int((~firms.has_party_org).sum())} 家",
    )
    return spec_for(data, f"{data.place.name}党组织覆盖图", layers, village_labels(data), notes)


KIND = MapKind(
    "coverage", "党组织覆盖图", ("villages", "waters", "roads", "venues", "group_members", "above_scale_firms"), build
)
