"""Visiting orders (closed rounds and open tours): hand-checked small cases, validity, the time budget."""

import itertools

import numpy as np
import pytest

from gridmgmt.analysis.routing import fit_budget
from gridmgmt.network.tours import nearest_neighbour, order_stops, tour_length


def _matrix(xy):
    xy = np.asarray(xy, dtype=float)
    return np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))


SQUARE = _matrix([(0, 0), (1, 0), (1, 1), (0, 1)])


def test_tour_length_closed_and_open():
    assert tour_length(SQUARE, [0, 1, 2, 3]) == pytest.approx(4.0)
    assert tour_length(SQUARE, [0, 2, 1, 3]) == pytest.approx(2 + 2 * np.sqrt(2))
    assert tour_length(SQUARE, [0, 1, 2, 3], closed=False) == pytest.approx(3.0)


def test_nearest_neighbour_on_a_line():
    line = _matrix([(0, 0), (5, 0), (1, 0), (-3, 0)])
    # From 0: 1 m to index 2, then 4 m to index 1 (nearer than 6 m to index 3), then index 3.
    assert nearest_neighbour(line) == [0, 2, 1, 3]


def test_the_square_is_walked_round_its_edge():
    tour = order_stops(SQUARE, time_limit=0.1)
    assert tour[0] == 0 and tour_length(SQUARE, tour) == pytest.approx(4.0)


def test_circle_is_walked_round():
    rng = np.random.default_rng(3)
    angles = rng.permutation(np.linspace(0, 2 * np.pi, 40, endpoint=False))
    dist = _matrix(np.column_stack([np.cos(angles), np.sin(angles)]))
    tour = order_stops(dist, time_limit=0.3)
    assert tour[0] == 0 and sorted(tour) == list(range(40))
    assert tour_length(dist, tour) == pytest.approx(40 * 2 * np.sin(np.pi / 40))


def test_every_stop_once_from_the_base():
    rng = np.random.default_rng(7)
    dist = _matrix(rng.uniform(0, 1000, (61, 2)))
    tour = order_stops(dist, time_limit=0.2)
    assert tour[0] == 0 and sorted(tour) == list(range(61))
    assert tour_length(dist, tour) <= tour_length(dist, nearest_neighbour(dist))


def test_tiny_and_bad_matrices():
    assert order_stops(np.zeros((1, 1))) == [0]
    assert order_stops(SQUARE[:3, :3]) == [0, 1, 2]
    with pytest.raises(ValueError, match="square and finite"):
        order_stops(np.array([[0, np.inf], [np.inf, 0]]))
    with pytest.raises(ValueError):
        order_stops(np.zeros((2, 3)))


def test_fit_budget_takes_stops_in_priority_order():
    # Base at 0; stops at 100 m, 200 m and 5 km east; 1 m/s, 60 s per stop.
    dist = _matrix([(0, 0), (100, 0), (200, 0), (5000, 0)])
    assert fit_budget(dist, 60, 1.0, 600) == [1, 2]  # 400 m + 120 s = 520 s
    assert fit_budget(dist, 60, 1.0, 300) == [1]  # 200 m + 60 s = 260 s
    assert fit_budget(dist, 60, 1.0, 20_000) == [1, 2, 3]
    assert fit_budget(dist, 60, 1.0, 100) == []


def test_open_tour_ends_where_it_is_shortest():
    # Stops on a line at 10, -1, 4 and -3 m from the start: go west first, then east to the end.
    line = _matrix([(0, 0), (10, 0), (-1, 0), (4, 0), (-3, 0)])
    order = order_stops(line, time_limit=0.1, closed=False)
    assert order == [0, 2, 4, 3, 1] and tour_length(line, order, closed=False) == pytest.approx(16.0)
    # Closed, the same stops make one sweep out and back: 2 × (10 + 3) m.
    assert tour_length(line, order_stops(line, time_limit=0.1)) == pytest.approx(26.0)
    assert order_stops(line[:3, :3], closed=False) == [0, 2, 1]  # 1 + 11 m, not 10 + 11 m


def test_open_tours_match_exhaustive_search():
    rng = np.random.default_rng(11)
    for _ in range(5):
        dist = _matrix(rng.uniform(0, 5000, (8, 2))) * rng.uniform(1.0, 1.6)
        best = min(tour_length(dist, [0, *p], closed=False) for p in itertools.permutations(range(1, 8)))
        got = order_stops(dist, time_limit=0.2, closed=False)
        assert sorted(got) == list(range(8)) and tour_length(dist, got, closed=False) == pytest.approx(best)
