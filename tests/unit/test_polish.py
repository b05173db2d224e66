"""The polish on hand-checked lattices of unit squares (one household per square)."""

import numpy as np
import shapely

from gridmgmt.analysis import polish as polish_module
from gridmgmt.analysis.grid_cells import build_mesh, dissolve
from gridmgmt.analysis.partition import site_graph
from gridmgmt.analysis.polish import Polisher, neighbours, polish, stays_connected


def _lattice(width, height, weight=None, group=None):
    """Mesh and graph of unit squares, given per square row by row from the bottom left;
    also ORDER, the site of each square (the mesh numbers its sites by x first)."""
    xy = np.array([(x + 0.5, y + 0.5) for y in range(height) for x in range(width)])
    mesh = build_mesh(xy, shapely.box(0, 0, width, height))
    order = mesh.site_of
    weight = np.ones(len(xy)) if weight is None else np.asarray(weight, float)
    group = np.zeros(len(xy), int) if group is None else np.asarray(group)
    return mesh, site_graph(mesh, weight, group), order


def _sites(order, per_square):
    """Per-square values as per-site values."""
    out = np.empty(len(order), int)
    out[order] = per_square
    return out


def _polish(graph, labels, low, high, movable=(True, True)):
    k = len(low)
    return polish(
        graph,
        [np.asarray(labels)],
        np.full(k, graph.weight.sum() / k),
        np.asarray(low, float),
        np.asarray(high, float),
        np.asarray(movable),
    )


def test_the_one_obvious_move_makes_two_squares():
    # 2 × 4 lattice; cell 0 holds the left 2 × 2 and square 2 (bottom row, third column).
    mesh, graph, order = _lattice(4, 2)
    start = _sites(order, [0, 0, 0, 1, 0, 0, 1, 1])
    out = _polish(graph, start, [3, 3], [5, 5])
    assert list(out[order]) == [0, 0, 1, 1, 0, 0, 1, 1]
    cells = dissolve(mesh, out, 2)
    assert shapely.equals(cells[0], shapely.box(0, 0, 2, 2)) and shapely.equals(cells[1], shapely.box(2, 0, 4, 2))


def test_perimeters_follow_the_moves_exactly():
    mesh, graph, order = _lattice(4, 3)
    start = _sites(order, [0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1, 1])
    p = Polisher(graph, start.copy(), np.array([6.0, 6.0]), np.zeros(2), np.full(2, 12.0), np.ones(2, bool))
    p.run(3)
    cells = dissolve(mesh, p.labels, 2)
    assert np.allclose(p.perimeter, shapely.length(cells)) and np.allclose(p.area, shapely.area(cells))


def test_a_move_that_would_disconnect_the_donor_is_refused():
    # 3 × 2 lattice: cell 0 is a U around cell 1 (top middle). Only the bottom middle square
    # (the U's joint) is light enough for cell 1's bound, and moving it cuts the U in two.
    mesh, graph, order = _lattice(3, 2, weight=[1, 1, 1, 3, 1, 3])
    start = _sites(order, [0, 0, 0, 0, 1, 0])
    ptr, nbr, _ = neighbours(graph.edges, len(graph.xy), graph.shared_m)
    assert not stays_connected(start, ptr, nbr, int(order[1]))
    assert stays_connected(start, ptr, nbr, int(order[3]))
    out = _polish(graph, start, [0, 0], [10, 2])
    assert (out == start).all()


def test_locked_cells_do_not_change():
    mesh, graph, order = _lattice(4, 2)
    start = _sites(order, [0, 0, 0, 1, 0, 0, 1, 1])
    assert (_polish(graph, start, [3, 3], [5, 5], movable=(True, False)) == start).all()


def test_a_whole_group_is_split_only_when_that_gains_more_than_the_split_costs(monkeypatch):
    # The obvious move of the first test, with each cell's squares one village group:
    # squaring the cells off balances them (gain 12.5 + 0.75 in shape) but splits group 1.
    start = [0, 0, 0, 1, 0, 0, 1, 1]
    mesh, graph, order = _lattice(4, 2, group=start)
    squared = [0, 0, 1, 1, 0, 0, 1, 1]
    assert list(_polish(graph, _sites(order, start), [3, 3], [5, 5])[order]) == squared
    monkeypatch.setattr(polish_module, "SPLIT_GROUP", 14.0)
    assert list(_polish(graph, _sites(order, start), [3, 3], [5, 5])[order]) == start
