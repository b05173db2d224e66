"""Who serves a cell: grid workers to cells, party members to households (联户), by cost.

Both are min-cost assignments with capacities on a cost matrix the caller builds
(road metres plus preferences): workers with scipy's linear_sum_assignment on a
matrix with one column per cell a worker may hold; liaisons with OR-Tools min-cost
flow on each household's nearest members.
"""

import numpy as np
from ortools.graph.python import min_cost_flow
from scipy.optimize import linear_sum_assignment

NEAREST_MEMBERS = 15


def assign_workers(cost: np.ndarray, capacity: int) -> np.ndarray:
    """For a (workers × cells) COST, the worker of each cell (-1 when workers run out);
    nobody gets more than CAPACITY cells and the total cost is least."""
    workers, cells = cost.shape
    chosen = np.full(cells, -1)
    if workers == 0 or cells == 0:
        return chosen
    finite = np.where(np.isfinite(cost), cost, np.nanmax(np.where(np.isfinite(cost), cost, 0)) * 10 + 1e6)
    slots = np.repeat(finite, capacity, axis=0)
    rows, cols = linear_sum_assignment(slots)
    chosen[cols] = rows // capacity
    return chosen


def link_households(cost: np.ndarray, capacity: int, first: np.ndarray | None = None) -> np.ndarray:
    """For a (households × members) COST, the member each household is linked to (-1 when
    members are too few): each member links at most CAPACITY households, as many
    households as possible are linked, those in FIRST before the others, at least cost."""
    households, members = cost.shape
    linked = np.full(households, -1)
    if households == 0 or members == 0:
        return linked
    near = np.argsort(cost, axis=1)[:, :NEAREST_MEMBERS]
    metres = np.take_along_axis(cost, near, axis=1)
    metres = np.where(np.isfinite(metres), metres, 1e7)
    if first is not None:
        # Linking a FIRST household is worth more than any distance: they go first.
        metres = metres - np.where(first, 1e8, 0)[:, None]
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = households + members, households + members + 1
    h = np.repeat(np.arange(households), near.shape[1])
    arcs = [
        (np.full(households, source), np.arange(households), np.ones(households), np.zeros(households)),
        (h, households + near.ravel(), np.ones(len(h)), np.round(metres.ravel())),
        (households + np.arange(members), np.full(members, sink), np.full(members, capacity), np.zeros(members)),
    ]
    tails, heads, caps, costs = (np.concatenate(part).astype(np.int64) for part in zip(*arcs))
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_node_supply(source, households)
    flow.set_node_supply(sink, -households)
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
        raise RuntimeError("min-cost flow failed on the liaison network")
    on = np.flatnonzero(flow.flows(np.arange(households, households + len(h))) > 0)
    linked[h[on]] = near.ravel()[on]
    return linked
