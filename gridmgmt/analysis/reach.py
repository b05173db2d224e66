"""Road distances between points placed on a road network: pure numpy, no database.

A point is snapped to its nearest road edge: it walks `access` metres straight to
the edge, then along the edge to one of its two vertices, then along the shortest
path between vertices (a dense matrix from pgRouting). A point farther than the
off-network distance from every road is measured in a straight line instead.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely


@dataclass(frozen=True)
class Snapped:
    """Points on their nearest edge; vertex fields are rows of the network matrix."""

    edge: np.ndarray        # road id of the nearest edge
    source: np.ndarray      # matrix index of the edge's source vertex
    target: np.ndarray
    to_source: np.ndarray   # metres along the edge from the snapped point to source
    to_target: np.ndarray
    access: np.ndarray      # metres in a straight line from the point to the edge
    x: np.ndarray           # metric coordinates, for straight-line distances
    y: np.ndarray
    off_network: np.ndarray  # bool: access beyond the off-network distance

    def __len__(self) -> int:
        return len(self.edge)

    def take(self, rows) -> "Snapped":
        """The points at ROWS (indices or a boolean mask)."""
        return Snapped(*(np.asarray(getattr(self, f))[rows] for f in self.__dataclass_fields__))


def vertex_matrix(vertex_ids, start, end, cost) -> tuple[dict[int, int], np.ndarray]:
    """(vertex id → row, V×V metres) from pgRouting's (start, end, cost) rows; inf = no path."""
    index = {int(v): i for i, v in enumerate(vertex_ids)}
    matrix = np.full((len(index), len(index)), np.inf)
    np.fill_diagonal(matrix, 0.0)
    rows = np.array([index[int(s)] for s in start], dtype=int)
    cols = np.array([index[int(e)] for e in end], dtype=int)
    matrix[rows, cols] = cost
    return index, matrix


def utm_epsg(lon: float) -> int:
    """EPSG code of the WGS 84 / UTM north zone containing longitude LON."""
    return 32600 + min(60, int((lon + 180) // 6) + 1)


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


def road_distances(a: Snapped, b: Snapped, matrix: np.ndarray) -> np.ndarray:
    """len(A)×len(B) road distances (inf: unreachable); straight-line where either one is off the network."""
    via = np.full((len(a), len(b)), np.inf)
    for va, da in ((a.source, a.to_source), (a.target, a.to_target)):
        for vb, db in ((b.source, b.to_source), (b.target, b.to_target)):
            via = np.minimum(via, da[:, None] + matrix[np.ix_(va, vb)] + db[None, :])
    same = a.edge[:, None] == b.edge[None, :]
    along = np.abs(a.to_source[:, None] - b.to_source[None, :])
    road = np.where(same, np.minimum(via, along), via) + a.access[:, None] + b.access[None, :]
    off = a.off_network[:, None] | b.off_network[None, :]
    return np.where(off, straight_distances(a, b), road)


def pair_distances(points: Snapped, matrix: np.ndarray) -> np.ndarray:
    """N×N road distances between POINTS; straight-line where either one is off the network."""
    dist = road_distances(points, points, matrix)
    np.fill_diagonal(dist, 0.0)
    return dist


def concat(*parts: Snapped) -> Snapped:
    """PARTS as one set of points, in order."""
    return Snapped(*(np.concatenate([getattr(p, f) for p in parts]) for f in Snapped.__dataclass_fields__))


def _vertex_best(targets: Snapped, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For every vertex, the road distance to its nearest target (inf when none is reachable) and
    that target's row."""
    best, which = np.full(len(matrix), np.inf), np.full(len(matrix), -1)
    rows = np.arange(len(matrix))
    for vertex, leg in ((targets.source, targets.to_source), (targets.target, targets.to_target)):
        # Chunks keep the V×T temporary small for thousands of targets.
        for lo in range(0, len(targets), 512):
            part = slice(lo, lo + 512)
            cost = matrix[:, vertex[part]] + (leg[part] + targets.access[part])[None, :]
            pick = cost.argmin(axis=1)
            here = cost[rows, pick]
            better = here < best
            best[better], which[better] = here[better], lo + pick[better]
    return best, which


def _same_edge_best(points: Snapped, targets: Snapped) -> tuple[np.ndarray, np.ndarray]:
    """Distance to the nearest target on a point's own edge, walking along it (inf if none), and its row."""
    mine = pd.DataFrame({"edge": points.edge, "pos": points.to_source, "row": np.arange(len(points))})
    theirs = pd.DataFrame({"edge": targets.edge, "tpos": targets.to_source, "taccess": targets.access,
                           "t": np.arange(len(targets))})
    pairs = mine.merge(theirs, on="edge")
    pairs["d"] = (pairs.pos - pairs.tpos).abs() + pairs.taccess
    best, which = np.full(len(points), np.inf), np.full(len(points), -1)
    nearest = pairs.loc[pairs.groupby("row").d.idxmin()] if len(pairs) else pairs
    best[nearest.row.to_numpy()] = nearest.d.to_numpy()
    which[nearest.row.to_numpy()] = nearest.t.to_numpy()
    return best, which


def nearest(points: Snapped, targets: Snapped, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distance, target row) of every point's nearest target: by road, straight-line when off the
    network; row -1 where no target can be reached."""
    if len(targets) == 0:
        return np.full(len(points), np.inf), np.full(len(points), -1)
    best, which = _vertex_best(targets, matrix)
    via_source = points.to_source + best[points.source]
    via_target = points.to_target + best[points.target]
    road = np.minimum(via_source, via_target)
    row = np.where(via_source <= via_target, which[points.source], which[points.target])
    along, along_row = _same_edge_best(points, targets)
    row = np.where(along < road, along_row, row)
    road = np.minimum(road, along) + points.access
    off = np.flatnonzero(points.off_network)
    if len(off):
        straight = straight_distances(points.take(off), targets)
        road[off], row[off] = straight.min(axis=1), straight.argmin(axis=1)
    return road, np.where(np.isinf(road), -1, row)


def nearest_distances(points: Snapped, targets: Snapped, matrix: np.ndarray) -> np.ndarray:
    """Distance from every point to its nearest target: by road, straight-line when off the network."""
    return nearest(points, targets, matrix)[0]
