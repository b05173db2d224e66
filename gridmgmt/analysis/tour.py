"""Order a tour of sites from a start point over a road cost matrix (open path, small TSP).

Exact (Held–Karp dynamic programming) up to EXACT_MAX stops; above that, nearest
neighbour improved by 2-opt. Unreachable pairs carry an infinite cost.
"""
import math
from itertools import combinations

import numpy as np

EXACT_MAX = 11


def path_cost(cost: np.ndarray, order: list[int]) -> float:
    """Total cost of visiting ORDER (indexes into COST) in turn."""
    return float(sum(cost[a, b] for a, b in zip(order, order[1:])))


def _held_karp(cost: np.ndarray) -> list[int]:
    """Cheapest open path from 0 through every other index (exact)."""
    n = len(cost)
    stops = range(1, n)
    best = {(1 << (j - 1), j): (cost[0, j], 0) for j in stops}
    for size in range(2, n):
        for subset in combinations(stops, size):
            mask = sum(1 << (j - 1) for j in subset)
            for j in subset:
                rest = mask & ~(1 << (j - 1))
                best[mask, j] = min((best[rest, i][0] + cost[i, j], i) for i in subset if i != j)
    full = (1 << (n - 1)) - 1
    last = min(stops, key=lambda j: best[full, j][0])
    order, mask = [], full
    while last:
        order.append(last)
        last, mask = best[mask, last][1], mask & ~(1 << (last - 1))
    return [0] + order[::-1]


def _nearest_then_two_opt(cost: np.ndarray) -> list[int]:
    """Nearest-neighbour path from 0, then 2-opt moves until none improves it."""
    order, left = [0], set(range(1, len(cost)))
    while left:
        nxt = min(left, key=lambda j: (cost[order[-1], j], j))
        order.append(nxt)
        left.remove(nxt)
    improved = True
    while improved:
        improved = False
        for i in range(1, len(order) - 1):
            for j in range(i + 1, len(order)):
                candidate = order[:i] + order[i:j + 1][::-1] + order[j + 1:]
                if path_cost(cost, candidate) < path_cost(cost, order) - 1e-9:
                    order, improved = candidate, True
    return order


def order_tour(cost: np.ndarray) -> tuple[list[int], bool]:
    """Visiting order from index 0 through all others, and whether it is proven shortest."""
    cost = np.asarray(cost, dtype=float)
    if cost.ndim != 2 or cost.shape[0] != cost.shape[1]:
        raise ValueError("cost matrix must be square")
    if len(cost) <= 2:
        return list(range(len(cost))), True
    if len(cost) - 1 <= EXACT_MAX:
        return _held_karp(np.where(np.isfinite(cost), cost, math.inf)), True
    return _nearest_then_two_opt(cost), False
