"""党组织覆盖图: party members per village group, 空白组, and 规上企业 without a party organisation."""
from gridmgmt.maps.kinds.base import (
    BriefingData, MapKind, boundary_layer, classed, road_layers, seat_layer, spec_for, village_labels,
    village_layers,
)
from gridmgmt.maps.static.spec import MapLayer, MapSpec

# Members living in the group: none is a 空白组 (004 三(一)), shown in red.
MEMBER_CLASSES = [
    ("空白组（无党员）", "#e53935", lambda n: n == 0),
    ("1–2 名党员", "#deebf7", lambda n: 1 <= n <= 2),
    ("3–5 名党员", "#9ecae1", lambda n: 3 <= n <= 5),
    ("6 名及以上党员", "#5b9bd0", lambda n: n >= 6),
]
FIRM_MARKER = {"marker": "^", "markersize": 36, "linewidth": 0.6}


def build(data: BriefingData) -> MapSpec:
    """Groups coloured by party members, venues, and above-scale firms with or without an org."""
    groups = data.layers["group_members"]
    firms = data.layers["above_scale_firms"]
    layers = [
        *village_layers(data, fill="none"),
        *classed(groups, "members", MEMBER_CLASSES, "polygon",
                 {"edgecolor": "white", "linewidth": 0.3}, zorder=1),
        *road_layers(data, classes=("national", "provincial", "county", "township")),
        MapLayer("point", data.layers["venues"], label="党组织活动场所", zorder=10, keep_clear=True,
                 style={"marker": "s", "markersize": 9, "color": "#c8102e", "edgecolor": "#ffde00",
                        "linewidth": 0.5}),
        MapLayer("point", firms[firms.has_party_org], label="规上企业（已建党组织）", zorder=11,
                 style={**FIRM_MARKER, "color": "#ffffff", "edgecolor": "#333333"}),
        MapLayer("point", firms[~firms.has_party_org], label="规上企业（未建党组织）", zorder=11,
                 style={**FIRM_MARKER, "color": "#111111", "edgecolor": "#ffffff"}),
        boundary_layer(data),
        *seat_layer(data),
    ]
    blank = int((groups.members == 0).sum())
    lacking = int((~firms.has_party_org).sum())
    notes = (f"村民小组 {len(groups)} 个，其中空白组 {blank} 个",
             f"规上企业 {len(firms)} 家，未建党组织 {lacking} 家")
    return spec_for(data, f"{data.place.name}党组织覆盖图", layers, village_labels(data), notes)


KIND = MapKind("coverage", "党组织覆盖图",
               ("villages", "roads", "venues", "group_members", "above_scale_firms"), build)
