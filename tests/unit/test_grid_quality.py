"""Quality figures on hand-checked cells."""

import math

import numpy as np
import pytest
import shapely

from gridmgmt.analysis.grid_quality import group_kept_share, polsby_popper, quality


def test_polsby_popper_of_square_and_strip():
    square, strip = shapely.box(0, 0, 10, 10), shapely.box(0, 0, 100, 1)
    assert polsby_popper([square, strip]) == pytest.approx([math.pi / 4, 4 * math.pi * 100 / 202**2])


def test_group_kept_share_counts_households_of_undivided_groups():
    cell = np.array([0, 0, 0, 1, 1, 1])
    group = np.array([7, 7, 8, 8, 9, -1])  # group 8 is split; -1 is no group
    assert group_kept_share(cell, group) == pytest.approx(4 / 6)


def test_quality_of_two_cells():
    cells = [shapely.box(0, 0, 10, 10), shapely.MultiPolygon([shapely.box(20, 0, 30, 10), shapely.box(40, 0, 50, 10)])]
    q = quality(cells, np.array([0, 0, 0, 1]), np.array([1, 1, 2, 2.0]), np.array([1, 1, 1, 2]), np.array([3, 3.0]))
    assert q.cells == 2 and q.households == 4
    assert q.workload_max_min == pytest.approx(2.0)
    assert q.workload_cv == pytest.approx(1 / 3)
    assert q.worst_deviation == pytest.approx(1 / 3)
    assert q.contiguous_share == 0.5
    assert q.group_kept_share == 1.0
    assert q.polsby_popper_worst < q.polsby_popper_mean < math.pi / 4 + 1e-9
