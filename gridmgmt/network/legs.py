"""Leg plausibility: a road leg far longer than the straight line is a gap in the road data.

Two places the network does not join, or joins only by a leg more than GAP_RATIO times
their straight-line distance, are a network gap: a missing link, bridge or path in the
road data, not a real detour. The leg is planned as the straight line times DETOUR and
reported with the places named, so the data can be fixed; it is never silently used.
At 2.5× every planned leg is within 2.5× the straight line or reported (and all legs
beyond 3× are reported); on real networks (bench/network.py) legs are 1.1–1.4× at the median.
"""

from dataclasses import dataclass

import numpy as np

from gridmgmt.network.distances import VertexCosts
from gridmgmt.network.tours import leg_pairs

GAP_RATIO = 2.5
# Legs shorter than this in a straight line are judged as if this long: between
# neighbours a few tens of metres apart, the walk to and from the road dominates.
GAP_MIN_STRAIGHT_M = 200.0
DETOUR = 1.5


@dataclass(frozen=True)
class Gap:
    """A leg from place A to place B that the road data does not plausibly join."""

    a: str
    b: str
    road_m: float  # inf: no road joins them
    straight_m: float

    def describe(self) -> str:
        """One line in Chinese for reports and the command line."""
        road = "道路不连通" if np.isinf(self.road_m) else f"沿路 {self.road_m:.0f} 米"
        return f"{self.a} → {self.b}：直线 {self.straight_m:.0f} 米，{road}；按直线的 {DETOUR:g} 倍估算，请核对道路数据"

    def as_dict(self) -> dict:
        """The gap for JSON: road_m None where no road joins the places."""
        return {
            "a": self.a,
            "b": self.b,
            "road_m": None if np.isinf(self.road_m) else round(self.road_m),
            "straight_m": round(self.straight_m),
        }


def implausible(road: np.ndarray, straight: np.ndarray) -> np.ndarray:
    """Which legs (pairs of ROAD and STRAIGHT metres) are network gaps."""
    gap = ~(road <= GAP_RATIO * np.maximum(straight, GAP_MIN_STRAIGHT_M))
    if gap.ndim == 2 and gap.shape[0] == gap.shape[1]:
        np.fill_diagonal(gap, False)
    return gap


def planned(road: np.ndarray, straight: np.ndarray) -> np.ndarray:
    """Metres to plan with: the road, or the straight line times DETOUR across a gap."""
    return np.where(implausible(road, straight), straight * DETOUR, road)


def gaps_on(order: list[int], closed: bool, road: np.ndarray, straight: np.ndarray, names) -> list[Gap]:
    """The gaps among the legs of ORDER (back to its start when CLOSED), with NAMES of the places."""
    return [
        Gap(str(names[i]), str(names[j]), float(road[i, j]), float(straight[i, j]))
        for i, j in leg_pairs(order, closed)
        if implausible(road[i, j], straight[i, j])
    ]


@dataclass(frozen=True)
class LegMatrix:
    """Road and straight-line metres between places (road inf where unjoined), and the vertex
    costs they came from."""

    road: np.ndarray
    straight: np.ndarray
    costs: VertexCosts  # the vertex costs of the places' vertices, to draw the legs

    @property
    def gap(self) -> np.ndarray:
        """Which legs are network gaps."""
        return implausible(self.road, self.straight)

    @property
    def metres(self) -> np.ndarray:
        """Metres to plan with (see planned)."""
        return planned(self.road, self.straight)

    def gaps(self, order: list[int], closed: bool, names) -> list[Gap]:
        """The gaps on the legs of ORDER, with the places named."""
        return gaps_on(order, closed, self.road, self.straight, names)
