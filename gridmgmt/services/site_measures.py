"""Spatial criteria of demo-site candidates, measured in PostGIS and pgRouting.

Points (seat, venues, households) are snapped onto their nearest routable road;
pgRouting gives the vertex-to-vertex cost matrix and the seat's shortest-path
tree; gridmgmt.analysis.reach turns those into point-to-point road distances (as for coverage).
"""
from dataclasses import replace

import numpy as np
from sqlalchemy import text
from sqlalchemy.orm import Session

from gridmgmt.analysis.reach import Snapped, road_distances
from gridmgmt.domain.site_criteria import Candidate, SiteConfig
from gridmgmt.domain.vocab import EIGHT_HAVES, ROAD_CLASSES
from gridmgmt.services.reach import utm_srid

EDGES_SQL = "SELECT id, source, target, length_m AS cost FROM road WHERE source IS NOT NULL"
# Nearest roads by the index (degrees) before measuring in metres: enough to find
# the nearest in metres at township latitudes.
KNN = 5

# The KNN nearest roads by the index (degrees) are re-ranked in metres: a degree of longitude is
# shorter than one of latitude, so the nearest in degrees need not be the nearest on the ground.
_SNAP = """
SELECT p.id, r.id AS edge, r.source, r.target, r.length_m, r.off,
       ST_LineLocatePoint(r.geom, p.geom) * r.length_m AS along,
       ST_X(ST_Transform(p.geom, :srid)) AS x, ST_Y(ST_Transform(p.geom, :srid)) AS y
FROM ({points}) p
CROSS JOIN LATERAL (
    SELECT c.*, ST_Distance(p.geom::geography, c.geom::geography) AS off FROM (
        SELECT id, source, target, length_m, geom FROM road
        WHERE source IS NOT NULL ORDER BY geom <-> p.geom LIMIT {knn}) c
    ORDER BY off LIMIT 1) r
ORDER BY p.id"""

POINTS = {
    "seat": "SELECT id, seat AS geom FROM township WHERE id = :township AND seat IS NOT NULL",
    "venue": "SELECT id, venue AS geom FROM party_org WHERE township_id = :township "
             "AND venue IS NOT NULL",
    "household": "SELECT h.id, h.geom FROM household h JOIN village v ON v.id = h.village_id "
                 "WHERE v.township_id = :township",
}

_CANDIDATES = f"""
WITH RECURSIVE tree AS (
    SELECT id AS root, id FROM party_org WHERE township_id = :township
    UNION ALL SELECT tree.root, c.id FROM tree JOIN party_org c ON c.parent_id = tree.id),
full_members AS (
    SELECT tree.root, count(*) AS n FROM tree
    JOIN party_member m ON m.party_org_id = tree.id AND m.status = 'full' GROUP BY tree.root)
SELECT o.id, o.code, o.name, o.org_type, o.field, o.venue_area_m2, o.committee_size,
       {", ".join(f"o.{k}" for k in EIGHT_HAVES)},
       ST_X(ST_Transform(o.venue, :srid)) AS x, ST_Y(ST_Transform(o.venue, :srid)) AS y,
       s.theme, coalesce(s.is_contact_point, false) AS is_contact_point,
       coalesce(s.is_secretary_model, false) AS is_secretary_model, s.status,
       coalesce(f.n, 0) AS full_members
FROM party_org o LEFT JOIN demo_site s ON s.party_org_id = o.id
LEFT JOIN full_members f ON f.root = o.id
WHERE o.township_id = :township AND o.venue IS NOT NULL ORDER BY o.id"""

_ROAD_CLASS_DISTANCE = """
SELECT o.id, c.road_class,
       (SELECT min(ST_Distance(o.venue::geography, r.geom::geography))
        FROM (SELECT geom FROM road WHERE road_class = c.road_class
              ORDER BY geom <-> o.venue LIMIT :knn) r) AS metres
FROM party_org o CROSS JOIN unnest(CAST(:classes AS text[])) AS c(road_class)
WHERE o.township_id = :township AND o.venue IS NOT NULL"""


class NoSeat(LookupError):
    """The township has no seat point, or no routable road near it."""


def snap(session: Session, kind: str, township_id: int) -> tuple[np.ndarray, dict]:
    """Ids of the KIND points of the township and their raw snapping columns."""
    rows = session.execute(text(_SNAP.format(points=POINTS[kind], knn=KNN)),
                           {"township": township_id, "srid": utm_srid(session, township_id)}).all()
    cols = {name: np.array([getattr(r, name) for r in rows], dtype=float)
            for name in ("edge", "source", "target", "length_m", "off", "along", "x", "y")}
    return np.array([r.id for r in rows], dtype=int), cols


def vertex_costs(session: Session, vertex_ids: np.ndarray) -> np.ndarray:
    """Road cost matrix (m) among VERTEX_IDS (pgr_dijkstraCostMatrix); inf = unreachable."""
    index = {int(v): n for n, v in enumerate(vertex_ids)}
    cost = np.full((len(index), len(index)), np.inf)
    np.fill_diagonal(cost, 0.0)
    if len(index) > 1:
        rows = session.execute(text(
            "SELECT start_vid, end_vid, agg_cost FROM pgr_dijkstraCostMatrix("
            ":edges, CAST(:vids AS bigint[]), false)"),
            {"edges": EDGES_SQL, "vids": list(index)})
        for start, end, agg in rows:
            cost[index[start], index[end]] = agg
    return cost


def as_snapped(cols: dict, index: dict[int, int]) -> Snapped:
    """Snapping columns with vertex ids turned into rows of the cost matrix.

    Sites are measured along roads only: no point counts as off the network.
    """
    return Snapped(cols["edge"].astype(int),
                   np.array([index[int(v)] for v in cols["source"]], dtype=int),
                   np.array([index[int(v)] for v in cols["target"]], dtype=int),
                   cols["along"], cols["length_m"] - cols["along"], cols["off"], cols["x"], cols["y"],
                   np.zeros(len(cols["edge"]), bool))


def network(session: Session, township_id: int, kinds=("seat", "venue", "household")):
    """Snapped points of each kind (ids, Snapped) and the vertex cost matrix they share."""
    raw = {kind: snap(session, kind, township_id) for kind in kinds}
    if "seat" in raw and not len(raw["seat"][0]):
        raise NoSeat("乡镇未登记驻地位置，或驻地附近没有可通行的道路")
    vids = np.unique(np.concatenate([np.concatenate([c["source"], c["target"]])
                                     for _, c in raw.values()])).astype(int)
    index = {int(v): n for n, v in enumerate(vids)}
    points = {kind: (ids, as_snapped(cols, index)) for kind, (ids, cols) in raw.items()}
    return points, vertex_costs(session, vids), vids


def _main_route_orgs(session: Session, township_id: int, seat: Snapped, homes: Snapped,
                     vids: np.ndarray, config: SiteConfig) -> set[int]:
    """Venues near a road edge that carries a large share of the households' trips to the seat.

    Each household travels from the road vertex nearest to it along its shortest path
    to the seat; an edge on at least config.main_route_share of those paths is main route.
    """
    seat_v = vids[seat.source[0]] if seat.to_source[0] <= seat.to_target[0] else vids[seat.target[0]]
    near = np.where(homes.to_source <= homes.to_target, vids[homes.source], vids[homes.target])
    ends, weights = np.unique(near, return_counts=True)
    keep = ends != seat_v
    if not keep.any():
        return set()
    rows = session.execute(text("""
        WITH w AS (SELECT * FROM unnest(CAST(:ends AS bigint[]), CAST(:n AS int[])) AS w(vid, n)),
        load AS (SELECT p.edge, sum(w.n) AS n
                 FROM pgr_dijkstra(:edges, CAST(:seat AS bigint), CAST(:ends AS bigint[]), false) p
                 JOIN w ON w.vid = p.end_vid WHERE p.edge > 0 GROUP BY p.edge)
        SELECT DISTINCT o.id FROM load JOIN road r ON r.id = load.edge
        JOIN party_org o ON o.township_id = :township AND o.venue IS NOT NULL
             AND ST_DWithin(o.venue::geography, r.geom::geography, :near)
        WHERE load.n >= :least"""), {
        "ends": ends[keep].tolist(), "n": weights[keep].tolist(), "edges": EDGES_SQL,
        "seat": int(seat_v), "township": township_id, "near": config.main_route_m,
        "least": config.main_route_share * len(homes)})
    return {r.id for r in rows}


def _base_candidates(session: Session, township_id: int) -> dict[int, Candidate]:
    srid = utm_srid(session, township_id)
    rows = session.execute(text(_CANDIDATES), {"township": township_id, "srid": srid})
    out = {}
    for r in rows:
        haves = frozenset(k for k in EIGHT_HAVES if getattr(r, k))
        area = None if r.venue_area_m2 is None else float(r.venue_area_m2)
        out[r.id] = Candidate(
            r.id, r.name, r.field, r.x, r.y, area, haves, r.full_members, r.committee_size,
            r.theme, r.is_contact_point, r.is_secretary_model, r.status, org_type=r.org_type,
            code=r.code)
    road = session.execute(text(_ROAD_CLASS_DISTANCE), {
        "township": township_id, "knn": KNN, "classes": list(ROAD_CLASSES)})
    metres: dict[int, dict] = {}
    for org, road_class, distance in road:
        metres.setdefault(org, {})[road_class] = distance
    return {org: replace(c, road_m=metres.get(org, {})) for org, c in out.items()}


def measure_candidates(session: Session, township_id: int, config: SiteConfig) -> list[Candidate]:
    """Every party org with a venue in the township, with its spatial criteria measured."""
    base = _base_candidates(session, township_id)
    if not base:
        return []
    try:
        points, cost, vids = network(session, township_id)
    except NoSeat:
        # Only the standards can be judged; each candidate is then excluded as unreachable.
        return list(base.values())
    seat = points["seat"][1]
    venue_ids, venues = points["venue"]
    home_ids, homes = points["household"]
    seat_m = road_distances(seat, venues, cost)[0]
    villages = _household_villages(session, home_ids)
    reach = road_distances(venues, homes, cost) <= config.catchment_m if len(homes) else None
    on_route = _main_route_orgs(session, township_id, seat, homes, vids, config) if len(homes) else set()
    measured = []
    for n, org in enumerate(venue_ids):
        hit = reach[n] if reach is not None else np.zeros(0, bool)
        measured.append(replace(
            base[int(org)], seat_road_m=None if np.isinf(seat_m[n]) else float(seat_m[n]),
            catchment_households=int(hit.sum()),
            catchment_villages=len(set(villages[hit].tolist())),
            on_main_route=int(org) in on_route))
    return measured


def _household_villages(session: Session, home_ids: np.ndarray) -> np.ndarray:
    """Village id of each household in HOME_IDS, in the same order."""
    rows = dict(session.execute(text(
        "SELECT id, village_id FROM household WHERE id = ANY(:ids)"),
        {"ids": home_ids.tolist()}).all())
    return np.array([rows[int(h)] for h in home_ids], dtype=int)
