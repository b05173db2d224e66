"""A township's road network in PostGIS and pgRouting: one scoped edge set for every use.

The edge set is the routable roads within MARGIN_M of the township boundary (measured in
the township's frame, found through the GiST index with a degree prefilter), loaded once.
Snapping is done on those edges in metres (gridmgmt.network.edges); vertex cost matrices
and shortest paths come from pgRouting on exactly the same edges, whose inner SQL is
composed with psycopg.sql.
"""

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from psycopg import sql
from sqlalchemy import text
from sqlalchemy.orm import Session

from gridmgmt.network.distances import Snapped, VertexCosts, pair_distances, straight_distances
from gridmgmt.network.edges import Edges, draw_leg, plan_leg, snap_points
from gridmgmt.network.frame import TownshipFrame
from gridmgmt.network.legs import LegMatrix
from gridmgmt.network.tours import leg_pairs

# Roads this far outside the township may carry its routes (a bend out and back in).
MARGIN_M = 3000.0
# Metres in a degree of latitude, rounded down: degree margins derived from it are generous.
METRES_PER_DEGREE = 110_000.0

_FRAME = "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(geom) AS c FROM township WHERE id = :t) s"
# The bounding-box test finds the candidates through the road index; the distance is in the frame.
_SCOPE = """
WITH t AS MATERIALIZED (SELECT geom, ST_Transform(geom, :srid) AS metric FROM township WHERE id = :t)
SELECT r.id, r.source, r.target, r.length_m, r.road_class, ST_AsBinary(r.geom) AS wkb
FROM road r, t
WHERE r.source IS NOT NULL AND r.geom && ST_Expand(t.geom, :margin_deg)
  AND ST_DWithin(ST_Transform(r.geom, :srid), t.metric, :margin)
ORDER BY r.id"""
# Undirected shortest metres, aggregated into three arrays (one row instead of V² rows): among
# :vids, or between all vertices (Johnson), the faster when the points touch most of them.
_COSTS = {
    "few": "pgr_dijkstraCostMatrix(:edges, CAST(:vids AS bigint[]), directed => false)",
    "most": "pgr_johnson(:edges, directed => false)",
}
_COSTS_SQL = "SELECT array_agg(start_vid), array_agg(end_vid), array_agg(agg_cost) FROM {}"
_PATHS = (
    "SELECT start_vid, end_vid, edge FROM pgr_dijkstra(:edges, :pairs, directed => false) "
    "WHERE edge > 0 ORDER BY start_vid, end_vid, path_seq"
)


class NoRoads(LookupError):
    """The township has no routable roads."""

    def __init__(self, township_id: int):
        super().__init__(f"该乡镇没有可通行的道路（township id {township_id}），无法计算道路距离")


def township_frame(session: Session, township_id: int) -> TownshipFrame:
    """The metric frame of township TOWNSHIP_ID, chosen at its centroid."""
    lon, lat = session.execute(text(_FRAME), {"t": township_id}).one()
    return TownshipFrame(lon, lat)


def degrees_for(metres: float, lat: float) -> float:
    """A degree distance at least METRES on the ground in every direction at latitude LAT."""
    return metres / (METRES_PER_DEGREE * max(math.cos(math.radians(abs(lat))), 0.1))


@dataclass(frozen=True)
class RoadNetwork:
    """The roads of one township (with a margin) in its frame, and the queries on them."""

    session: Session
    township_id: int
    frame: TownshipFrame
    edges: Edges

    @classmethod
    def of(cls, session: Session, township_id: int, margin_m: float = MARGIN_M) -> "RoadNetwork":
        """The network of township TOWNSHIP_ID; NoRoads when it has no routable road."""
        frame = township_frame(session, township_id)
        rows = session.execute(
            text(_SCOPE),
            {"t": township_id, "srid": frame.epsg, "margin": margin_m, "margin_deg": degrees_for(margin_m, frame.lat)},
        ).all()
        if not rows:
            raise NoRoads(township_id)
        ids, source, target, length, road_class, wkb = zip(*rows)
        lines = frame.project(shapely.from_wkb([bytes(w) for w in wkb]))
        edges = Edges(
            np.array(ids, dtype=np.int64),
            np.array(source, dtype=np.int64),
            np.array(target, dtype=np.int64),
            np.array(length, dtype=float),
            np.array(road_class),
            lines,
        )
        return cls(session, township_id, frame, edges)

    def snap(self, lon, lat, off_network_m: float = np.inf) -> Snapped:
        """The points LON/LAT on their nearest edge (see edges.snap_points)."""
        x, y = self.frame.to_metres(lon, lat)
        return snap_points(self.edges, x, y, off_network_m)

    def _edges_sql(self) -> str:
        """pgRouting's inner query: exactly this network's edges, undirected, cost in metres."""
        query = sql.SQL(
            "SELECT id, source, target, length_m AS cost FROM road WHERE id = ANY(CAST({} AS bigint[]))"
        ).format(sql.Literal(self.edges.id.tolist()))
        return query.as_string(self.session.connection().connection.driver_connection)

    def costs(self, *points: Snapped) -> VertexCosts:
        """Shortest road metres between every vertex the POINTS' edges end in."""
        vids = np.unique(np.concatenate([p.vertices for p in points]))
        if len(vids) < 2:
            return VertexCosts.from_rows(vids, [], [], [])
        most = len(vids) * 3 > len(np.unique(np.concatenate([self.edges.source, self.edges.target])))
        start, end, cost = self.session.execute(
            text(_COSTS_SQL.format(_COSTS["most" if most else "few"])),
            {"edges": self._edges_sql(), "vids": vids.tolist()},
        ).one()
        return VertexCosts.from_rows(vids, start or [], end or [], cost or [])

    def paths(self, pairs) -> pd.DataFrame:
        """The edges of the shortest path of every (start, end) vertex pair in PAIRS, in order."""
        pairs = sorted({(int(a), int(b)) for a, b in pairs if a != b})
        if not pairs:
            return pd.DataFrame({"start_vid": [], "end_vid": [], "edge": []}, dtype=np.int64)
        values = sql.SQL(", ").join(sql.SQL("({}, {})").format(sql.Literal(a), sql.Literal(b)) for a, b in pairs)
        combos = sql.SQL("SELECT * FROM (VALUES {}) AS c(source, target)").format(values)
        conn = self.session.connection().connection.driver_connection
        rows = self.session.execute(text(_PATHS), {"edges": self._edges_sql(), "pairs": combos.as_string(conn)}).all()
        return pd.DataFrame(rows, columns=["start_vid", "end_vid", "edge"], dtype=np.int64)

    def leg_matrix(self, points: Snapped) -> LegMatrix:
        """Road and straight-line metres between all POINTS, for ordering stops."""
        costs = self.costs(points)
        return LegMatrix(pair_distances(points, costs), straight_distances(points, points), costs)

    def draw(self, points: Snapped, legs: LegMatrix, order: list[int], closed: bool) -> list:
        """Each leg of ORDER (back to its start when CLOSED) as a lon/lat line along the roads;
        network gaps are drawn straight."""
        pairs = leg_pairs(order, closed)
        gap = legs.gap
        plans = [plan_leg(points, legs.costs, i, j, bool(gap[i, j])) for i, j in pairs]
        found = self.paths((p.exit_vertex, p.entry_vertex) for p in plans if p.kind == "via")
        by_pair = {key: part.edge.tolist() for key, part in found.groupby(["start_vid", "end_vid"])}
        lines = [
            draw_leg(self.edges, points, i, j, plan, by_pair.get((plan.exit_vertex, plan.entry_vertex), []))
            for (i, j), plan in zip(pairs, plans)
        ]
        return list(self.frame.unproject(np.array(lines, dtype=object)))
