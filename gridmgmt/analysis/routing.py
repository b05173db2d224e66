"""Which stops of a visiting round fit the day: priority order within a time budget.

Index 0 of the road-distance matrix is the base; the order of the chosen stops comes
from gridmgmt.network.tours.
"""

import numpy as np


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
