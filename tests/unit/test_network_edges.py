"""Snapping onto an edge set in metres, drawing legs, road-class distances and network gaps,
on a hand-made network in frame metres."""

import numpy as np
import pytest
import shapely

from gridmgmt.network.distances import VertexCosts, pair_distances, straight_distances
from gridmgmt.network.edges import Edges, class_distances, draw_leg, plan_leg, snap_points
from gridmgmt.network.legs import DETOUR, Gap, LegMatrix, implausible, planned

# A(1) at (0, 0) —edge 10, 1000 m east— B(2) at (1000, 0) —edge 11, 1000 m north— C(3) at
# (1000, 1000) —edge 13, 500 m east— F(6) at (1500, 1000); edge 12 is a lone 500 m road from
# D(4) (0, 500) to E(5) (0, 1000), not joined to the others.
EDGES = Edges(
    np.array([10, 11, 12, 13]),
    np.array([1, 2, 4, 3]),
    np.array([2, 3, 5, 6]),
    np.array([1000.0, 1000.0, 500.0, 500.0]),
    np.array(["county", "village", "village", "village"]),
    np.array(
        [
            shapely.LineString([(0, 0), (1000, 0)]),
            shapely.LineString([(1000, 0), (1000, 1000)]),
            shapely.LineString([(0, 500), (0, 1000)]),
            shapely.LineString([(1000, 1000), (1500, 1000)]),
        ]
    ),
)
COSTS = VertexCosts.from_rows(
    [1, 2, 3, 4, 5, 6],
    [1, 1, 2, 4, 3, 2, 1],
    [2, 3, 3, 5, 6, 6, 6],
    [1000.0, 2000.0, 1000.0, 500.0, 500.0, 1500.0, 2500.0],
)


def test_points_snap_to_the_nearest_edge_in_metres():
    # P 30 m north of edge 10 at x=200; Q 40 m west of edge 11 at y=700; R 60 m east of edge 12.
    p = snap_points(EDGES, [200, 960, 60], [30, 700, 800], off_network_m=50)
    assert p.edge.tolist() == [10, 11, 12]
    assert p.access == pytest.approx([30, 40, 60])
    assert p.to_source == pytest.approx([200, 700, 300]) and p.to_target == pytest.approx([800, 300, 200])
    assert p.source.tolist() == [1, 2, 4] and p.target.tolist() == [2, 3, 5]
    assert p.off_network.tolist() == [False, False, True]
    assert p.vertices.tolist() == [1, 2, 3, 4, 5]


def test_a_leg_goes_out_by_the_cheaper_end_and_is_drawn_along_the_roads():
    p = snap_points(EDGES, [200, 960], [30, 700])
    plan = plan_leg(p, COSTS, 0, 1, straight=False)
    assert (plan.kind, plan.exit_vertex, plan.entry_vertex) == ("via", 2, 2)
    line = draw_leg(EDGES, p, 0, 1, plan, [])
    # 30 m up to the road, 800 m east to B, 700 m north, 40 m west to Q.
    assert line.length == pytest.approx(30 + 800 + 700 + 40)
    assert pair_distances(p, COSTS)[0, 1] == pytest.approx(line.length)


def test_legs_along_one_edge_and_across_the_network():
    p = snap_points(EDGES, [200, 700, 1400], [30, -20, 1010])
    assert plan_leg(p, COSTS, 0, 1, straight=False).kind == "along"
    assert draw_leg(EDGES, p, 0, 1, plan_leg(p, COSTS, 0, 1, False), []).length == pytest.approx(30 + 500 + 20)
    plan = plan_leg(p, COSTS, 0, 2, straight=False)
    assert (plan.exit_vertex, plan.entry_vertex) == (2, 3)
    # The path between the end vertices (edge 11) comes from pgRouting; the partial edges here.
    line = draw_leg(EDGES, p, 0, 2, plan, [11])
    assert line.length == pytest.approx(30 + 800 + 1000 + 400 + 10)
    assert pair_distances(p, COSTS)[0, 2] == pytest.approx(line.length)


def test_unjoined_and_gap_legs_are_drawn_straight():
    p = snap_points(EDGES, [200, 10], [30, 600])
    assert plan_leg(p, COSTS, 0, 1, straight=False).kind == "straight"  # no path between the edges
    assert plan_leg(snap_points(EDGES, [200, 960], [30, 700]), COSTS, 0, 1, straight=True).kind == "straight"
    line = draw_leg(EDGES, p, 0, 1, plan_leg(p, COSTS, 0, 1, False), [])
    assert line.length == pytest.approx(np.hypot(190, 570))


def test_distance_to_each_road_class():
    got = class_distances(EDGES, [200, 60], [30, 800], ["county", "village", "national"])
    assert got["county"] == pytest.approx([30, 800])
    assert got["village"] == pytest.approx([np.hypot(200, 470), 60])
    assert np.isinf(got["national"]).all()


def test_network_gaps_are_legs_far_longer_than_the_straight_line():
    road = np.array([[0, 3100, np.inf, 500], [3100, 0, 10, 10], [np.inf, 10, 0, 10], [500, 10, 10, 0]])
    straight = np.array([[0, 1000, 800, 100], [1000, 0, 5, 5], [800, 5, 0, 5], [100, 5, 5, 0]])
    # 3100 > 2.5 × 1000; no road at all; 500 m for 100 m is judged against 2.5 × 200 m and passes.
    assert implausible(road, straight)[0].tolist() == [False, True, True, False]
    assert planned(road, straight)[0].tolist() == [0, 1000 * DETOUR, 800 * DETOUR, 500]
    legs = LegMatrix(road, straight, COSTS)
    assert legs.gaps([0, 1, 2, 3], True, "WXYZ") == [Gap("W", "X", 3100.0, 1000.0)]
    assert legs.gaps([0, 2, 1, 3], False, "WXYZ") == [Gap("W", "Y", np.inf, 800.0)]
    assert "道路不连通" in Gap("W", "Y", np.inf, 800.0).describe()
    assert Gap("W", "Y", np.inf, 800.4).as_dict() == {"a": "W", "b": "Y", "road_m": None, "straight_m": 800}


def test_straight_distances_are_in_the_frame():
    p = snap_points(EDGES, [0, 300], [0, 400])
    assert straight_distances(p, p)[0, 1] == pytest.approx(500)
