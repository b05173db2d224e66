"""Road distances between points snapped onto a road network: pure numpy, no database.

A snapped point walks `access` metres straight to its nearest edge, then along the edge
to one of its two vertices, then along the shortest path between vertices (VertexCosts,
from pgRouting). A point flagged off the network is measured in a straight line instead.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely


@dataclass(frozen=True)
class Snapped:
    """Points on their nearest edge, in the township's frame."""

    edge: np.ndarray  # road id of the nearest edge
    source: np.ndarray  # road_vertex id of the edge's source
    target: np.ndarray
    to_source: np.ndarray  # metres along the edge from the snapped point to source
    to_target: np.ndarray
    access: np.ndarray  # metres in a straight line from the point to the edge
    x: np.ndarray  # frame coordinates (m), for straight-line distances
    y: np.ndarray
    off_network: np.ndarray  # bool: measured in a straight line, not by road

    def __len__(self) -> int:
        return len(self.edge)

    def take(self, rows) -> "Snapped":
        """The points at ROWS (indices or a boolean mask)."""
        return Snapped(*(np.asarray(getattr(self, f))[rows] for f in self.__dataclass_fields__))

    @property
    def vertices(self) -> np.ndarray:
        """Every vertex id the points' edges end in."""
        return np.unique(np.concatenate([self.source, self.target]))


@dataclass(frozen=True)
class VertexCosts:
    """Shortest road metres between the vertices IDS (sorted); inf where no path joins them."""

    ids: np.ndarray
    matrix: np.ndarray

    def rows(self, vertex_ids) -> np.ndarray:
        """Matrix rows of VERTEX_IDS (all of which must be in ids)."""
        return np.searchsorted(self.ids, vertex_ids)

    @classmethod
    def from_rows(cls, vertex_ids, start, end, cost) -> "VertexCosts":
        """From pgRouting's (start, end, cost) rows; those between VERTEX_IDS are kept. Undirected,
        so symmetric."""
        ids = np.unique(np.asarray(vertex_ids, dtype=np.int64))
        start, end, cost = (np.asarray(c) for c in (start, end, cost))
        keep = np.isin(start, ids) & np.isin(end, ids)
        matrix = np.full((len(ids), len(ids)), np.inf)
        np.fill_diagonal(matrix, 0.0)
        matrix[np.searchsorted(ids, start[keep]), np.searchsorted(ids, end[keep])] = cost[keep]
        return cls(ids, np.minimum(matrix, matrix.T))


def concat(*parts: Snapped) -> Snapped:
    """PARTS as one set of points, in order."""
    return Snapped(*(np.concatenate([getattr(p, f) for p in parts]) for f in Snapped.__dataclass_fields__))


def nearest_straight(x: np.ndarray, y: np.ndarray, tx: np.ndarray, ty: np.ndarray) -> np.ndarray:
    """Straight-line distance from every point (X, Y) to the nearest target (TX, TY), metric
    coordinates; inf when there is no target."""
    if len(tx) == 0:
        return np.full(len(x), np.inf)
    tree = shapely.STRtree(shapely.points(tx, ty))
    (rows, _), dist = tree.query_nearest(shapely.points(x, y), return_distance=True, all_matches=False)
    out = np.full(len(x), np.inf)
    out[rows] = dist
    return out


def straight_distances(a: Snapped, b: Snapped) -> np.ndarray:
    """len(A)×len(B) straight-line distances in metres."""
    return np.hypot(a.x[:, None] - b.x[None, :], a.y[:, None] - b.y[None, :])


def road_distances(a: Snapped, b: Snapped, costs: VertexCosts) -> np.ndarray:
    """len(A)×len(B) road distances (inf: unreachable); straight-line where either one is off the network."""
    via = np.full((len(a), len(b)), np.inf)
    for va, da in ((a.source, a.to_source), (a.target, a.to_target)):
        for vb, db in ((b.source, b.to_source), (b.target, b.to_target)):
            net = costs.matrix[np.ix_(costs.rows(va), costs.rows(vb))]
            via = np.minimum(via, da[:, None] + net + db[None, :])
    same = a.edge[:, None] == b.edge[None, :]
    along = np.abs(a.to_source[:, None] - b.to_source[None, :])
    road = np.where(same, np.minimum(via, along), via) + a.access[:, None] + b.access[None, :]
    off = a.off_network[:, None] | b.off_network[None, :]
    return np.where(off, straight_distances(a, b), road)


def pair_distances(points: Snapped, costs: VertexCosts) -> np.ndarray:
    """N×N road distances between POINTS; straight-line where either one is off the network."""
    dist = road_distances(points, points, costs)
    np.fill_diagonal(dist, 0.0)
    return dist


def _vertex_best(targets: Snapped, costs: VertexCosts) -> tuple[np.ndarray, np.ndarray]:
    """For every vertex of COSTS, the road distance to its nearest target (inf when none is
    reachable) and that target's row."""
    size = len(costs.ids)
    best, which = np.full(size, np.inf), np.full(size, -1)
    rows = np.arange(size)
    for vertex, leg in ((targets.source, targets.to_source), (targets.target, targets.to_target)):
        cols = costs.rows(vertex)
        # Chunks keep the V×T temporary small for thousands of targets.
        for lo in range(0, len(targets), 512):
            part = slice(lo, lo + 512)
            cost = costs.matrix[:, cols[part]] + (leg[part] + targets.access[part])[None, :]
            pick = cost.argmin(axis=1)
            here = cost[rows, pick]
            better = here < best
            best[better], which[better] = here[better], lo + pick[better]
    return best, which


def _same_edge_best(points: Snapped, targets: Snapped) -> tuple[np.ndarray, np.ndarray]:
    """Distance to the nearest target on a point's own edge, walking along it (inf if none), and its row."""
    mine = pd.DataFrame({"edge": points.edge, "pos": points.to_source, "row": np.arange(len(points))})
    theirs = pd.DataFrame(
        {"edge": targets.edge, "tpos": targets.to_source, "taccess": targets.access, "t": np.arange(len(targets))}
    )
    pairs = mine.merge(theirs, on="edge")
    pairs["d"] = (pairs.pos - pairs.tpos).abs() + pairs.taccess
    best, which = np.full(len(points), np.inf), np.full(len(points), -1)
    nearest = pairs.loc[pairs.groupby("row").d.idxmin()] if len(pairs) else pairs
    best[nearest.row.to_numpy()] = nearest.d.to_numpy()
    which[nearest.row.to_numpy()] = nearest.t.to_numpy()
    return best, which


def nearest(points: Snapped, targets: Snapped, costs: VertexCosts) -> tuple[np.ndarray, np.ndarray]:
    """(distance, target row) of every point's nearest target: by road, straight-line when off the
    network; row -1 where no target can be reached."""
    if len(targets) == 0:
        return np.full(len(points), np.inf), np.full(len(points), -1)
    best, which = _vertex_best(targets, costs)
    source, target = costs.rows(points.source), costs.rows(points.target)
    via_source = points.to_source + best[source]
    via_target = points.to_target + best[target]
    road = np.minimum(via_source, via_target)
    row = np.where(via_source <= via_target, which[source], which[target])
    along, along_row = _same_edge_best(points, targets)
    row = np.where(along < road, along_row, row)
    road = np.minimum(road, along) + points.access
    off = np.flatnonzero(points.off_network)
    if len(off):
        straight = straight_distances(points.take(off), targets)
        road[off], row[off] = straight.min(axis=1), straight.argmin(axis=1)
    return road, np.where(np.isinf(road), -1, row)


def nearest_distances(points: Snapped, targets: Snapped, costs: VertexCosts) -> np.ndarray:
    """Distance from every point to its nearest target: by road, straight-line when off the network."""
    return nearest(points, targets, costs)[0]
