"""Tour order over a road cost matrix: exact on small cases, heuristic on larger ones."""
import math
from itertools import permutations

import numpy as np

from gridmgmt.analysis.tour import EXACT_MAX, order_tour, path_cost


def line_matrix(xs):
    xs = np.asarray(xs, float)
    return np.abs(xs[:, None] - xs[None, :])


def test_line_is_walked_outwards_from_the_nearer_end():
    # Seat at 0; sites at 6, −1, 4: −1 first then 4, 6 costs 1 + 5 + 2 = 8;
    # 4 first costs 4 + 2 + 7 = 13.
    cost = line_matrix([0, 6, -1, 4])
    order, exact = order_tour(cost)
    assert exact and order == [0, 2, 3, 1]
    assert path_cost(cost, order) == 8.0


def test_exact_matches_brute_force():
    rng = np.random.default_rng(3)
    pts = rng.random((8, 2)) * 1000
    cost = np.hypot(*(pts[:, None] - pts[None]).transpose(2, 0, 1))
    order, exact = order_tour(cost)
    brute = min(path_cost(cost, [0, *p]) for p in permutations(range(1, 8)))
    assert exact and math.isclose(path_cost(cost, order), brute)


def test_large_tours_use_the_heuristic_and_visit_everyone():
    n = EXACT_MAX + 4
    cost = line_matrix(np.arange(n) * 100.0)
    order, exact = order_tour(cost)
    assert not exact and sorted(order) == list(range(n)) and order[0] == 0
    assert path_cost(cost, order) == (n - 1) * 100.0


def test_trivial_tours():
    assert order_tour(np.zeros((1, 1))) == ([0], True)
    assert order_tour(np.array([[0, 5], [5, 0]])) == ([0, 1], True)
