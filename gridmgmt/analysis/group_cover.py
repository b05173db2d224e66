"""Exact whole-group cells for an area of few units (whole village groups): among every way
to cover the units with K connected sets whose workloads lie in the band, the one with
the lowest cost, summed over cells, BALANCE · (relative deviation)² + 1 − Polsby–Popper.
A cell edge along water counts shorter in that perimeter, so cells prefer to end at a river.
Sets are bitmasks of units; the search is branch and bound.
"""

import numpy as np

# Balance weighs less than in the polish: the band already bounds it, compactness is scarce.
BALANCE = 3.0

# Areas with more units are left to the local search (the sets grow combinatorially).
MAX_UNITS = 24
# Search nodes before giving up on an area (the best cover found so far is kept).
MAX_NODES = 100_000
# Candidate sets before giving up on an area (many light units): the local search takes it.
MAX_SETS = 20_000


def _bits(mask: int):
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def connected_sets(neighbours: list[int], weight: np.ndarray, high: float) -> list[int]:
    """Every connected set of units (bitmask) weighing at most HIGH; NEIGHBOURS[u] is u's
    adjacency bitmask. Each set once (ESU: a set grows only from its lowest unit); the
    enumeration stops past MAX_SETS."""
    found = []

    def extend(members: int, frontier: int, near: int, load: float, lowest: int) -> None:
        found.append(members)
        while frontier and len(found) <= MAX_SETS:
            u = (frontier & -frontier).bit_length() - 1
            frontier &= frontier - 1
            if load + weight[u] > high:
                continue
            # Only units adjacent to u and to nothing already in or around the set, above LOWEST.
            fresh = neighbours[u] & ~(members | near) & ~((2 << lowest) - 1)
            extend(members | 1 << u, frontier | fresh, near | neighbours[u], load + weight[u], lowest)

    for v in range(len(weight)):
        if weight[v] <= high:
            extend(1 << v, neighbours[v] & ~((2 << v) - 1), neighbours[v] | 1 << v, weight[v], v)
    return found


def best_cover(
    edges: np.ndarray,
    shared: np.ndarray,
    weight: np.ndarray,
    area: np.ndarray,
    length: np.ndarray,
    k: int,
    band,
    preferred: np.ndarray | None = None,
) -> tuple[float, list[int]] | None:
    """The cheapest cover of the units by K connected sets each weighing within BAND
    (low, high): (cost, bitmasks); None when there is none (or too many sets to search,
    or none found in time). An edge on a set's border shortens its perimeter by PREFERRED."""
    n = len(weight)
    neighbours = [0] * n
    for a, b in edges:
        neighbours[a] |= 1 << int(b)
        neighbours[b] |= 1 << int(a)
    low, high = band
    mean = weight.sum() / k
    by_lowest: list[list[tuple[float, int]]] = [[] for _ in range(n)]
    candidates = connected_sets(neighbours, weight, high)
    if len(candidates) > MAX_SETS:
        return None
    for mask in candidates:
        units = list(_bits(mask))
        load = weight[units].sum()
        if load < low:
            continue
        ends = np.isin(edges, units).sum(axis=1)
        perimeter = length[units].sum() - 2 * shared[ends == 2].sum()
        if preferred is not None:
            perimeter -= preferred[ends == 1].sum()
        cost = BALANCE * (load / mean - 1) ** 2 + 1 - 4 * np.pi * area[units].sum() / perimeter**2
        by_lowest[units[0]].append((cost, mask))
    for options in by_lowest:
        options.sort()
    cheapest = min((o[0][0] for o in by_lowest if o), default=np.inf)
    return _Search(by_lowest, cheapest, (1 << n) - 1).run(k)


class _Search:
    """Depth-first cover: the lowest uncovered unit picks a set that starts with it."""

    def __init__(self, by_lowest, cheapest: float, everything: int):
        self.by_lowest, self.cheapest, self.everything = by_lowest, cheapest, everything
        self.best, self.best_cost, self.nodes = None, np.inf, 0

    def run(self, k: int) -> tuple[float, list[int]] | None:
        """The best cover by K sets and its cost, or None."""
        self._go(0, [], 0.0, k)
        return None if self.best is None else (self.best_cost, self.best)

    def _go(self, covered: int, chosen: list[int], cost: float, left: int) -> None:
        self.nodes += 1
        if covered == self.everything:
            if left == 0 and cost < self.best_cost:
                self.best, self.best_cost = list(chosen), cost
            return
        if left == 0 or self.nodes > MAX_NODES or cost + left * self.cheapest >= self.best_cost:
            return
        first = (~covered & self.everything & -(~covered & self.everything)).bit_length() - 1
        for option_cost, mask in self.by_lowest[first]:
            if cost + option_cost + (left - 1) * self.cheapest >= self.best_cost:
                break  # options are sorted: the rest cost more
            if not mask & covered:
                chosen.append(mask)
                self._go(covered | mask, chosen, cost + option_cost, left - 1)
                chosen.pop()
