"""Whole village groups as the allocation's units (001 §11 网格化; practice: a rural grid is
whole 村民小组).

Each village group's connected free sites merge into one unit, so the allocation can
only place the group whole. A group that alone exceeds its area's band (see
`gridmgmt.domain.grid_rules.group_must_split`, at the cell count weighed) is cut into
pieces first: it is the only kind the allocation splits, unless no cover of whole groups
fits the band at any cell count (then one or two more, which the plan page names as
avoidable): the band is never given up to keep a group whole. Sites without a group, and
locked sites (one unit per group and locked cell), never merge with free ones.
"""

from itertools import combinations
from math import ceil

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from gridmgmt.analysis.group_cover import MAX_UNITS, best_cover
from gridmgmt.analysis.group_fluid import fluid_cover
from gridmgmt.analysis.partition import SiteGraph, allocate
from gridmgmt.analysis.partition import pieces as partition_pieces
from gridmgmt.domain.grid_rules import GridRules, group_must_split

# A group that must be split is cut into this many pieces per cell of workload: fine
# enough for the cover to balance, few enough for its exact search; coarser when the fine
# pieces would leave the exact search too many units (a heavy group and one more cut).
PIECES = 6
COARSE_PIECES = 3
# Pieces lighter than the band's half-width (1/8 of a cell against ±15 %): one piece more or less
# moves a cell less than its slack. Tried only at the cell counts with fewer too-heavy groups
# than the cover the coarser pieces found splits.
FINE_PIECES = 8
# When no cover of whole groups fits the band, every group is tried alone (heaviest first),
# then pairs of the PAIR_TRIES heaviest: a light group in the right place often balances
# where the heaviest cannot.
PAIR_TRIES = 6
# Groups tried one at a time, heaviest first, when the local search leaves a cell out of band.
SPLIT_TRIES = 3
# Cell counts around the rules' count weighed for a whole-group cover (within the bounds).
REACH = 2
# Growths from different k-means seeds: whole groups are coarse, one growth often sticks.
STARTS = 6


def _components(m: int, edges: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Connected component of each of M nodes over the EDGES marked KEEP."""
    e = edges[keep]
    graph = coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(m, m))
    return connected_components(graph, directed=False)[1]


def oversized_groups(g: SiteGraph, labels: np.ndarray, rules: GridRules, cells: int) -> set[int]:
    """Groups whose free sites alone exceed the band of the free sites cut into CELLS cells."""
    free = (labels < 0) & (g.group >= 0)
    total = g.weight[labels < 0].sum()
    weights = np.bincount(g.group[free], g.weight[free])
    return {int(x) for x in np.flatnonzero(weights) if group_must_split(weights[x], total, cells, rules)}


def group_units(
    g: SiteGraph, labels: np.ndarray, split: set[int], mean: float | None, pieces: int = PIECES
) -> np.ndarray:
    """Unit index per site: the connected sites of one group and one state (free, or the
    same locked cell) share a unit; a free group in SPLIT is cut into pieces of about
    MEAN / PIECES (a cell's workload), or into single sites when MEAN is None, and at
    water; free sites without a group are alone."""
    piece = np.zeros(len(g.xy), int)
    free = labels < 0
    for group in split if mean is not None else ():
        nodes = np.flatnonzero(free & (g.group == group))
        k = min(len(nodes), ceil(pieces * g.weight[nodes].sum() / mean))
        if k > 1:
            piece[nodes] = 1 + partition_pieces(g, nodes, k)
    alone = free & ((g.group < 0) | (np.isin(g.group, list(split)) if mean is None else False))
    a, b = g.edges.T
    same = (g.group[a] == g.group[b]) & (labels[a] == labels[b]) & (piece[a] == piece[b]) & ~alone[a] & ~alone[b]
    # A piece of a group being cut ends at water: the banks go to cells of their own when that fits.
    same &= ~(g.water & (piece[a] > 0))
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
    wet = np.bincount(pair, g.shared_m[~inner] * g.water[~inner], len(pairs))
    area = np.bincount(unit, g.area, n)
    return SiteGraph(
        xy, weight, group, pairs.reshape(-1, 2), shared, crossed > shared / 2, area, length, wet > shared / 2
    )


def allocate_groups(g: SiteGraph, rules: GridRules, locked: np.ndarray | None = None) -> np.ndarray:
    """A cell label per site, keeping every group whole that does not alone exceed the band
    (LOCKED as in `partition.allocate`). For each cell count near the rules' (REACH), the
    exact cover of whole units, the groups too heavy for that count cut into pieces; when
    none fits the band, the same with one more group cut (each in turn, heaviest first),
    then two. The cover splitting fewest groups wins, then the one nearest the rules' cell
    count, then the cheapest. A count with fewer too-heavy groups than that cover splits is
    searched again with the cuts in FINE_PIECES, for a cover splitting fewer. A cut whose
    fluid relaxation (`group_fluid`) fits no cover is not searched (no locked sites only).
    Failing all (several free areas, too many units), the local search (`_searched`)."""
    labels = np.full(len(g.xy), -1) if locked is None else np.asarray(locked)
    free = labels < 0
    if not free.any():  # every site locked: nothing to allocate
        return labels.copy()
    counts = rules.cell_counts(g.weight[free].sum(), REACH)
    best = None  # (groups split, cells off the rules' count, cost, site labels)
    for k in counts:
        best = _best_at(g, rules, labels, k, counts, best, (PIECES, COARSE_PIECES))
    for k in counts:
        if best is not None and len(oversized_groups(g, labels, rules, k)) < best[0]:
            best = _best_at(g, rules, labels, k, counts, best, (FINE_PIECES,), fewer=True)
    if best is not None:
        return best[3]
    return _searched(g, rules, labels)


def _best_at(g: SiteGraph, rules: GridRules, labels: np.ndarray, k: int, counts, best, ladder, fewer=False):
    """BEST, or a better cover by K cells (ranked by groups split, then distance from COUNTS[0],
    then cost): the groups too heavy for K cut, then one more, then two (`_extra_cuts`), into
    pieces of the first of LADDER that leaves at most MAX_UNITS; with FEWER, only covers that
    split fewer groups than BEST."""
    free = labels < 0
    total, locked = g.weight[free].sum(), not free.all()
    must = oversized_groups(g, labels, rules, k)
    for extra in _extra_cuts(_heaviest(g, free, must)):
        cut = must | extra
        if best is not None and len(cut) >= best[0] + (not fewer):
            break  # splits more groups than a cover already found (with FEWER: as many)
        if not locked and fluid_cover(g, rules, k, cut) is False:
            continue  # not even with the cut groups shared out freely: no cover to search for
        for pieces in ladder:
            unit = group_units(g, labels, cut, total / k, pieces)
            units, unit_locked = _contracted(g, unit, labels)
            if (unit_locked < 0).sum() <= MAX_UNITS:
                break
        found = _exact(units, rules, unit_locked, k)
        if found is not None:
            option = (len(cut), abs(k - counts[0]), found[0], found[1][unit])
            return option if best is None else min(best, option, key=lambda b: b[:3])
    return best


def _extra_cuts(heaviest: list[int]):
    """Groups to cut besides the oversized ones, fewest first: none, each alone (HEAVIEST
    first), then pairs of the PAIR_TRIES heaviest."""
    yield set()
    yield from ({x} for x in heaviest)
    yield from (set(pair) for pair in combinations(heaviest[:PAIR_TRIES], 2))


def _searched(g: SiteGraph, rules: GridRules, labels: np.ndarray) -> np.ndarray:
    """The local search's labels when the exact cover cannot run: on whole units, the
    oversized groups cut into sites; while a cell stays out of its band, the same with one
    more group cut (heaviest first, SPLIT_TRIES), and at last with every group free to split
    (the polish still charges each split), so the band is never given up for whole groups."""
    free = labels < 0
    must = oversized_groups(g, labels, rules, rules.cell_count(g.weight[free].sum()))
    for cut in [must, *(must | {x} for x in _heaviest(g, free, must)[:SPLIT_TRIES])]:
        unit = group_units(g, labels, cut, None)
        units, unit_locked = _contracted(g, unit, labels)
        found = allocate(units, rules, unit_locked, starts=STARTS)[unit]
        if in_band(g, rules, labels, found):
            return found
    return allocate(g, rules, labels, starts=STARTS)


def in_band(g: SiteGraph, rules: GridRules, locked: np.ndarray, labels: np.ndarray) -> bool:
    """Whether every new cell of LABELS (sites free in LOCKED) lies within the band of its
    connected free area's mean cell, as `partition.allocate` sets the targets."""
    free = locked < 0
    area = _components(len(g.xy), g.edges, free[g.edges].all(axis=1))
    for a in np.unique(area[free]):
        sites = free & (area == a)
        cells, cell = np.unique(labels[sites], return_inverse=True)
        load = np.bincount(cell, g.weight[sites], len(cells))
        low, high = rules.band(load.sum() / len(cells))
        if load.min() < low - 1e-9 or load.max() > high + 1e-9:
            return False
    return True


def _heaviest(g: SiteGraph, free: np.ndarray, skip: set[int]) -> list[int]:
    """The groups of the free sites, heaviest first, but those in SKIP."""
    named = free & (g.group >= 0)
    weights = np.bincount(g.group[named], g.weight[named])
    return [int(x) for x in np.argsort(-weights, kind="stable") if weights[x] > 0 and x not in skip]


def _contracted(g: SiteGraph, unit: np.ndarray, labels: np.ndarray) -> tuple[SiteGraph, np.ndarray]:
    """The units' graph and each unit's locked label."""
    unit_locked = np.full(unit.max() + 1, -1)
    unit_locked[unit] = labels
    return contract(g, unit), unit_locked


def _cover(u: SiteGraph, nodes, inner, edges, k: int, rules: GridRules) -> tuple[float, list[int]] | None:
    """The best cover of the area NODES (its edges INNER of u, renumbered EDGES) by K cells."""
    if k == 1:
        return 0.0, [(1 << len(nodes)) - 1]
    total = u.weight[nodes].sum()
    return best_cover(
        edges, u.shared_m[inner], u.weight[nodes], u.area[nodes], u.length[nodes], k, rules.band(total / k)
    )


def _exact(u: SiteGraph, rules: GridRules, locked: np.ndarray, k: int) -> tuple[float, np.ndarray] | None:
    """(cost, labels) of the exact cover of the free units by K cells within the band; None
    when there is none, or the free units are several areas or too many."""
    free = locked < 0
    nodes = np.flatnonzero(free)
    if len(nodes) > MAX_UNITS or len(np.unique(_components(len(u.xy), u.edges, free[u.edges].all(axis=1))[free])) > 1:
        return None
    inner = np.isin(u.edges, nodes).all(axis=1)
    total = u.weight[nodes].sum()
    if k == 1:
        cover = (0.0, [(1 << len(nodes)) - 1])
    else:
        edges = np.searchsorted(nodes, u.edges[inner])
        cover = best_cover(
            edges,
            u.shared_m[inner],
            u.weight[nodes],
            u.area[nodes],
            u.length[nodes],
            k,
            rules.band(total / k),
            preferred=u.shared_m[inner] * u.water[inner] * (1 - rules.barrier_cut),
        )
    if cover is None:
        return None
    labels = locked.copy()
    for mask in cover[1]:
        labels[nodes[[i for i in range(len(nodes)) if mask >> i & 1]]] = labels.max() + 1
    return cover[0], labels
