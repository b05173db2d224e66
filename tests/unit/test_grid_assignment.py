"""Workers to cells and members to households, on hand-checked cost matrices."""

import numpy as np

from gridmgmt.analysis.grid_assignment import assign_workers, link_households


def test_each_cell_gets_its_nearest_worker_without_doubling_up():
    cost = np.array(
        [
            [0, 5, 9],  # worker 0 lives in cell 0
            [1, 0.5, 9],  # worker 1 is close to cells 0 and 1
            [9, 9, 2.0],
        ]
    )
    assert list(assign_workers(cost, capacity=1)) == [0, 1, 2]


def test_capacity_lets_one_worker_hold_two_cells_and_shortage_leaves_minus_one():
    cost = np.array([[1, 2, 3.0]])
    assert list(assign_workers(cost, capacity=2)) in ([0, 0, -1], [0, -1, 0], [-1, 0, 0])
    assert sorted(assign_workers(cost, capacity=2)) == [-1, 0, 0]
    assert list(assign_workers(np.zeros((0, 2)), capacity=1)) == [-1, -1]


def test_unreachable_worker_is_used_only_when_nobody_else_can():
    cost = np.array([[np.inf, 3.0], [1.0, 2.0]])
    assert list(assign_workers(cost, capacity=1)) == [1, 0]


def test_households_link_to_nearest_member_within_capacity():
    # Two members; member 0 is nearest to all three households but links at most two.
    cost = np.array([[1, 10], [2, 10], [3, 4.0]])
    assert list(link_households(cost, capacity=2)) == [0, 0, 1]


def test_too_few_members_link_priority_households_first():
    cost = np.array([[1.0], [2.0], [3.0]])
    linked = link_households(cost, capacity=1, first=np.array([False, False, True]))
    assert list(linked) == [-1, -1, 0]
    assert list(link_households(cost, capacity=2)) == [0, 0, -1]
    assert list(link_households(np.zeros((2, 0)), capacity=3)) == [-1, -1]
