"""Grid rules: cell counts, bands, bounds and the stale-version check."""

import pytest

from gridmgmt.domain.errors import UserError
from gridmgmt.domain.grid_rules import (
    GridError,
    GridRules,
    PlanNotFound,
    StaleCell,
    check_bounds,
    check_versions,
    redraw_refusal,
)


def test_cell_count_is_nearest_to_target_within_bounds():
    rules = GridRules(target=150, min_workload=100, max_workload=200)
    assert rules.cell_count(0) == 0
    assert rules.cell_count(60) == 1  # a village smaller than one cell
    assert rules.cell_count(237) == 2  # 118.5 each, not 237 in one
    assert rules.cell_count(1000) == 7  # 142.9 each
    assert rules.cell_count(210) == 2  # one cell would exceed 200


def test_cell_count_keeps_cells_above_minimum_when_it_can():
    rules = GridRules(target=150, min_workload=140, max_workload=400)
    assert rules.cell_count(270) == 1  # two cells of 135 would fall below 140


def test_band_is_tolerance_around_mean_clipped_to_bounds():
    rules = GridRules(target=150, min_workload=100, max_workload=200, tolerance=0.1)
    assert rules.band(150) == pytest.approx((135, 165))
    assert rules.band(105) == pytest.approx((100, 115.5))
    assert rules.band(60) == pytest.approx((60, 66))  # never asked to shed below its own mean


def test_workload_weighs_must_visit_households_extra():
    assert GridRules(must_visit_extra=0.5).workload(True) == 1.5
    assert GridRules().workload(False) == 1.0


def test_rules_refuse_inconsistent_bounds():
    with pytest.raises(GridError, match="下限"):
        GridRules(target=90, min_workload=100)


def test_check_bounds_refuses_only_a_worse_out_of_bounds_cell():
    rules = GridRules()
    check_bounds(rules, "A", 120, 101)
    check_bounds(rules, "A", 90, 95)  # below the floor but better than before
    with pytest.raises(GridError, match="低于下限"):
        check_bounds(rules, "A", 120, 99)
    with pytest.raises(GridError, match="超过上限"):
        check_bounds(rules, "A", 190, 201)


def test_check_versions_names_the_changed_cells():
    check_versions({"A": 2, "B": 1}, {"A": 2, "B": 1, "C": 5})
    with pytest.raises(StaleCell) as err:
        check_versions({"A": 2, "B": 1}, {"A": 3, "B": 1})
    assert err.value.changed == {"A": 3}
    assert "A（当前版本 3）" in str(err.value)
    with pytest.raises(StaleCell, match="B（已删除）"):
        check_versions({"B": 1}, {})


def test_rules_stored_and_read_back():
    rules = GridRules(target=120, min_workload=80, max_workload=140, liaison_capacity=5)
    assert GridRules.from_dict(rules.as_dict()) == rules
    older = {k: v for k, v in rules.as_dict().items() if k != "barrier_cut"}  # stored before a setting existed
    assert GridRules.from_dict(older).barrier_cut == GridRules().barrier_cut


def test_grid_refusals_are_user_errors_with_their_status():
    # web.errors and the CLI answer any UserError; `except ValueError` callers keep working.
    refusals = {GridError("规则"): 400, PlanNotFound(7): 404, StaleCell({"W01": 2}): 409}
    for refusal, status in refusals.items():
        assert isinstance(refusal, UserError) and isinstance(refusal, GridError) and isinstance(refusal, ValueError)
        assert refusal.status == status
    assert str(PlanNotFound(7)) == "没有编号为 7 的网格方案"


def test_only_a_plan_in_force_drawn_the_old_way_is_redrawn():
    """A draft or published plan drawn by households is redrawn; one along the groups' lines needs none, an
    archived one is a record, and a file's outlines would be lost."""
    assert redraw_refusal(3, "households", "draft") is None
    assert redraw_refusal(3, "households", "published") is None
    assert redraw_refusal(3, "groups", "published") == "方案 3 的网格边界已沿村民小组界线画出，无需重画"
    assert redraw_refusal(3, "households", "archived") == "方案 3 已归档：其网格边界是当时实行的记录，不再重画"
    assert redraw_refusal(3, "file", "draft").startswith("方案 3 的网格边界来自导入的网格面文件")
