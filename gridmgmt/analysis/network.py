"""Road distances between points that lie off the network, from a vertex cost matrix.

A point is snapped onto its nearest road edge: it is OFF metres from the road and
ALONG metres from the edge's source. Its road distance to another point is the
cheapest of leaving by either end of its edge and arriving by either end of the
other's, or going straight along the edge when both sit on the same one.
"""
from dataclasses import dataclass

import numpy as np

FIELDS = ("edge", "s", "t", "off", "along", "length")


@dataclass(frozen=True)
class Snapped:
    """Points snapped onto edges; s and t index the rows of the vertex cost matrix."""

    edge: np.ndarray
    s: np.ndarray
    t: np.ndarray
    off: np.ndarray
    along: np.ndarray
    length: np.ndarray

    def __len__(self) -> int:
        return len(self.edge)

    def to_source(self) -> np.ndarray:
        """Metres from each point to its edge's source vertex."""
        return self.off + self.along

    def to_target(self) -> np.ndarray:
        """Metres from each point to its edge's target vertex."""
        return self.off + self.length - self.along

    def take(self, index) -> "Snapped":
        """The points at INDEX (an int array or a boolean mask)."""
        return Snapped(*(np.asarray(getattr(self, f))[index] for f in FIELDS))


def concat(*parts: Snapped) -> Snapped:
    """PARTS as one set of points, in order."""
    return Snapped(*(np.concatenate([getattr(p, f) for p in parts]) for f in FIELDS))


def road_distances(a: Snapped, b: Snapped, vertex_cost: np.ndarray) -> np.ndarray:
    """Matrix (len(a) × len(b)) of road distances in metres; inf where unreachable."""
    best = np.full((len(a), len(b)), np.inf)
    for a_end, a_to in ((a.s, a.to_source()), (a.t, a.to_target())):
        for b_end, b_to in ((b.s, b.to_source()), (b.t, b.to_target())):
            via = a_to[:, None] + vertex_cost[np.ix_(a_end, b_end)] + b_to[None, :]
            np.minimum(best, via, out=best)
    same = a.edge[:, None] == b.edge[None, :]
    direct = a.off[:, None] + np.abs(a.along[:, None] - b.along[None, :]) + b.off[None, :]
    return np.where(same, np.minimum(best, direct), best)
