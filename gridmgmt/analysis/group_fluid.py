"""A relaxation of whole-group allocation (001 网格化: rural grids keep 村民小组 whole): the groups
cut are a fluid that any cell touching them may take any share of, the rest whole nodes of the
group graph. A real allocation whose whole groups include every group not cut gives such a fluid
cover (a cell is a connected set of sites, so its groups, and the fluid when it takes some, are
connected at group level; its workload is its whole groups' plus its share), so when none fits
the band no allocation does: the bound (`group_bound`) and the allocation's pruning rest on it.
"""

import numpy as np

from gridmgmt.analysis import group_cover
from gridmgmt.analysis.partition import SiteGraph
from gridmgmt.domain.grid_rules import GridRules

# A float sum on the band's edge is in it (a cell of 161 against a mean of 140 is within 15 %).
EPS = 1e-9


def fluid_cover(g: SiteGraph, rules: GridRules, k: int, cut: set[int]) -> bool | None:
    """Whether K cells within the band can hold every group of G not in CUT whole, the groups in
    CUT (and sites without a group) shared out freely; None when the group sets are too many to list."""
    low, high = rules.band(g.weight.sum() / k)
    fluid = (g.group < 0) | np.isin(g.group, list(cut))
    share = g.weight[fluid].sum()
    options = _cell_options(g, fluid, low, high)
    if options is None:
        return None
    n = len(np.unique(g.group[~fluid]))
    states = _covers(options, n, k, share)
    return any(lo + (k - r) * low <= share + EPS and share <= hi + (k - r) * high + EPS for r, lo, hi in states)


def _cell_options(g: SiteGraph, fluid: np.ndarray, low: float, high: float):
    """{lowest whole group: [(bitmask of whole groups, (least, most) fluid the cell may take)]}
    for every connected set of whole groups (through the fluid when it takes some) a cell can
    hold; None when they are too many."""
    whole, node = np.unique(g.group[~fluid], return_inverse=True)
    n = len(whole)
    site_node = np.full(len(g.xy), n)  # the fluid is node n
    site_node[~fluid] = node
    weight = np.append(np.bincount(node, g.weight[~fluid], n), 0.0)
    neighbours = [0] * (n + 1)
    for a, b in site_node[g.edges]:
        if a != b:
            neighbours[a] |= 1 << int(b)
            neighbours[b] |= 1 << int(a)
    sets = group_cover.connected_sets(neighbours, weight, high)
    if len(sets) > group_cover.MAX_SETS:
        return None
    spans: dict[int, tuple[float, float]] = {}
    for s in sets:
        mask, with_fluid = s & ~(1 << n), bool(s >> n & 1)
        load = weight[[i for i in range(n) if mask >> i & 1]].sum()
        if not mask or not with_fluid and load < low - EPS:
            continue
        span = (max(0.0, low - load), high - load) if with_fluid else (0.0, 0.0)
        old = spans.get(mask, span)
        spans[mask] = (min(old[0], span[0]), max(old[1], span[1]))
    options: dict[int, list] = {}
    for mask, span in spans.items():
        options.setdefault((mask & -mask).bit_length() - 1, []).append((mask, span))
    return options


def _covers(options, n: int, k: int, share: float) -> set[tuple[int, float, float]]:
    """(cells, least fluid, most fluid) of each way to cover the N whole groups with at most K of
    OPTIONS, the lowest uncovered group first; only the undominated ones, and none taking more
    than SHARE at the least."""
    everything = (1 << n) - 1
    frontier, done = {0: {(0, 0.0, 0.0)}}, set()
    while frontier:
        following: dict[int, set] = {}
        for covered, states in frontier.items():
            if covered == everything:
                done |= states
                continue
            first = (~covered & everything & -(~covered & everything)).bit_length() - 1
            for mask, (lo, hi) in options.get(first, []):
                if mask & covered:
                    continue
                for r, least, most in states:
                    if r < k and least + lo <= share + EPS:
                        following.setdefault(covered | mask, set()).add((r + 1, least + lo, most + hi))
        frontier = {covered: _undominated(states) for covered, states in following.items()}
    return done


def _undominated(states: set[tuple[int, float, float]]) -> set[tuple[int, float, float]]:
    """STATES less those another with as many cells takes less fluid at the least and more at the most."""
    kept, best = set(), {}
    for r, least, most in sorted(states, key=lambda s: (s[0], s[1], -s[2])):
        if most > best.get(r, -np.inf):
            kept.add((r, least, most))
            best[r] = most
    return kept
