"""A scoped road edge set in the township's frame: snapping points onto it and drawing legs.

Pure shapely/numpy: the edges are loaded once by RoadNetwork (gridmgmt.network.roads).
"""

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely
from shapely.ops import substring

from gridmgmt.network.distances import Snapped, VertexCosts


@dataclass(frozen=True)
class Edges:
    """Routable roads, sorted by id; LINES are in the frame (metres), drawn source → target."""

    id: np.ndarray
    source: np.ndarray
    target: np.ndarray
    length_m: np.ndarray  # geodesic length, the routing cost
    road_class: np.ndarray
    lines: np.ndarray

    def __len__(self) -> int:
        return len(self.id)

    @cached_property
    def tree(self) -> shapely.STRtree:
        """The lines' R-tree, for nearest-edge queries in metres."""
        return shapely.STRtree(self.lines)

    def rows(self, edge_ids) -> np.ndarray:
        """Rows of EDGE_IDS (all of which must be in the set)."""
        return np.searchsorted(self.id, edge_ids)


def snap_points(edges: Edges, x: np.ndarray, y: np.ndarray, off_network_m: float = np.inf) -> Snapped:
    """Every point (X, Y, frame metres) on its nearest edge in metres: the R-tree's candidates
    ranked by true distance. Points farther than OFF_NETWORK_M from every edge are flagged."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    points = shapely.points(x, y)
    edge = np.zeros(len(points), dtype=np.int64)
    access = np.zeros(len(points))
    if len(points):
        (rows, hit), dist = edges.tree.query_nearest(points, return_distance=True, all_matches=False)
        edge[rows], access[rows] = hit, dist
    along = shapely.line_locate_point(edges.lines[edge], points, normalized=True) * edges.length_m[edge]
    return Snapped(
        edges.id[edge],
        edges.source[edge],
        edges.target[edge],
        along,
        edges.length_m[edge] - along,
        access,
        x,
        y,
        access > off_network_m,
    )


@dataclass(frozen=True)
class LegPlan:
    """How a leg leaves its first place and reaches the second: straight, along one edge, or
    out by an end vertex, over the network, and in by an end vertex."""

    kind: str  # 'straight', 'along' or 'via'
    exit_vertex: int = -1
    entry_vertex: int = -1


def plan_leg(points: Snapped, costs: VertexCosts, i: int, j: int, straight: bool) -> LegPlan:
    """The cheapest way from point I to point J, as road_distances measures it."""
    if straight or points.off_network[i] or points.off_network[j]:
        return LegPlan("straight")
    ends_i = ((points.source[i], points.to_source[i]), (points.target[i], points.to_target[i]))
    ends_j = ((points.source[j], points.to_source[j]), (points.target[j], points.to_target[j]))
    cost, exit_v, entry_v = min(
        (di + costs.matrix[costs.rows(vi), costs.rows(vj)] + dj, int(vi), int(vj))
        for vi, di in ends_i
        for vj, dj in ends_j
    )
    if points.edge[i] == points.edge[j] and abs(points.to_source[i] - points.to_source[j]) <= cost:
        return LegPlan("along")
    if not np.isfinite(cost):
        return LegPlan("straight")
    return LegPlan("via", exit_v, entry_v)


def _position(edges: Edges, points: Snapped, k: int) -> tuple[int, float]:
    """(edge row, fraction along the edge from its source) of point K."""
    row = int(edges.rows(points.edge[k]))
    length = edges.length_m[row]
    return row, float(points.to_source[k] / length) if length else 0.0


def draw_leg(edges: Edges, points: Snapped, i: int, j: int, plan: LegPlan, path_edges) -> shapely.Geometry:
    """The leg I → J in the frame: access links, partial edges and the network path PATH_EDGES."""
    start, end = shapely.Point(points.x[i], points.y[i]), shapely.Point(points.x[j], points.y[j])
    if plan.kind == "straight":
        return shapely.LineString([start, end])
    (ri, fi), (rj, fj) = _position(edges, points, i), _position(edges, points, j)
    on_i = shapely.line_interpolate_point(edges.lines[ri], fi, normalized=True)
    on_j = shapely.line_interpolate_point(edges.lines[rj], fj, normalized=True)
    parts = [shapely.LineString([start, on_i]), shapely.LineString([on_j, end])]
    if plan.kind == "along":
        parts.append(substring(edges.lines[ri], min(fi, fj), max(fi, fj), normalized=True))
    else:
        for row, fraction, vertex in ((ri, fi, plan.exit_vertex), (rj, fj, plan.entry_vertex)):
            parts.append(
                substring(edges.lines[row], fraction, 0.0 if vertex == edges.source[row] else 1.0, normalized=True)
            )
        parts += list(edges.lines[edges.rows(np.asarray(path_edges, dtype=np.int64))])
    parts = [p for p in parts if p.length > 0]
    return shapely.line_merge(shapely.multilinestrings(parts)) if parts else shapely.LineString([start, end])


def class_distances(edges: Edges, x: np.ndarray, y: np.ndarray, classes) -> dict[str, np.ndarray]:
    """Metres from every point (X, Y) to the nearest edge of each road class in CLASSES (inf: none)."""
    points = shapely.points(np.asarray(x, float), np.asarray(y, float))
    out = {}
    for road_class in classes:
        out[road_class] = np.full(len(points), np.inf)
        lines = edges.lines[edges.road_class == road_class]
        if len(lines) and len(points):
            (rows, _), dist = shapely.STRtree(lines).query_nearest(points, return_distance=True, all_matches=False)
            out[road_class][rows] = dist
    return out
