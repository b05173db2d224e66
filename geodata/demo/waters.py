"""The demo's river: one river across the township from its west edge to its east edge, north of its
centre, along village-group boundaries (hamlets lie on one bank or the other, as they do by real rivers)."""

import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra

# 浰江 crosses 和平县; the demo's river takes its name.
RIVER_NAME = "浰江"
# Where the river enters and leaves: this share of the township's height north of its centre.
NORTH_OF_CENTRE = 0.12
# Along a village boundary the way counts this much longer: the river runs through villages, between groups.
VILLAGE_EDGE_COST = 5.0


def _boundary_graph(boundary, villages: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, coo_matrix]:
    """The nodes (metres) and the graph of the group boundaries inside BOUNDARY (not on its outline),
    those between VILLAGES counting VILLAGE_EDGE_COST times their length."""
    network = shapely.union_all(shapely.boundary(groups))
    pairs = [
        (c[:-1], c[1:]) for c in (shapely.get_coordinates(part) for part in shapely.get_parts(network)) if len(c) > 1
    ]
    start, end = np.vstack([p[0] for p in pairs]), np.vstack([p[1] for p in pairs])
    middle = (start + end) / 2
    inside = ~shapely.contains_xy(boundary.exterior.buffer(1.0), middle[:, 0], middle[:, 1])
    nodes, index = np.unique(np.vstack([start, end]).round(3), axis=0, return_inverse=True)
    a, b = index.ravel()[: len(start)][inside], index.ravel()[len(start) :][inside]
    between = shapely.contains_xy(shapely.union_all(shapely.boundary(villages)).buffer(1.0), *middle[inside].T)
    length = (np.hypot(*(nodes[a] - nodes[b]).T) + 1e-6) * np.where(between, VILLAGE_EDGE_COST, 1.0)
    return nodes, coo_matrix((length, (a, b)), shape=(len(nodes), len(nodes)))


def river_line(boundary, villages: np.ndarray, groups: np.ndarray) -> shapely.LineString:
    """The shortest way along the boundaries of GROUPS, rather inside VILLAGES than between them, from
    the west edge of BOUNDARY to its east edge (metres); in a BOUNDARY of several parts, its largest."""
    boundary = max(shapely.get_parts(boundary), key=lambda part: part.area)
    nodes, graph = _boundary_graph(boundary, villages, groups)
    minx, miny, maxx, maxy = boundary.bounds
    y = boundary.centroid.y + NORTH_OF_CENTRE * (maxy - miny)
    used = np.unique(np.r_[graph.row, graph.col])
    source, target = (used[np.argmin(np.hypot(*(nodes[used] - p).T))] for p in ((minx, y), (maxx, y)))
    _, previous = dijkstra(graph, directed=False, indices=source, return_predecessors=True)
    path = [target]
    while path[-1] != source:
        if previous[path[-1]] < 0:  # scipy's mark of a node the search never reached
            raise ValueError("演示水系：乡镇东西两侧之间没有连通的村民小组边界")
        path.append(previous[path[-1]])
    inner = nodes[path[::-1]]
    outline = boundary.exterior
    ends = [shapely.get_coordinates(outline.interpolate(outline.project(shapely.Point(p))))[0] for p in inner[[0, -1]]]
    return shapely.LineString(np.vstack([ends[0], inner, ends[1]]))


def build_waters(boundary, villages: np.ndarray, groups: np.ndarray, code: str, township_id: int = 1) -> pd.DataFrame:
    """The water table of a township inside BOUNDARY with VILLAGES and village GROUPS (metres): its river."""
    return pd.DataFrame(
        {
            "id": [1],
            "township_id": [township_id],
            "code": [f"{code}H01"],
            "name": [RIVER_NAME],
            "kind": ["river"],
            "geom": [river_line(boundary, villages, groups)],
        }
    )
