"""Allocation: household sites of a village into contiguous, compact, balanced cells.

Pure numpy/scipy on the sites' adjacency graph (regions sharing an edge, see
grid_cells). Each connected area gets `rules.cell_count` cells:
1. seeds from weighted k-means on the coordinates;
2. cells grow from the seeds along the graph (multi-source shortest paths, so each
   cell is connected), edges between village groups or across roads/rivers being
   longer, so cells prefer to end there; additive per-seed offsets are tuned until
   workloads balance, then seeds move to their cell's centre (a few rounds);
3. boundary sites move from heavier to lighter neighbouring cells, choosing the move
   that cuts least (shared edge length, cheaper between groups and across roads)
   and keeps cells compact, never disconnecting a cell, until every cell is in band;
   then moves that shorten that weighted cut inside the band;
4. polish (analysis/polish.py): local search on workload balance and Polsby–Popper
   compactness, from the states before and after the cut-shortening moves.
"""

from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

from gridmgmt.analysis.grid_cells import VillageMesh
from gridmgmt.analysis.polish import neighbours, polish, stays_connected
from gridmgmt.domain.grid_rules import GridRules

ROUNDS = 4
BALANCE_STEPS = 40
# Growing across a group boundary or a barrier counts as this many times the distance.
GROUP_DETOUR = 3.0
BARRIER_DETOUR = 2.0
# Growing across water (no bridge at every house) counts this many times more again.
WATER_DETOUR = 10.0


@dataclass(frozen=True)
class SiteGraph:
    """Sites with workloads, village groups and the adjacency graph between them."""

    xy: np.ndarray  # (m, 2) metres
    weight: np.ndarray  # (m,) workload
    group: np.ndarray  # (m,) village group id (any int; -1 for none)
    edges: np.ndarray  # (e, 2)
    shared_m: np.ndarray  # (e,) shared boundary length
    crossing: np.ndarray  # (e,) bool: the edge crosses a road or river
    area: np.ndarray  # (m,) area of each site's region
    length: np.ndarray  # (m,) perimeter of each site's region
    water: np.ndarray  # (e,) bool: the edge crosses water (a river, a canal, the bank of a pond)


def crossing_edges(xy: np.ndarray, edges: np.ndarray, barriers) -> np.ndarray:
    """True for edges whose straight segment crosses any of the BARRIERS (lines, metres)."""
    barriers = np.asarray(barriers, dtype=object)
    if len(edges) == 0 or len(barriers) == 0:
        return np.zeros(len(edges), bool)
    segments = shapely.linestrings(np.stack([xy[edges[:, 0]], xy[edges[:, 1]]], axis=1))
    hit, _ = shapely.STRtree(barriers).query(segments, predicate="intersects")
    crossing = np.zeros(len(edges), bool)
    crossing[hit] = True
    return crossing


def site_graph(mesh: VillageMesh, weight: np.ndarray, group: np.ndarray, barriers=(), waters=()) -> SiteGraph:
    """The graph of MESH's sites from per-household WEIGHT and GROUP; a site takes the
    group of its heaviest household (households at one spot rarely differ). BARRIERS (roads)
    and WATERS (lines, metres) are preferred cell edges."""
    m = len(mesh.xy)
    load = np.bincount(mesh.site_of, weight, m)
    order = np.argsort(weight)  # the heaviest household of a site writes its group last
    site_group = np.full(m, -1)
    site_group[mesh.site_of[order]] = np.asarray(group)[order]
    water = crossing_edges(mesh.xy, mesh.edges, waters)
    return SiteGraph(
        mesh.xy,
        load,
        site_group,
        mesh.edges,
        mesh.shared_m,
        crossing_edges(mesh.xy, mesh.edges, barriers) | water,
        shapely.area(mesh.regions),
        shapely.length(mesh.regions),
        water,
    )


def _matrix(g: SiteGraph, data: np.ndarray, size: int):
    e = g.edges
    return coo_matrix(
        (np.r_[data, data], (np.r_[e[:, 0], e[:, 1]], np.r_[e[:, 1], e[:, 0]])), shape=(size, size)
    ).tocsr()


def _lengths(g: SiteGraph) -> np.ndarray:
    a, b = g.edges.T
    d = np.hypot(*(g.xy[a] - g.xy[b]).T) + 1e-3
    between = g.group[a] != g.group[b]
    detour = np.where(between, GROUP_DETOUR, 1.0) * np.where(g.crossing, BARRIER_DETOUR, 1.0)
    return d * detour * np.where(g.water, WATER_DETOUR, 1.0)


def cut_costs(g: SiteGraph, rules: GridRules) -> np.ndarray:
    """What cutting each edge costs: its shared length, cheaper between groups and across roads."""
    between = g.group[g.edges[:, 0]] != g.group[g.edges[:, 1]]
    return g.shared_m * np.where(between, rules.group_cut, 1.0) * np.where(g.crossing, rules.barrier_cut, 1.0)


def _kmeans_seeds(xy: np.ndarray, w: np.ndarray, k: int, rng) -> np.ndarray:
    """K distinct sites near the centres of weighted k-means on the coordinates."""
    centres = xy[rng.choice(len(xy), k, replace=False, p=w / w.sum())]
    for _ in range(12):
        label = np.argmin(((xy[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)
        for c in range(k):
            mine = label == c
            if mine.any():
                centres[c] = np.average(xy[mine], axis=0, weights=w[mine])
    return _nearest_sites(xy, centres)


def _nearest_sites(xy: np.ndarray, centres: np.ndarray) -> np.ndarray:
    d = ((xy[:, None, :] - centres[None]) ** 2).sum(-1)
    seeds = []
    for c in range(len(centres)):
        order = np.argsort(d[:, c])
        seeds.append(next(int(s) for s in order if s not in seeds))
    return np.array(seeds)


def _grow(dist: np.ndarray, w: np.ndarray, mean: float, reach: float) -> np.ndarray:
    """Labels from seed distances with offsets tuned for balance; the best of the steps."""
    k = len(dist)
    offset = np.zeros(k)
    best, best_dev = None, np.inf
    for step in range(BALANCE_STEPS):
        label = np.argmin(dist - offset[:, None], axis=0)
        dev = np.bincount(label, w, k) / mean - 1
        if np.abs(dev).max() < best_dev:
            best, best_dev = label, np.abs(dev).max()
        offset -= reach * dev * (0.5 / (1 + step / 10))
    return best


def _grow_cells(g: SiteGraph, graph, nodes: np.ndarray, k: int, rng) -> np.ndarray:
    """Labels 0..k-1 for the connected NODES, grown from k seeds on GRAPH."""
    xy, w = g.xy[nodes], g.weight[nodes]
    sub = graph[nodes][:, nodes]
    seeds = _kmeans_seeds(xy, w, k, rng)
    mean = w.sum() / k
    for _ in range(ROUNDS):
        dist = dijkstra(sub, indices=seeds)
        dist[~np.isfinite(dist)] = dist[np.isfinite(dist)].max() * 10
        reach = np.percentile(dist.min(axis=0), 90) + 1.0
        label = _grow(dist, w, mean, reach)
        centres = np.array(
            [
                np.average(xy[label == c], axis=0, weights=w[label == c]) if (label == c).any() else xy[seeds[c]]
                for c in range(k)
            ]
        )
        seeds = _nearest_sites(xy, centres)
    return label


def pieces(g: SiteGraph, nodes: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    """Labels 0..k-1 for NODES: k connected pieces of about equal workload."""
    return _grow_cells(g, _matrix(g, _lengths(g), len(g.xy)), nodes, k, np.random.default_rng(seed))


def allocate(
    g: SiteGraph, rules: GridRules, locked: np.ndarray | None = None, seed: int = 0, starts: int = 1
) -> np.ndarray:
    """A cell label per site; sites with LOCKED >= 0 keep that label, the rest get new ones.
    STARTS growths from different seeds are each balanced; the polish keeps the best."""
    m = len(g.xy)
    labels = np.full(m, -1) if locked is None else np.asarray(locked).copy()
    first_new = labels.max() + 1
    free = np.flatnonzero(labels < 0)
    graph = _matrix(g, _lengths(g), m)
    n_areas, area = connected_components(graph[free][:, free], directed=False)
    rng = np.random.default_rng(seed)
    targets = list(np.bincount(labels[labels >= 0], g.weight[labels >= 0], first_new))
    areas = []
    for a in range(n_areas):
        nodes = free[area == a]
        total = g.weight[nodes].sum()
        k = min(rules.cell_count(total), len(nodes))
        areas.append((nodes, k, len(targets)))
        targets += [total / k] * k
    movable = np.arange(len(targets)) >= first_new
    states = []
    for _ in range(starts):
        for nodes, k, first in areas:
            labels[nodes] = first + (np.zeros(len(nodes), int) if k <= 1 else _grow_cells(g, graph, nodes, k, rng))
        states += Rebalancer(g, rules, labels.copy(), np.array(targets), movable).settle()
    return polish(g, states, np.array(targets), *_bands(rules, targets), movable)


def _bands(rules: GridRules, targets) -> np.ndarray:
    """(low, high) arrays of the bands around TARGETS."""
    return np.array([rules.band(t) for t in targets]).reshape(-1, 2).T


def split(g: SiteGraph, rules: GridRules, labels: np.ndarray, cell: int, seed: int = 0) -> np.ndarray:
    """LABELS with cell CELL cut into two connected, balanced cells (the new one is max + 1)."""
    return redivide(g, rules, labels, [cell], 2, seed)


def redivide(g: SiteGraph, rules: GridRules, labels: np.ndarray, cells: list[int], k: int, seed: int = 0) -> np.ndarray:
    """LABELS with the sites of the connected CELLS divided again into K connected, balanced
    cells: the first K of CELLS keep their labels, more are max + 1, max + 2, …, the rest end empty."""
    nodes = np.flatnonzero(np.isin(labels, cells))
    first_new = labels.max() + 1
    ids = np.array([*cells[:k], *range(first_new, first_new + max(k - len(cells), 0))])
    out = labels.copy()
    out[nodes] = ids[_grow_cells(g, _matrix(g, _lengths(g), len(g.xy)), nodes, k, np.random.default_rng(seed))]
    size = max(first_new, ids.max() + 1)
    targets = np.bincount(out, g.weight, size)
    targets[ids] = g.weight[nodes].sum() / k
    targets[targets == 0] = 1.0  # a cell emptied by a merge: a target to divide by, never moved into
    movable = np.zeros(size, bool)
    movable[ids] = True
    return polish(g, Rebalancer(g, rules, out, targets, movable).settle(), targets, *_bands(rules, targets), movable)


class Rebalancer:
    """Moves boundary sites between neighbouring movable cells: first into band, then
    moves that shorten the weighted cut and keep both cells in band."""

    def __init__(self, g: SiteGraph, rules: GridRules, labels: np.ndarray, targets: np.ndarray, movable: np.ndarray):
        self.g, self.labels, self.targets, self.movable = g, labels, targets, movable
        self.k = len(targets)
        self.low, self.high = _bands(rules, targets)
        cost = cut_costs(g, rules)
        self.src = np.r_[g.edges[:, 0], g.edges[:, 1]]
        self.dst = np.r_[g.edges[:, 1], g.edges[:, 0]]
        self.cost = np.r_[cost, cost]
        self.nbr_ptr, self.nbr, _ = neighbours(g.edges, len(g.xy), cost)
        self.load = np.bincount(labels, g.weight, self.k)

    def settle(self) -> list[np.ndarray]:
        """Balance, then shorten the weighted cut: both states, as starts for the polish."""
        limit = 4 * len(self.labels)
        while limit and self._step(balance=True):
            limit -= 1
        balanced = self.labels.copy()
        limit = len(self.labels)
        while limit and self._step(balance=False):
            limit -= 1
        return [self.labels, balanced]

    def _candidates(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(site, to-cell, score) for every site on a border between two movable cells."""
        lab, k, w = self.labels, self.k, self.g.weight
        border = (lab[self.src] != lab[self.dst]) & self.movable[lab[self.src]] & self.movable[lab[self.dst]]
        pairs = np.unique(np.column_stack([self.src[border], lab[self.dst[border]]]), axis=0)
        site, to = pairs[:, 0], pairs[:, 1]
        linked = np.bincount(self.src * k + lab[self.dst], self.cost, len(lab) * k).reshape(-1, k)
        frm = lab[site]
        centre = np.column_stack([np.bincount(lab, w * self.g.xy[:, d], k) for d in (0, 1)])
        centre /= np.maximum(self.load, 1e-9)[:, None]
        xy = self.g.xy[site]
        spread = np.hypot(*(xy - centre[to]).T) - np.hypot(*(xy - centre[frm]).T)
        return site, to, linked[site, frm] - linked[site, to] + spread

    def _step(self, balance: bool) -> bool:
        """Make the best allowed move; False when there is none."""
        site, to, score = self._candidates()
        frm = self.labels[site]
        w = self.g.weight[site]
        before, after_from, after_to = self.load[frm], self.load[frm] - w, self.load[to] + w
        if balance:
            gain = (
                self._off(before, frm)
                + self._off(self.load[to], to)
                - self._off(after_from, frm)
                - self._off(after_to, to)
            )
            out = (before > self.high[frm]) | (self.load[to] < self.low[to])
            ok = out & (gain > 1e-12)
        else:
            ok = (score < -1e-6) & (after_from >= self.low[frm]) & (after_to <= self.high[to])
        for i in np.flatnonzero(ok)[np.argsort(score[ok])][:25]:
            if stays_connected(self.labels, self.nbr_ptr, self.nbr, site[i]):
                self._move(site[i], to[i], w[i])
                return True
        return False

    def _off(self, load: np.ndarray, cells: np.ndarray) -> np.ndarray:
        """Squared relative deviation of LOAD from the CELLS' targets."""
        return ((load - self.targets[cells]) / self.targets[cells]) ** 2

    def _move(self, site: int, to: int, w: float) -> None:
        self.load[self.labels[site]] -= w
        self.load[to] += w
        self.labels[site] = to


def is_connected(edges: np.ndarray, inside: np.ndarray) -> bool:
    """True when the sites marked INSIDE form one connected piece of the graph (EDGES)."""
    nodes = np.flatnonzero(inside)
    if len(nodes) <= 1:
        return len(nodes) == 1
    keep = inside[edges].all(axis=1)
    e = np.searchsorted(nodes, edges[keep])
    sub = coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(len(nodes), len(nodes)))
    return connected_components(sub, directed=False)[0] == 1
