"""党建示范点分布图: sites by review status along the road corridors, and the tour of awarded sites."""
from gridmgmt.domain.vocab import DEMO_SITE_STATUSES
from gridmgmt.maps.kinds.base import (
    BriefingData, MapKind, boundary_layer, road_layers, seat_label, seat_layer, spec_for, village_labels,
    village_layers,
)
from gridmgmt.maps.static.spec import MapLabel, MapLayer, MapSpec

# Review status → (legend label, marker, colour); the order is the legend's, bottom-up.
STATUS_MARKERS = {
    "revoked": ("已摘牌", "X", "#757575"),
    "rectifying": ("限期整改", "D", "#fbc02d"),
    "candidate": ("申报/审核中", "o", "#fb8c00"),
    "awarded": ("已授牌示范点", "*", "#c62828"),
}
CANDIDATE_STATUSES = ("applied", "preliminary", "inspected")


def build(data: BriefingData) -> MapSpec:
    """Corridor band, roads, the tour line and the sites marked by status, each named."""
    sites = data.layers["demo_sites"]
    status = sites.status.where(~sites.status.isin(CANDIDATE_STATUSES), "candidate")
    layers = [
        *village_layers(data),
        MapLayer("polygon", data.layers["site_corridor"], label="公路交通沿线", zorder=3,
                 style={"facecolor": "#fff3c4", "edgecolor": "#e0b000", "linewidth": 0.4}),
        *road_layers(data),
        *_tour(data),
        boundary_layer(data),
        *seat_layer(data),
    ]
    for key, (label, marker, colour) in STATUS_MARKERS.items():
        layers.append(MapLayer("point", sites[status == key], label=label, zorder=13, keep_clear=True,
                               style={"marker": marker, "markersize": 70 if marker == "*" else 30,
                                      "color": colour, "edgecolor": "white", "linewidth": 0.5}))
    names = [MapLabel(name, p.x, p.y, size=6.5, priority=-1, optional=True)
             for name, p in zip(sites.name, sites.geometry)]
    counts = "，".join(f"{DEMO_SITE_STATUSES[s]} {n} 个" for s, n in sites.status.value_counts().items())
    notes = (f"示范点：{counts or '暂无'}",)
    return spec_for(data, f"{data.place.name}党建示范点分布图", layers,
                    seat_label(data) + village_labels(data) + names, notes)


def _tour(data: BriefingData) -> list[MapLayer]:
    """The tour line, only when there is a tour: an empty legend entry would promise one."""
    tour = data.layers["site_tour"]
    if tour.empty:
        return []
    return [MapLayer("line", tour, label="示范点观摩路线", zorder=7,
                     style={"color": "#1565c0", "linewidth": 2.0, "alpha": 0.85})]


KIND = MapKind("sites", "党建示范点分布图", ("villages", "roads", "demo_sites", "site_corridor", "site_tour"),
               build)
