"""Water as a preferred cell edge (水系, issue 20), on hand-checked cases."""

import numpy as np
import pytest
import shapely

from gridmgmt.analysis.grid_cells import build_mesh
from gridmgmt.analysis.grid_groups import allocate_groups, group_units
from gridmgmt.analysis.group_cover import best_cover
from gridmgmt.analysis.partition import site_graph
from gridmgmt.domain.grid_rules import GridRules

# A 200 × 100 m field, households on both banks of a river along y = 50.
RIVER = shapely.LineString([(-10, 50), (210, 50)])


def _field(seed: int = 0):
    rng = np.random.default_rng(seed)
    xy = np.column_stack([rng.uniform(2, 198, 300), rng.uniform(2, 46, 300)])
    xy[::2, 1] += 52  # every other house on the north bank
    return build_mesh(xy, shapely.box(0, 0, 200, 100))


def test_edges_crossing_water_are_water_and_barrier_edges():
    mesh = _field()
    g = site_graph(mesh, np.ones(300), np.zeros(300, int), (), [RIVER])
    south, north = mesh.xy[g.edges, 1].T < 50
    assert (g.water == (south != north)).all() and g.water.any()
    assert (g.crossing == g.water).all()  # no roads here: the barriers are the water
    assert not site_graph(mesh, np.ones(300), np.zeros(300, int), [RIVER]).water.any()  # a road is not water


def test_an_edge_along_water_shortens_the_cells_perimeter():
    """Four unit squares in a 2 × 2 block, ab over cd, water between the rows (edges a–c, b–d):
    without it the cover is either split (both cost the same); with it, the rows."""
    edges = np.array([[0, 1], [2, 3], [0, 2], [1, 3]])  # a–b, c–d, a–c, b–d
    shared, ones = np.ones(4), np.ones(4)
    preferred = np.array([0, 0, 0.6, 0.6])
    cost, cover = best_cover(edges, shared, 75 * ones, ones, 4 * ones, 2, (135, 165), preferred)
    assert sorted(cover) == [0b0011, 0b1100]
    # Each row: perimeter 6 less 0.6 for each of its two unit edges along the water, area 2.
    assert cost == pytest.approx(2 * (1 - 4 * np.pi * 2 / 4.8**2))
    dry, _ = best_cover(edges, shared, 75 * ones, ones, 4 * ones, 2, (135, 165))
    assert dry == pytest.approx(2 * (1 - 4 * np.pi * 2 / 6**2)) and cost < dry


def test_pieces_of_a_split_group_end_at_water():
    mesh = _field()
    g = site_graph(mesh, np.ones(300), np.zeros(300, int), (), [RIVER])
    unit = group_units(g, np.full(len(g.xy), -1), {0}, 150)
    north = mesh.xy[:, 1] > 50
    assert all(len(set(north[unit == u])) == 1 for u in np.unique(unit))


def test_a_group_cut_in_two_is_cut_along_the_river():
    mesh = _field()
    g = site_graph(mesh, np.ones(300), np.zeros(300, int), (), [RIVER])
    labels = allocate_groups(g, GridRules())
    north = mesh.xy[:, 1] > 50
    assert len(np.unique(labels)) == 2
    assert all(len(set(north[labels == c])) == 1 for c in np.unique(labels))
