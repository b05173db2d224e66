"""Allocation on hand-checked small villages."""

import numpy as np
import shapely

from gridmgmt.analysis.grid_cells import build_mesh, dissolve
from gridmgmt.analysis.partition import allocate, crossing_edges, is_connected, redivide, site_graph
from gridmgmt.domain.grid_rules import GridRules


def _hamlet(rng, centre, n, spread=30.0):
    return np.asarray(centre) + rng.normal(0, spread, (n, 2))


def _allocate(xy, village, group, barriers=(), rules=GridRules(), locked=None):
    mesh = build_mesh(xy, village)
    graph = site_graph(mesh, np.ones(len(xy)), group, barriers)
    sites = allocate(graph, rules, locked)
    return sites[mesh.site_of], mesh, sites


def test_a_line_of_hamlets_is_cut_between_hamlets():
    rng = np.random.default_rng(0)
    xy = np.vstack([_hamlet(rng, (200 + 400 * h, 150), 50) for h in range(6)])
    group = np.repeat(np.arange(6), 50)
    cell, _, _ = _allocate(xy, shapely.box(0, 0, 2400, 300), group)
    assert len(np.unique(cell)) == 2
    # Three whole hamlets per cell, west and east.
    assert set(map(tuple, np.unique(np.column_stack([group, cell]), axis=0))) in (
        {(0, a), (1, a), (2, a), (3, b), (4, b), (5, b)} for a, b in ((0, 1), (1, 0))
    )


def test_two_groups_split_by_a_river_stay_whole():
    rng = np.random.default_rng(1)
    # Households spread evenly up to both banks of a river at x = 500.
    west = np.column_stack([rng.uniform(20, 490, 120), rng.uniform(20, 580, 120)])
    east = np.column_stack([rng.uniform(510, 980, 120), rng.uniform(20, 580, 120)])
    xy, group = np.vstack([west, east]), np.repeat([1, 2], 120)
    river = shapely.LineString([(500, -10), (500, 610)])
    cell, mesh, sites = _allocate(xy, shapely.box(0, 0, 1000, 600), group, [river])
    assert len(np.unique(cell)) == 2
    assert len(np.unique(cell[group == 1])) == 1 and len(np.unique(cell[group == 2])) == 1
    # The cells' common edge is the seam between the banks' households, near the river.
    cells = dissolve(mesh, sites, 2)
    seam = shapely.intersection(cells[0], cells[1])
    assert seam.length > 600 and seam.bounds[0] > 450 and seam.bounds[2] < 550


def test_a_village_smaller_than_one_cell_is_one_cell():
    rng = np.random.default_rng(2)
    xy = np.vstack([_hamlet(rng, (100, 100), 30), _hamlet(rng, (400, 300), 30)])
    cell, _, _ = _allocate(xy, shapely.box(0, 0, 500, 400), np.repeat([1, 2], 30))
    assert set(cell) == {0}


def test_locked_cells_keep_their_households():
    rng = np.random.default_rng(4)
    xy = np.column_stack([rng.uniform(0, 1500, 450), rng.uniform(0, 500, 450)])
    village = shapely.box(-1, -1, 1501, 501)
    mesh = build_mesh(xy, village)
    locked = np.where(mesh.xy[:, 0] < 300, 0, -1)
    sites = allocate(site_graph(mesh, np.ones(len(xy)), np.zeros(len(xy), int)), GridRules(), locked)
    assert (sites[locked == 0] == 0).all()
    assert (sites[locked < 0] > 0).all()


def test_edges_crossing_a_road_are_marked():
    xy = np.array([[0, 0], [10, 0], [0, 10.0]])
    edges = np.array([[0, 1], [0, 2]])
    road = shapely.LineString([(5, -5), (5, 5)])
    assert list(crossing_edges(xy, edges, [road])) == [True, False]
    assert list(crossing_edges(xy, edges, [])) == [False, False]


def test_redivide_cuts_cells_into_more_or_fewer_connected_balanced_cells():
    # 300 households evenly on a 900 m × 300 m box, three strips of 100 (labels 0, 1, 2).
    rng = np.random.default_rng(3)
    xy = np.column_stack([rng.uniform(5, 895, 300), rng.uniform(5, 295, 300)])
    mesh = build_mesh(xy, shapely.box(0, 0, 900, 300))
    graph = site_graph(mesh, np.ones(300), np.full(300, -1))
    strips = np.minimum((mesh.xy[:, 0] // 300).astype(int), 2)
    rules = GridRules(min_workload=50, target=60, max_workload=150)
    more = redivide(graph, rules, strips, [0, 1], 3)
    loads = np.bincount(more, graph.weight)
    assert sorted(np.unique(more)) == [0, 1, 2, 3] and (more[strips == 2] == 2).all()
    assert all(abs(loads[c] - loads[[0, 1, 3]].sum() / 3) <= 0.15 * loads[c] for c in (0, 1, 3))
    assert all(is_connected(graph.edges, more == c) for c in (0, 1, 3))
    fewer = redivide(graph, rules, strips, [2, 1, 0], 2)
    assert sorted(np.unique(fewer)) == [1, 2]  # the first two labels asked for are kept
    assert abs(np.bincount(fewer, graph.weight)[[1, 2]] - 150).max() <= 0.15 * 150
    assert all(is_connected(graph.edges, fewer == c) for c in (1, 2))
