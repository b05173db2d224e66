"""Road distances over a hand-made network, settlements and 党小组 proposals."""

import numpy as np

from gridmgmt.analysis.dispersion import dispersion_m, group_count, propose_groups, settlements
from gridmgmt.network.distances import (
    Snapped,
    VertexCosts,
    concat,
    nearest,
    nearest_distances,
    nearest_straight,
    pair_distances,
    road_distances,
)

# A road A(100) —1000 m— B(101) —1000 m— C(102) along the x axis; edges 10 (A–B) and 11 (B–C).
FULL = VertexCosts.from_rows([102, 100, 101], [100, 100, 101], [101, 102, 102], [1000.0, 2000.0, 1000.0])


def _points(*specs, off_network_m=500.0):
    """Points (edge, metres from the edge's start, metres off the road, side)."""
    edges, along, access, side = map(np.array, zip(*specs))
    source = np.where(edges == 10, 100, 101)
    x = np.where(edges == 10, 0, 1000) + along
    return Snapped(
        edge=edges,
        source=source,
        target=source + 1,
        to_source=along.astype(float),
        to_target=1000.0 - along,
        access=access.astype(float),
        x=x.astype(float),
        y=(side * access).astype(float),
        off_network=access > off_network_m,
    )


def test_vertex_costs_from_pgrouting_rows():
    assert FULL.ids.tolist() == [100, 101, 102] and FULL.rows([102, 100]).tolist() == [2, 0]
    # Undirected: one direction given is both; a pair not given stays unjoined; rows of
    # vertices outside the set are left out.
    assert FULL.matrix[0, 2] == 2000 and FULL.matrix[2, 0] == 2000 and FULL.matrix[0, 0] == 0
    part = VertexCosts.from_rows([100, 101], [100, 100, 101], [101, 102, 102], [1000.0, 2000.0, 1000.0])
    assert part.matrix.tolist() == [[0.0, 1000.0], [1000.0, 0.0]]
    assert np.isinf(VertexCosts.from_rows([100, 102], [], [], []).matrix[0, 1])


def test_pair_distances_along_the_road():
    # P 200 m along A–B, 10 m off; Q 700 m along A–B, 20 m off; S 300 m along B–C, 0 m off.
    p = _points((10, 200, 10, 1), (10, 700, 20, 1), (11, 300, 0, 1))
    d = pair_distances(p, FULL)
    assert d[0, 1] == 10 + 500 + 20  # same edge: straight along it
    assert d[0, 2] == 10 + 800 + 300 + 0  # P → B → S
    assert d[1, 2] == 20 + 300 + 300
    assert np.allclose(d, d.T) and (np.diag(d) == 0).all()
    # Between two sets: the same figures, row by row.
    assert np.array_equal(road_distances(p.take([0, 1]), p.take([2]), FULL), d[:2, 2:])
    assert np.array_equal(pair_distances(concat(p.take([2]), p.take([0])), FULL), d[np.ix_([2, 0], [2, 0])])


def test_off_network_points_use_a_straight_line():
    # H is 600 m off the road (beyond 500 m): 600 m north of x=100; V 400 m along A–B on the road.
    homes = _points((10, 100, 600, 1), (10, 900, 30, -1))
    venues = _points((10, 400, 0, 1))
    d, which = nearest(homes, venues, FULL)
    assert which.tolist() == [0, 0]
    assert homes.off_network.tolist() == [True, False]
    assert np.isclose(d[0], np.hypot(300, 600))  # straight line, not 600 + 300
    assert d[1] == 30 + 500


def test_nearest_target_through_the_network():
    homes = _points((11, 900, 5, 1), (10, 50, 0, 1))
    venues = _points((10, 0, 15, 1), (11, 100, 40, -1))
    # Home 0: to venue 1 along edge 11: 5 + 800 + 40; to venue 0: 5 + 900 + 1000 + 15.
    # Home 1: to venue 0 along edge 10: 50 + 15; to venue 1: 950 + 100 + 40.
    assert nearest_distances(homes, venues, FULL).tolist() == [845.0, 65.0]
    assert np.isinf(nearest_distances(homes, venues.take([]), FULL)).all()
    # Which venue is nearest: venue 1 for home 0, venue 0 for home 1; none without venues.
    assert nearest(homes, venues, FULL)[1].tolist() == [1, 0]
    assert nearest(homes, venues.take([]), FULL)[1].tolist() == [-1, -1]


def test_settlements_chain_homes_within_the_link_distance():
    # Homes on a line at x = 0, 100, 200 | 1500, 1600 | 3000, 3050, 3100, 3800.
    x = np.array([0, 100, 200, 1500, 1600, 3000, 3050, 3100, 3800], float)
    dist = np.abs(x[:, None] - x[None, :])
    # {0, 100, 200} and {3000, 3050, 3100, 3800} (3100 → 3800 is exactly 700);
    # the two homes at 1500 and 1600 are too few for a settlement of 3.
    assert settlements(dist, 700, 3) == 2
    assert settlements(dist, 700, 2) == 3
    assert settlements(dist, 699, 3) == 2  # 3800 drops out; {3000, 3050, 3100} stays
    assert settlements(dist, 1400, 3) == 1  # 200 → 1500 and 1600 → 3000 now link


def test_dispersion_is_mean_distance_to_the_central_member():
    x = np.array([0, 100, 300], float)
    dist = np.abs(x[:, None] - x[None, :])
    assert dispersion_m(dist) == (100 + 0 + 200) / 3
    assert dispersion_m(dist[:1, :1]) == 0


def test_proposed_groups_are_neighbours_with_a_full_member_leading():
    # Two hamlets 2 km apart, four members each; member 1 is the centre of the first
    # hamlet but probationary, so the leader is the next most central full member.
    x = np.array([0, 50, 90, 150, 2000, 2040, 2100, 2150], float)
    dist = np.abs(x[:, None] - x[None, :])
    full = np.array([True, False, True, True, True, True, True, True])
    groups = propose_groups(dist, full, 2)
    assert [g.members for g in groups] == [(0, 1, 2, 3), (4, 5, 6, 7)]
    assert [g.leader for g in groups] == [2, 5]
    assert groups[0].dispersion_m == dispersion_m(dist[:4, :4])
    assert propose_groups(dist, full, 2) == groups  # deterministic


def test_one_place_gives_one_group():
    dist = np.zeros((5, 5))
    groups = propose_groups(dist, np.ones(5, bool), 3)
    assert len(groups) == 1 and groups[0].members == (0, 1, 2, 3, 4)


def test_group_count_gives_every_settlement_a_group():
    assert group_count(34, 4, 10) == 4
    assert group_count(36, 1, 10) == 4
    assert group_count(9, 3, 10) == 3
    assert group_count(5, 0, 10) == 1


def test_nearest_straight():
    x, y = np.array([0.0, 10.0, 500.0]), np.array([0.0, 0.0, 300.0])
    d = nearest_straight(x, y, np.array([0.0, 400.0]), np.array([3.0, 300.0]))
    assert np.allclose(d, [3.0, np.hypot(10, 3), 100.0])
    assert np.isinf(nearest_straight(x, y, np.array([]), np.array([]))).all()
