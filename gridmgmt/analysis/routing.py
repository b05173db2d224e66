"""A closed visiting round from a base over a symmetric road-distance matrix (TSP).

Index 0 of the matrix is the base (village office or home). The order comes from
OR-Tools routing: a cheapest-arc first round improved by guided local search, stopped
at an explicit time limit. The nearest-neighbour round is kept as the baseline the
benchmark compares against.
"""
import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

# OR-Tools works in integers: metres × 10 (decimetres) keep the matrix exact enough.
COST_SCALE = 10


def tour_length(dist: np.ndarray, tour: list[int]) -> float:
    """Length of the closed TOUR (back to its first stop) over DIST."""
    t = np.asarray(tour)
    return float(dist[t, np.roll(t, -1)].sum())


def nearest_neighbour(dist: np.ndarray, start: int = 0) -> list[int]:
    """The round that always goes to the nearest stop not yet visited."""
    tour, left = [start], np.ones(len(dist), bool)
    left[start] = False
    while left.any():
        row = np.where(left, dist[tour[-1]], np.inf)
        nxt = int(np.argmin(row))
        tour.append(nxt)
        left[nxt] = False
    return tour


def solve(dist, time_limit: float = 1.0) -> list[int]:
    """A short closed round over every index of DIST, starting at 0 (the base).

    DIST must be square and finite. OR-Tools searches for TIME_LIMIT seconds.
    """
    dist = np.asarray(dist, dtype=float)
    if dist.ndim != 2 or dist.shape[0] != dist.shape[1] or not np.isfinite(dist).all():
        raise ValueError("distance matrix must be square and finite")
    if len(dist) <= 3:
        return list(range(len(dist)))
    manager = pywrapcp.RoutingIndexManager(len(dist), 1, 0)
    model = pywrapcp.RoutingModel(manager)
    arc = model.RegisterTransitMatrix(np.rint(dist * COST_SCALE).astype(np.int64).tolist())
    model.SetArcCostEvaluatorOfAllVehicles(arc)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(max(1, round(time_limit * 1000)))
    solution = model.SolveWithParameters(params)
    tour, index = [], model.Start(0)
    while not model.IsEnd(index):
        tour.append(manager.IndexToNode(index))
        index = solution.Value(model.NextVar(index))
    return tour


def fit_budget(dist: np.ndarray, service_s: float, speed_mps: float, budget_s: float) -> list[int]:
    """Stops 1…n, taken in that (priority) order, that fit a round from 0 within BUDGET_S.

    Each stop is put where it lengthens the round least; one that would overrun the
    budget (travel at SPEED_MPS plus SERVICE_S per stop) is skipped.
    """
    dist = np.asarray(dist, dtype=float)
    tour, length = [0], 0.0
    for stop in range(1, len(dist)):
        t = np.asarray(tour)
        nxt = np.roll(t, -1)
        added = dist[t, stop] + dist[stop, nxt] - dist[t, nxt]
        k = int(np.argmin(added))
        if (length + added[k]) / speed_mps + service_s * len(tour) <= budget_s:
            tour.insert(k + 1, stop)
            length += added[k]
    return sorted(tour[1:])


class Access:
    """How each place reaches the road network: the nearest edge's ends (indexes into the
    vertex cost matrix), the metres along the edge to each end, the edge, and the metres
    off the road."""

    def __init__(self, source, target, to_source, to_target, edge, off_road):
        self.ends = np.column_stack([source, target]).astype(np.int64)
        self.along = np.column_stack([to_source, to_target]).astype(float)
        self.edge = np.asarray(edge)
        self.off_road = np.asarray(off_road, dtype=float)


def _leg_costs(access: Access, vertex_cost: np.ndarray) -> np.ndarray:
    """Costs (n, n, 2, 2): from place i leaving by end a to place j entering by end b."""
    e, g = access.ends, access.along
    net = vertex_cost[e[:, None, :, None], e[None, :, None, :]]
    return g[:, None, :, None] + net + g[None, :, None, :]


def place_matrix(access: Access, vertex_cost: np.ndarray) -> np.ndarray:
    """Road distances between places: off road, along their edges, and over the network.

    Two places on the same edge may also go straight along it. Pairs the network does
    not join are infinite.
    """
    best = _leg_costs(access, vertex_cost).min(axis=(2, 3))
    same = access.edge[:, None] == access.edge[None, :]
    along = np.abs(access.along[:, None, 0] - access.along[None, :, 0])
    best = np.where(same, np.minimum(best, along), best)
    dist = access.off_road[:, None] + best + access.off_road[None, :]
    np.fill_diagonal(dist, 0.0)
    return dist


def via_vertices(access: Access, vertex_cost: np.ndarray, tour: list[int]) -> list[int]:
    """Network vertices (indexes) a closed TOUR passes, in order: each leg's exit and entry
    (none for a leg straight along the edge both places share)."""
    costs = _leg_costs(access, vertex_cost)
    via = []
    for i, j in zip(tour, tour[1:] + tour[:1]):
        a, b = np.unravel_index(int(np.argmin(costs[i, j])), (2, 2))
        along = abs(access.along[i, 0] - access.along[j, 0])
        if access.edge[i] == access.edge[j] and along <= costs[i, j, a, b]:
            continue  # straight along their shared edge
        via += [int(access.ends[i, a]), int(access.ends[j, b])]
    return [v for k, v in enumerate(via) if k == 0 or v != via[k - 1]]


def straight_metres(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Great-circle distances (m) between every pair of points (haversine, mean radius)."""
    lon, lat = np.radians(lon), np.radians(lat)
    dlon = lon[:, None] - lon[None, :]
    dlat = lat[:, None] - lat[None, :]
    h = np.sin(dlat / 2) ** 2 + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
    return 2 * 6_371_008.8 * np.arcsin(np.sqrt(h))
