"""Visiting rounds: hand-checked small cases, validity, and the time budget."""
import numpy as np
import pytest

from gridmgmt.analysis.routing import (
    Access, fit_budget, nearest_neighbour, place_matrix, solve, straight_metres, tour_length,
    via_vertices,
)


def _matrix(xy):
    xy = np.asarray(xy, dtype=float)
    return np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))


SQUARE = _matrix([(0, 0), (1, 0), (1, 1), (0, 1)])


def test_tour_length_is_closed():
    assert tour_length(SQUARE, [0, 1, 2, 3]) == pytest.approx(4.0)
    assert tour_length(SQUARE, [0, 2, 1, 3]) == pytest.approx(2 + 2 * np.sqrt(2))


def test_nearest_neighbour_on_a_line():
    line = _matrix([(0, 0), (5, 0), (1, 0), (-3, 0)])
    # From 0: 1 m to index 2, then 4 m to index 1 (nearer than 6 m to index 3), then index 3.
    assert nearest_neighbour(line) == [0, 2, 1, 3]


def test_the_square_is_walked_round_its_edge():
    tour = solve(SQUARE, time_limit=0.1)
    assert tour[0] == 0 and tour_length(SQUARE, tour) == pytest.approx(4.0)


def test_circle_is_walked_round():
    rng = np.random.default_rng(3)
    angles = rng.permutation(np.linspace(0, 2 * np.pi, 40, endpoint=False))
    dist = _matrix(np.column_stack([np.cos(angles), np.sin(angles)]))
    tour = solve(dist, time_limit=0.3)
    assert tour[0] == 0 and sorted(tour) == list(range(40))
    assert tour_length(dist, tour) == pytest.approx(40 * 2 * np.sin(np.pi / 40))


def test_every_stop_once_from_the_base():
    rng = np.random.default_rng(7)
    dist = _matrix(rng.uniform(0, 1000, (61, 2)))
    tour = solve(dist, time_limit=0.2)
    assert tour[0] == 0 and sorted(tour) == list(range(61))
    assert tour_length(dist, tour) <= tour_length(dist, nearest_neighbour(dist))


def test_tiny_and_bad_matrices():
    assert solve(np.zeros((1, 1))) == [0]
    assert solve(SQUARE[:3, :3]) == [0, 1, 2]
    with pytest.raises(ValueError, match="square and finite"):
        solve(np.array([[0, np.inf], [np.inf, 0]]))
    with pytest.raises(ValueError):
        solve(np.zeros((2, 3)))


def test_fit_budget_takes_stops_in_priority_order():
    # Base at 0; stops at 100 m, 200 m and 5 km east; 1 m/s, 60 s per stop.
    dist = _matrix([(0, 0), (100, 0), (200, 0), (5000, 0)])
    assert fit_budget(dist, 60, 1.0, 600) == [1, 2]      # 400 m + 120 s = 520 s
    assert fit_budget(dist, 60, 1.0, 300) == [1]         # 200 m + 60 s = 260 s
    assert fit_budget(dist, 60, 1.0, 20_000) == [1, 2, 3]
    assert fit_budget(dist, 60, 1.0, 100) == []


def test_place_matrix_by_hand():
    # Network A(0) —1000— B(1) —500— C(2). Place p on edge AB 200 m from A, 10 m off the road;
    # q on BC 100 m from B, on the road; r on AB 700 m from A, 5 m off.
    vertex = np.array([[0, 1000, 1500], [1000, 0, 500], [1500, 500, 0]], dtype=float)
    access = Access(source=[0, 1, 0], target=[1, 2, 1], to_source=[200, 100, 700],
                    to_target=[800, 400, 300], edge=[1, 2, 1], off_road=[10, 0, 5])
    dist = place_matrix(access, vertex)
    assert dist[0, 1] == pytest.approx(10 + 800 + 100)        # p → B → q
    assert dist[0, 2] == pytest.approx(10 + 500 + 5)          # straight along AB
    assert dist[1, 2] == pytest.approx(100 + 300 + 5)
    assert np.allclose(dist, dist.T) and np.all(np.diag(dist) == 0)
    # p → q and q → r pass B; r → p goes straight along AB.
    assert via_vertices(access, vertex, [0, 1, 2]) == [1]


def test_unjoined_network_is_infinite():
    vertex = np.array([[0, np.inf], [np.inf, 0]])
    access = Access([0, 1], [0, 1], [0, 0], [0, 0], [1, 2], [0, 0])
    assert np.isinf(place_matrix(access, vertex)[0, 1])


def test_straight_metres():
    d = straight_metres(np.array([115.70, 115.71]), np.array([23.90, 23.90]))
    assert d[0, 1] == pytest.approx(1017.6, abs=1.0)  # 0.01° of longitude at 23.9°N
