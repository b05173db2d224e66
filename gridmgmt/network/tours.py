"""Visiting orders over a road-distance matrix: one OR-Tools solver for closed rounds and open tours.

Index 0 is the start (a base or the township seat). A closed round comes back to it; an
open tour ends at whichever stop makes it shortest. OR-Tools routing builds a cheapest-arc
first order and improves it by guided local search, stopped at an explicit time limit.
The nearest-neighbour order is kept as the baseline the benchmarks compare against.
"""

from itertools import pairwise

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

# OR-Tools works in integers: metres × 10 (decimetres) keep the matrix exact enough.
COST_SCALE = 10


def leg_pairs(order: list[int], closed: bool = True) -> list[tuple[int, int]]:
    """The legs (from, to) of visiting ORDER, back to its first stop when CLOSED."""
    return list(pairwise([*order, order[0]] if closed and order else order))


def tour_length(dist: np.ndarray, order: list[int], closed: bool = True) -> float:
    """Length of visiting ORDER over DIST, back to its first stop when CLOSED."""
    t = np.asarray(order)
    legs = dist[t, np.roll(t, -1)]
    return float(legs.sum() if closed else legs[:-1].sum())


def nearest_neighbour(dist: np.ndarray, start: int = 0) -> list[int]:
    """The order that always goes to the nearest stop not yet visited."""
    order, left = [start], np.ones(len(dist), bool)
    left[start] = False
    while left.any():
        nxt = int(np.argmin(np.where(left, dist[order[-1]], np.inf)))
        order.append(nxt)
        left[nxt] = False
    return order


def order_stops(dist, time_limit: float = 1.0, closed: bool = True) -> list[int]:
    """A short order over every index of DIST starting at 0: a round back to 0 when CLOSED,
    else an open tour. DIST must be square and finite; OR-Tools searches for TIME_LIMIT seconds."""
    dist = np.asarray(dist, dtype=float)
    if dist.ndim != 2 or dist.shape[0] != dist.shape[1] or not np.isfinite(dist).all():
        raise ValueError("distance matrix must be square and finite")
    if len(dist) <= 2 or (closed and len(dist) == 3):
        return list(range(len(dist)))
    cost = np.rint(dist * COST_SCALE).astype(np.int64)
    if not closed:
        cost[:, 0] = 0  # the way back to the start is free: the tour ends at its last stop
    manager = pywrapcp.RoutingIndexManager(len(dist), 1, 0)
    model = pywrapcp.RoutingModel(manager)
    model.SetArcCostEvaluatorOfAllVehicles(model.RegisterTransitMatrix(cost.tolist()))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(max(1, round(time_limit * 1000)))
    solution = model.SolveWithParameters(params)
    order, index = [], model.Start(0)
    while not model.IsEnd(index):
        order.append(manager.IndexToNode(index))
        index = solution.Value(model.NextVar(index))
    return order
