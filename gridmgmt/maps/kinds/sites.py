"""党建示范点分布图: candidates by score and sites by review status along the road corridors, and the
tour of awarded sites."""

from gridmgmt.maps.kinds.base import (
    BriefingData,
    MapKind,
    seat_label,
    spec_for,
    village_labels,
)
from gridmgmt.maps.kinds.tour import CIRCLED, corridor_map, route_layers
from gridmgmt.maps.sites import EXCLUDED, band_labels, score_colour
from gridmgmt.maps.static.spec import MapLabel, MapLayer, MapSpec

# Review status → (legend label, marker, colour, size); the order is the legend's, bottom-up.
# Awarded sites are gold stars edged in red, drawn under the seat's red star: a site at the
# seat shows as a gold rim around it.
STATUS_MARKERS = {
    "revoked": ("已摘牌", "X", "#757575", 30),
    "rectifying": ("限期整改", "D", "#fb8c00", 34),
    "candidate": ("申报/审核中", "o", "#42a5f5", 34),
    "awarded": ("已授牌示范点", "*", "#ffc107", 150),
}
CANDIDATE_STATUSES = ("applied", "preliminary", "inspected")


def build(data: BriefingData) -> MapSpec:
    """Corridor band, roads, the tour line and the sites marked by status, each named; tour stops numbered."""
    sites = data.layers["demo_sites"]
    status = sites.status.where(~sites.status.isin(CANDIDATE_STATUSES), "candidate")
    layers = corridor_map(data, _tour(data))
    layers += _candidates(data)
    for key, (label, marker, colour, size) in STATUS_MARKERS.items():
        layers.append(
            MapLayer(
                "point",
                sites[status == key],
                label=label,
                zorder=11,
                keep_clear=True,
                style={
                    "marker": marker,
                    "markersize": size,
                    "color": colour,
                    "edgecolor": "#b71c1c" if key == "awarded" else "white",
                    "linewidth": 0.6,
                },
            )
        )
    stop = _stops(data)
    names = [
        MapLabel(
            f"{CIRCLED[stop[org] - 1]}{name}" if org in stop else name,
            p.x,
            p.y,
            size=7,
            bold=org in stop,
            priority=-0.5 if org in stop else -1,
            optional=org not in stop,
        )
        for org, name, p in zip(sites.party_org_id, sites.name, sites.geometry)
    ]
    return spec_for(
        data,
        f"{data.place.name}党建示范点分布图",
        layers,
        seat_label(data) + village_labels(data) + names,
        _notes(data, status, stop),
    )


def _stops(data: BriefingData) -> dict[int, int]:
    """Party-org id → stop number on the tour (the seat is stop 0); up to 20 stops are numbered."""
    tour = data.layers["site_tour"]
    if tour.empty:
        return {}
    out = tour[~tour.back.fillna(False).astype(bool)]
    return {int(org): int(leg) for org, leg in zip(out.org, out.leg) if leg <= len(CIRCLED)}


def _notes(data: BriefingData, status, stop: dict[int, int]) -> tuple[str, ...]:
    """Site counts by status, and the tour's order and length."""
    counts = status.value_counts()
    listed = "，".join(
        f"{label} {counts[key]}" for key, (label, *_) in reversed(STATUS_MARKERS.items()) if key in counts
    )
    notes = [f"示范点 {len(status)} 个：{listed}" if listed else "示范点：暂无"]
    if stop:
        km = float(data.layers["site_tour"].km.sum())  # out and back
        names = dict(zip(data.layers["demo_sites"].party_org_id, data.layers["demo_sites"].name))
        order = "→".join(f"{CIRCLED[n - 1]}{names[org]}" for org, n in sorted(stop.items(), key=lambda i: i[1]))
        notes.append(f"观摩路线（镇政府出发并返回，沿道路共 {km:.1f} 公里）：{order}")
    return tuple(notes)


def _candidates(data: BriefingData) -> list[MapLayer]:
    """Candidates not yet put forward, as discs filled by score band (grey when excluded), under
    the sites' status markers; only the bands that hold a candidate enter the legend."""
    found = data.layers["site_candidates"]
    if found.empty:
        return []
    found = found[found.status == "未申报"]
    fill = [EXCLUDED if why != "—" else score_colour(points) for why, points in zip(found.excluded, found.score)]
    bands = [(colour, f"候选 {label}", 55) for colour, label in band_labels()] + [(EXCLUDED, "不合格候选", 22)]
    style = {"marker": "o", "edgecolor": "#333333", "linewidth": 0.5}
    return [
        MapLayer("point", found[[f == colour for f in fill]], {**style, "markersize": size, "color": colour}, label, 10)
        for colour, label, size in bands
        if colour in fill
    ]


def _tour(data: BriefingData) -> list[MapLayer]:
    """The tour line and the way back, only when there is a tour: an empty legend entry would promise one."""
    return route_layers(data.layers["site_tour"], "示范点观摩路线")


KIND = MapKind(
    "sites",
    "党建示范点分布图",
    ("villages", "waters", "roads", "demo_sites", "site_corridor", "site_tour", "site_candidates"),
    build,
)
