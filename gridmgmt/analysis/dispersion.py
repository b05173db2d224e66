"""How spread out a branch's members live, and 党小组 proposals: pure numpy.

Both work on a matrix of road distances between the members' households
(gridmgmt.network.distances.pair_distances).
"""

import math
from dataclasses import dataclass

import numpy as np


def dispersion_m(dist: np.ndarray) -> float:
    """Mean distance from the members to the most central one (their medoid); 0 for < 2."""
    if len(dist) < 2:
        return 0.0
    return float(dist.mean(axis=1).min())


def settlements(dist: np.ndarray, link_m: float, min_members: int) -> int:
    """How many settlements the members live in: chains of homes each within LINK_M of the
    next (single linkage on DIST), counting only chains of at least MIN_MEMBERS members."""
    label = np.arange(len(dist))
    near = dist <= link_m
    while True:
        # Every member takes the smallest label among its neighbours until nothing changes.
        joined = np.where(near, label[None, :], len(dist)).min(axis=1)
        if (joined == label).all():
            break
        label = joined[joined]
    return int((np.bincount(label) >= min_members).sum())


@dataclass(frozen=True)
class ProposedGroup:
    """A proposed 党小组: member rows, the suggested leader's row, and how far they spread."""

    members: tuple[int, ...]
    leader: int
    dispersion_m: float


def _assign(dist: np.ndarray, medoids: list[int]) -> np.ndarray:
    return np.argmin(dist[:, medoids], axis=1)


def _build(dist: np.ndarray, k: int) -> list[int]:
    """Greedy start: the most central member, then whoever cuts the total distance most."""
    medoids = [int(np.argmin(dist.sum(axis=1)))]
    while len(medoids) < k:
        nearest = dist[:, medoids].min(axis=1)
        gain = np.maximum(nearest[:, None] - dist, 0).sum(axis=0)
        gain[medoids] = -1
        if gain.max() <= 0:  # fewer distinct places than groups asked for
            break
        medoids.append(int(np.argmax(gain)))
    return medoids


def _centre(dist: np.ndarray, rows: np.ndarray, eligible: np.ndarray) -> int:
    """The row of ROWS closest in total to the others, preferring ELIGIBLE (full) members."""
    pool = rows[eligible[rows]] if eligible[rows].any() else rows
    return int(pool[np.argmin(dist[np.ix_(pool, rows)].sum(axis=1))])


def group_count(members: int, settlements: int, size: int) -> int:
    """How many 党小组 to propose: about SIZE members each, and at least one per settlement."""
    return max(1, math.ceil(members / size), settlements)


def propose_groups(dist: np.ndarray, full: np.ndarray, k: int) -> list[ProposedGroup]:
    """Split members into up to K 党小组 of neighbours (k-medoids on DIST).

    Leaders are the group's most central full member (FULL marks full members).
    Deterministic: the same distances give the same groups.
    """
    n = len(dist)
    medoids = _build(dist, max(1, min(n, k)))
    anyone = np.ones(n, bool)
    for _ in range(50):
        label = _assign(dist, medoids)
        moved = [_centre(dist, np.flatnonzero(label == c), anyone) for c in range(len(medoids))]
        if moved == medoids:
            break
        medoids = moved
    label = _assign(dist, medoids)
    groups = []
    for c in range(len(medoids)):
        rows = np.flatnonzero(label == c)
        leader = _centre(dist, rows, full)
        groups.append(ProposedGroup(tuple(int(r) for r in rows), leader, dispersion_m(dist[np.ix_(rows, rows)])))
    return sorted(groups, key=lambda g: g.members[0])
