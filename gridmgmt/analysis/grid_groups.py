"""Whole village groups as the allocation's units (001 §11 网格化; practice: a rural grid is
whole 村民小组).

Each village group's connected free sites merge into one unit, so the allocation can
only place the group whole. A group that alone exceeds its area's band (see
`gridmgmt.domain.grid_rules.group_must_split`) is cut into pieces first: it is the only
kind the allocation splits, unless no cover of whole groups fits the band (then one more,
which the plan page names as avoidable). Sites without a group, and locked sites (one
unit per group and locked cell), never merge with free ones.
"""

from math import ceil

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from gridmgmt.analysis.group_cover import MAX_UNITS, best_cover
from gridmgmt.analysis.partition import SiteGraph, allocate
from gridmgmt.analysis.partition import pieces as partition_pieces
from gridmgmt.domain.grid_rules import GridRules, group_must_split

# A group that must be split is cut into this many pieces per cell of workload: fine
# enough for the cover to balance, few enough for its exact search.
PIECES = 6
# Groups tried, heaviest first, when no cover of whole groups fits the band.
SPLIT_TRIES = 8
# Growths from different k-means seeds: whole groups are coarse, one growth often sticks.
STARTS = 6


def _components(m: int, edges: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Connected component of each of M nodes over the EDGES marked KEEP."""
    e = edges[keep]
    graph = coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(m, m))
    return connected_components(graph, directed=False)[1]


def oversized_groups(g: SiteGraph, labels: np.ndarray, rules: GridRules) -> set[int]:
    """Groups whose free sites in one connected free area alone exceed that area's band."""
    free = labels < 0
    area = _components(len(g.xy), g.edges, free[g.edges].all(axis=1))
    found = set()
    for a in np.unique(area[free]):
        inside = free & (area == a)
        total = g.weight[inside].sum()
        k = rules.cell_count(total)
        for group in np.unique(g.group[inside & (g.group >= 0)]):
            if group_must_split(g.weight[inside & (g.group == group)].sum(), total, k, rules):
                found.add(int(group))
    return found


def group_units(g: SiteGraph, labels: np.ndarray, split: set[int], mean: float | None) -> np.ndarray:
    """Unit index per site: the connected sites of one group and one state (free, or the
    same locked cell) share a unit; a free group in SPLIT is cut into pieces of about
    MEAN / PIECES (a cell's workload), or into single sites when MEAN is None; free
    sites without a group are alone."""
    piece = np.zeros(len(g.xy), int)
    free = labels < 0
    for group in split if mean is not None else ():
        nodes = np.flatnonzero(free & (g.group == group))
        k = min(len(nodes), ceil(PIECES * g.weight[nodes].sum() / mean))
        if k > 1:
            piece[nodes] = 1 + partition_pieces(g, nodes, k)
    alone = free & ((g.group < 0) | (np.isin(g.group, list(split)) if mean is None else False))
    a, b = g.edges.T
    same = (g.group[a] == g.group[b]) & (labels[a] == labels[b]) & (piece[a] == piece[b]) & ~alone[a] & ~alone[b]
    return _components(len(g.xy), g.edges, same)


def contract(g: SiteGraph, unit: np.ndarray) -> SiteGraph:
    """The graph of the units: summed weights, areas and shared lengths, the perimeter of
    each unit's union, a weighted centre, and an edge crossing a barrier when most of its
    shared length does."""
    n = unit.max() + 1
    weight = np.bincount(unit, g.weight, n)
    spread = np.maximum(weight, 1e-9)[:, None]
    xy = np.column_stack([np.bincount(unit, g.weight * g.xy[:, d], n) for d in (0, 1)]) / spread
    empty = weight <= 0  # weightless units sit at their sites' plain centre
    xy[empty] = (
        np.column_stack([np.bincount(unit, g.xy[:, d], n) for d in (0, 1)])[empty]
        / np.bincount(unit, minlength=n)[empty, None]
    )
    group = np.full(n, -1)
    group[unit] = g.group
    ua, ub = unit[g.edges[:, 0]], unit[g.edges[:, 1]]
    inner = ua == ub
    length = np.bincount(unit, g.length, n) - 2 * np.bincount(ua[inner], g.shared_m[inner], n)
    pairs, pair = np.unique(np.sort(np.column_stack([ua, ub])[~inner], axis=1), axis=0, return_inverse=True)
    pair = pair.ravel()
    shared = np.bincount(pair, g.shared_m[~inner], len(pairs))
    crossed = np.bincount(pair, g.shared_m[~inner] * g.crossing[~inner], len(pairs))
    return SiteGraph(
        xy, weight, group, pairs.reshape(-1, 2), shared, crossed > shared / 2, np.bincount(unit, g.area, n), length
    )


def allocate_groups(g: SiteGraph, rules: GridRules, locked: np.ndarray | None = None) -> np.ndarray:
    """A cell label per site, keeping every group whole that does not alone exceed the band
    (LOCKED as in `partition.allocate`). The exact cover of whole units where the areas are
    small enough; when none fits the band, the same with one more group cut into pieces
    (heaviest first); failing that, the local search from STARTS growths, the oversized
    groups as single sites."""
    labels = np.full(len(g.xy), -1) if locked is None else np.asarray(locked)
    free = labels < 0
    total = g.weight[free].sum()
    mean = total / max(rules.cell_count(total), 1)
    split = oversized_groups(g, labels, rules)
    weights = np.bincount(g.group[free & (g.group >= 0)], g.weight[free & (g.group >= 0)])
    heaviest = [int(x) for x in np.argsort(-weights, kind="stable") if weights[x] > 0 and x not in split]
    for extra in [None, *heaviest[:SPLIT_TRIES]]:
        unit = group_units(g, labels, split | ({extra} if extra is not None else set()), mean)
        units, unit_locked = _contracted(g, unit, labels)
        exact = _exact(units, rules, unit_locked)
        if exact is not None:
            return exact[unit]
    unit = group_units(g, labels, split, None)
    units, unit_locked = _contracted(g, unit, labels)
    return allocate(units, rules, unit_locked, starts=STARTS)[unit]


def _contracted(g: SiteGraph, unit: np.ndarray, labels: np.ndarray) -> tuple[SiteGraph, np.ndarray]:
    """The units' graph and each unit's locked label."""
    unit_locked = np.full(unit.max() + 1, -1)
    unit_locked[unit] = labels
    return contract(g, unit), unit_locked


def _exact(u: SiteGraph, rules: GridRules, locked: np.ndarray) -> np.ndarray | None:
    """Labels from the exact cover of each free area by whole units, trying the rules' cell
    count first, then one fewer or one more; None when an area has none."""
    free = locked < 0
    area = _components(len(u.xy), u.edges, free[u.edges].all(axis=1))
    labels = locked.copy()
    for a in np.unique(area[free]):
        nodes = np.flatnonzero(free & (area == a))
        if len(nodes) > MAX_UNITS:
            return None
        inner = np.isin(u.edges, nodes).all(axis=1)
        edges = np.searchsorted(nodes, u.edges[inner])
        total = u.weight[nodes].sum()
        covers = [
            best_cover(
                edges, u.shared_m[inner], u.weight[nodes], u.area[nodes], u.length[nodes], k, rules.band(total / k)
            )
            if k > 1
            else (0.0, [(1 << len(nodes)) - 1])
            for k in rules.cell_counts(total)
        ]
        found = [(cost / len(masks), masks) for cost, masks in filter(None, covers)]
        if not found:
            return None
        cover = min(found, key=lambda c: c[0])[1]
        for mask in cover:
            labels[nodes[[i for i in range(len(nodes)) if mask >> i & 1]]] = labels.max() + 1
    return labels
