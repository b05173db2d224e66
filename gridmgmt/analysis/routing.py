"""A closed visiting round from a base over a symmetric road-distance matrix (TSP heuristic).

Index 0 of the matrix is the base (village office or home). The tour starts with the
nearest-neighbour round, is improved by 2-opt and Or-opt moves until neither helps,
then kicked (double bridge) and improved again until the time limit: iterated local
search, seeded so that the same input gives the same answer. Every move keeps the
base first.
"""
import time

import numpy as np

EPS = 1e-7
SEGMENTS = (1, 2, 3)  # Or-opt moves chains of up to three stops


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


def _two_opt(dist: np.ndarray, t: np.ndarray) -> bool:
    """Apply the best 2-opt move of each position in turn; True when the tour got shorter."""
    n, better = len(t), False
    for i in range(n - 2):
        a, b = t[i], t[i + 1]
        j = np.arange(i + 2, n if i else n - 1)
        c, d = t[j], t[(j + 1) % n]
        delta = dist[a, c] + dist[b, d] - dist[a, b] - dist[c, d]
        k = int(np.argmin(delta))
        if delta[k] < -EPS:
            t[i + 1:j[k] + 1] = t[i + 1:j[k] + 1][::-1].copy()
            better = True
    return better


def _or_opt(dist: np.ndarray, t: np.ndarray) -> bool:
    """Move a chain of 1–3 stops (either way round) to its best place; True on a gain."""
    n, better = len(t), False
    for size in SEGMENTS:
        for i in range(1, n - size + 1):
            seg = t[i:i + size]
            p, q = t[i - 1], t[(i + size) % n]
            gain = dist[p, seg[0]] + dist[seg[-1], q] - dist[p, q]
            rest = np.concatenate([t[:i], t[i + size:]])
            x, y = rest, np.roll(rest, -1)
            fwd = dist[x, seg[0]] + dist[seg[-1], y] - dist[x, y]
            rev = dist[x, seg[-1]] + dist[seg[0], y] - dist[x, y]
            cost = np.minimum(fwd, rev)
            k = int(np.argmin(cost))
            if cost[k] < gain - EPS:
                piece = seg if fwd[k] <= rev[k] else seg[::-1]
                t[:] = np.concatenate([rest[:k + 1], piece, rest[k + 1:]])
                better = True
    return better


def improve(dist: np.ndarray, tour: list[int]) -> list[int]:
    """TOUR after 2-opt and Or-opt moves until neither shortens it."""
    t = np.asarray(tour, dtype=np.int64).copy()
    while _two_opt(dist, t) or _or_opt(dist, t):
        pass
    return t.tolist()


def _double_bridge(rng: np.random.Generator, tour: list[int]) -> list[int]:
    """Cut the round in four and rejoin the pieces A C B D: a kick 2-opt cannot undo."""
    n = len(tour)
    a, b, c = sorted(rng.choice(np.arange(1, n), 3, replace=False))
    return tour[:a] + tour[b:c] + tour[a:b] + tour[c:]


def solve(dist, time_limit: float = 1.0, seed: int = 0) -> list[int]:
    """A short closed round over every index of DIST, starting at 0 (the base).

    DIST must be square, symmetric and finite. Stops searching after TIME_LIMIT seconds.
    """
    dist = np.asarray(dist, dtype=float)
    if dist.ndim != 2 or dist.shape[0] != dist.shape[1] or not np.isfinite(dist).all():
        raise ValueError("distance matrix must be square and finite")
    if len(dist) <= 3:
        return list(range(len(dist)))
    deadline = time.perf_counter() + time_limit
    rng = np.random.default_rng(seed)
    best = improve(dist, nearest_neighbour(dist))
    best_len = tour_length(dist, best)
    current, current_len = best, best_len
    while len(dist) > 4 and time.perf_counter() < deadline:
        candidate = improve(dist, _double_bridge(rng, current))
        length = tour_length(dist, candidate)
        if length < current_len - EPS:
            current, current_len = candidate, length
            if length < best_len - EPS:
                best, best_len = candidate, length
    return best


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
