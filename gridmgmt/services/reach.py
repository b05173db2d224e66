"""Road-network reach with pgRouting: households to party venues and to party-member households.

The township's road edges give an all-pairs vertex matrix (pgr_johnson, undirected,
cost = length in metres). Points are snapped in PostGIS to their nearest edge with
KNN `<->` (the position along the edge is measured in the township's UTM zone, so it
agrees with the edge's geodesic length); the arithmetic is in gridmgmt.analysis.reach.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from gridmgmt.analysis.reach import Snapped, nearest, nearest_distances, utm_epsg, vertex_matrix
from gridmgmt.domain.branch_rules import RESIDENT_VENUE_FIELDS, CoverageRules

# Nearest edges by `<->` (degrees) re-ranked by metres: longitude shrinks with latitude.
KNN_CANDIDATES = 4


class NoRoads(LookupError):
    """The township has no routable roads."""


@dataclass(frozen=True)
class Network:
    """A township's road vertices (id → matrix row) and shortest distances between them."""

    index: dict[int, int]
    matrix: np.ndarray


def utm_srid(session: Session, township_id: int) -> int:
    """EPSG code of the UTM zone (WGS 84, north) at the township's centre, for metric work."""
    lon = session.execute(text("SELECT ST_X(ST_Centroid(geom)) FROM township WHERE id = :t"),
                          {"t": township_id}).scalar_one()
    return utm_epsg(lon)


def township_network(session: Session, township_id: int) -> Network:
    """All-pairs road distances between the vertices of the township's roads."""
    vertices = session.execute(text(
        "SELECT DISTINCT v FROM road, LATERAL (VALUES (source), (target)) ends(v) "
        "WHERE township_id = :t AND source IS NOT NULL ORDER BY v"), {"t": township_id}).scalars().all()
    if not vertices:
        raise NoRoads(f"该乡镇没有可通行的道路（township id {township_id}），无法计算道路距离")
    edges = (f"SELECT id, source, target, length_m AS cost FROM road "
             f"WHERE township_id = {int(township_id)} AND source IS NOT NULL")
    rows = session.execute(text(
        "SELECT start_vid, end_vid, agg_cost FROM pgr_johnson(:edges, directed => false)"),
        {"edges": edges}).all()
    start, end, cost = (np.array(c) for c in zip(*rows)) if rows else ([], [], [])
    index, matrix = vertex_matrix(vertices, start, end, cost)
    return Network(index, matrix)


_SNAP = """
SELECT p.id, e.id AS edge, e.source, e.target,
       e.length_m * e.frac AS to_source, e.length_m * (1 - e.frac) AS to_target, e.access,
       ST_X(ST_Transform(p.geom, :srid)) AS x, ST_Y(ST_Transform(p.geom, :srid)) AS y
FROM ({points}) p
CROSS JOIN LATERAL (
    SELECT c.* FROM (
        SELECT r.id, r.source, r.target, r.length_m,
               ST_LineLocatePoint(ST_Transform(r.geom, :srid), ST_Transform(p.geom, :srid)) AS frac,
               ST_Distance(r.geom::geography, p.geom::geography) AS access
        FROM road r WHERE r.township_id = :t AND r.source IS NOT NULL
        ORDER BY r.geom <-> p.geom LIMIT {knn}) c
    ORDER BY c.access LIMIT 1) e
ORDER BY p.id
"""

POINTS = {
    "households": ("SELECT h.id, h.geom FROM household h JOIN village v ON v.id = h.village_id "
                   "WHERE v.township_id = :t"),
    "venues": ("SELECT o.id, o.venue AS geom FROM party_org o WHERE o.township_id = :t "
               "AND o.venue IS NOT NULL AND o.field = ANY(:fields)"),
}


def snap(session: Session, township_id: int, network: Network, points: str,
         rules: CoverageRules) -> tuple[np.ndarray, Snapped]:
    """(ids, snapped points) of the township's POINTS ('households' or 'venues')."""
    sql = _SNAP.format(points=POINTS[points], knn=KNN_CANDIDATES)
    params = {"t": township_id, "srid": utm_srid(session, township_id), "fields": RESIDENT_VENUE_FIELDS}
    frame = pd.DataFrame(session.execute(text(sql), params).mappings().all(),
                         columns=["id", "edge", "source", "target", "to_source", "to_target", "access", "x", "y"])
    num = {c: frame[c].to_numpy(dtype=float) for c in ("to_source", "to_target", "access", "x", "y")}
    return frame.id.to_numpy(), Snapped(
        edge=frame.edge.to_numpy(), source=frame.source.map(network.index).to_numpy(dtype=int),
        target=frame.target.map(network.index).to_numpy(dtype=int), **num,
        off_network=num["access"] > rules.off_network_m,
    )


def member_household_ids(session: Session, township_id: int) -> np.ndarray:
    """Households of the township where a party member lives."""
    return np.array(session.execute(text(
        "SELECT DISTINCT m.household_id FROM party_member m JOIN household h ON h.id = m.household_id "
        "JOIN village v ON v.id = h.village_id WHERE v.township_id = :t"), {"t": township_id}).scalars().all())


def household_reach(session: Session, township_id: int, network: Network, home_ids: np.ndarray,
                    homes: Snapped, rules: CoverageRules) -> pd.DataFrame:
    """Per household (HOMES, snapped): metres to the nearest venue (and its org id, 0 when none is
    reachable) and to the nearest party-member household."""
    venue_ids, venues = snap(session, township_id, network, "venues", rules)
    with_members = np.isin(home_ids, member_household_ids(session, township_id))
    venue_m, venue_row = nearest(homes, venues, network.matrix)
    return pd.DataFrame({
        "venue_m": venue_m,
        "venue_id": np.append(venue_ids, 0)[venue_row],  # row -1 (no venue reachable) picks the 0
        "member_m": nearest_distances(homes, homes.take(with_members), network.matrix),
        "off_network": homes.off_network,
    }, index=pd.Index(home_ids, name="household_id"))
