"""Polish an allocation by local search: move border sites between neighbouring cells
while that lowers, summed over cells,

    BALANCE · ((workload − target) / target)²  +  P² / (4πA)   (1 / Polsby–Popper)

plus SPLIT_GROUP for each village group a move splits (minus it for each it makes whole
again); between starts, a cell out of its band costs OUT_OF_BAND per share outside. A move is refused when it empties or disconnects the donor cell, touches a cell
that is not movable (locked), or takes a cell out of its band. Perimeters are kept
exactly from the mesh: moving site s from cell a to cell b changes a's perimeter by
2·shared(s, a) − length(s) and b's by length(s) − 2·shared(s, b).
"""

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from gridmgmt.analysis.partition import SiteGraph

# A cell 10 % off its target costs 1, as much as going from round (PP 1) to PP 0.5.
BALANCE = 100.0
# Splitting a village group costs what moving one household is worth when two cells
# are ≈ 3.5 % off: a group is split where that buys real balance (or shape), not less.
SPLIT_GROUP = 0.1
# Choosing between starts, a cell out of its band costs this much per share of its target
# it lies outside: any state with every cell in band wins.
OUT_OF_BAND = 1000.0
# Each candidate move is tried best first; after this many refusals the step gives up.
TRIES = 25


def neighbours(edges: np.ndarray, m: int, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ptr, nbr, value): site i's neighbours are nbr[ptr[i]:ptr[i + 1]], with the VALUES of their edges."""
    src, dst = np.r_[edges[:, 0], edges[:, 1]], np.r_[edges[:, 1], edges[:, 0]]
    order = np.argsort(src, kind="stable")
    return np.searchsorted(src[order], np.arange(m + 1)), dst[order], np.r_[values, values][order]


def stays_connected(labels: np.ndarray, ptr: np.ndarray, nbr: np.ndarray, site: int) -> bool:
    """True when the cell of SITE stays connected (and non-empty) without it."""
    cell = labels[site]
    inside = [int(j) for j in nbr[ptr[site] : ptr[site + 1]] if labels[j] == cell]
    if not inside:
        return False
    seen, stack = {site, inside[0]}, [inside[0]]
    while stack:
        node = stack.pop()
        for j in nbr[ptr[node] : ptr[node + 1]]:
            if labels[j] == cell and j not in seen:
                seen.add(int(j))
                stack.append(int(j))
    return len(seen) == int((labels == cell).sum())


def polish(
    g: "SiteGraph",
    starts: list[np.ndarray],
    targets: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    movable: np.ndarray,
) -> np.ndarray:
    """The labels with the lowest objective after polishing each of STARTS (several starts
    because single-site moves stop in a local minimum)."""
    polished = [Polisher(g, labels.copy(), targets, low, high, movable) for labels in starts]
    for p in polished:
        p.run(4 * len(g.xy))
    return min(polished, key=Polisher.objective).labels


class Polisher:
    """Labels with the cells' workloads, areas, perimeters and groups, kept move by move."""

    def __init__(
        self,
        g: "SiteGraph",
        labels: np.ndarray,
        targets: np.ndarray,
        low: np.ndarray,
        high: np.ndarray,
        movable: np.ndarray,
    ):
        self.g, self.labels = g, labels
        self.targets, self.low, self.high, self.movable = targets, low, high, movable
        m, k = len(labels), len(targets)
        self.ptr, self.nbr, self.shared = neighbours(g.edges, m, g.shared_m)
        # linked[s, c]: length of site s's boundary shared with cell c.
        self.linked = np.zeros((m, k))
        np.add.at(self.linked, (np.repeat(np.arange(m), np.diff(self.ptr)), labels[self.nbr]), self.shared)
        self.load = np.bincount(labels, g.weight, k)
        self.area = np.bincount(labels, g.area, k)
        self.perimeter = np.bincount(labels, g.length - self.linked[np.arange(m), labels], k)
        _, self.group = np.unique(g.group, return_inverse=True)
        self.named = g.group >= 0  # sites with no group split nothing
        self.in_cell = np.zeros((self.group.max() + 1, k), int)  # sites of each group in each cell
        np.add.at(self.in_cell, (self.group, labels), 1)

    def run(self, max_moves: int) -> np.ndarray:
        """Make the best improving move until there is none (or MAX_MOVES); returns the labels."""
        while max_moves and self._step():
            max_moves -= 1
        return self.labels

    def objective(self) -> float:
        """The objective of the current labels, cells out of band counting heavily."""
        cells = np.arange(len(self.targets))
        split = (self.in_cell > 0).sum(axis=1) > 1
        outside = np.maximum(self.low - self.load, 0) + np.maximum(self.load - self.high, 0)
        return float(
            self._cost(cells, self.load, self.area, self.perimeter).sum()
            + SPLIT_GROUP * split[np.unique(self.group[self.named])].sum()
            + OUT_OF_BAND * (outside / self.targets).sum()
        )

    def _cost(self, cells, load, area, perimeter) -> np.ndarray:
        t = self.targets[cells]
        return BALANCE * ((load - t) / t) ** 2 + perimeter**2 / (4 * np.pi * np.maximum(area, 1e-9))

    def _moves(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(site, to-cell, gain) of every move of a border site that keeps both cells in band."""
        g, lab = self.g, self.labels
        site, to = np.nonzero(self.linked > 0)
        frm = lab[site]
        w, a, length = g.weight[site], g.area[site], g.length[site]
        ok = (to != frm) & self.movable[to] & self.movable[frm]
        ok &= (self.load[frm] - w >= self.low[frm]) & (self.load[to] + w <= self.high[to])
        site, to, frm, w, a, length = site[ok], to[ok], frm[ok], w[ok], a[ok], length[ok]
        before = self._cost(frm, self.load[frm], self.area[frm], self.perimeter[frm]) + self._cost(
            to, self.load[to], self.area[to], self.perimeter[to]
        )
        after = self._cost(
            frm, self.load[frm] - w, self.area[frm] - a, self.perimeter[frm] - length + 2 * self.linked[site, frm]
        ) + self._cost(
            to, self.load[to] + w, self.area[to] + a, self.perimeter[to] + length - 2 * self.linked[site, to]
        )
        return site, to, before - after - SPLIT_GROUP * self._splits(site, frm, to)

    def _splits(self, site: np.ndarray, frm: np.ndarray, to: np.ndarray) -> np.ndarray:
        """+1 where moving SITE splits its whole group, −1 where it makes its group whole."""
        counts = self.in_cell[self.group[site]]
        before = (counts > 0).sum(axis=1)
        after = before - (counts[np.arange(len(site)), frm] == 1) + (counts[np.arange(len(site)), to] == 0)
        return (np.minimum(after, 2) - np.minimum(before, 2)) * self.named[site]

    def _step(self) -> bool:
        """Make the best improving move that keeps the donor connected; False when none."""
        site, to, gain = self._moves()
        improving = np.flatnonzero(gain > 1e-9)
        for i in improving[np.argsort(-gain[improving])][:TRIES]:
            if stays_connected(self.labels, self.ptr, self.nbr, site[i]):
                self._move(site[i], to[i])
                return True
        return False

    def _move(self, s: int, to: int) -> None:
        g, frm = self.g, self.labels[s]
        self.perimeter[frm] += 2 * self.linked[s, frm] - g.length[s]
        self.perimeter[to] += g.length[s] - 2 * self.linked[s, to]
        for cell, sign in ((frm, -1), (to, 1)):
            self.load[cell] += sign * g.weight[s]
            self.area[cell] += sign * g.area[s]
            self.in_cell[self.group[s], cell] += sign
        around = slice(self.ptr[s], self.ptr[s + 1])
        np.add.at(self.linked, (self.nbr[around], frm), -self.shared[around])
        np.add.at(self.linked, (self.nbr[around], to), self.shared[around])
        self.labels[s] = to
