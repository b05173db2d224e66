"""The nearest feasible split or merge within the band (001 §11 网格化; GridRules' 100–200),
on hand-checked workloads."""

import pytest

from gridmgmt.domain.grid_alternatives import Redivision, fits, merge_alternative, split_alternative
from gridmgmt.domain.grid_rules import GridRules

RULES = GridRules()  # band 100–200


def test_fits_is_the_mean_inside_the_bounds():
    assert fits(200, 2, RULES) and fits(400, 2, RULES) and fits(150, 1, RULES)
    assert not fits(199, 2, RULES) and not fits(401, 2, RULES) and not fits(150, 0, RULES)


def test_a_split_too_small_takes_in_the_heaviest_neighbour():
    # 142 / 2 = 71 < 100; with B: (142 + 180) / 3 = 107.3 fits.
    found = split_alternative("A", 142, {"B": 180, "C": 120}, RULES)
    assert (found.cells, found.into) == (("A", "B"), 3) and found.mean == pytest.approx(322 / 3)
    assert found.text == "将网格 A、B 共 2 个重新划分为 3 个（每格工作量约 107）"


def test_a_split_takes_in_as_many_neighbours_as_it_needs():
    # + B: 252 / 3 = 84; + C: 357 / 4 = 89.3; + D: 547 / 5 = 109.4 fits.
    found = split_alternative("A", 142, {"B": 110, "C": 105, "D": 190}, RULES)
    assert (found.cells, found.into) == (("A", "D"), 3)  # heaviest first: (142 + 190) / 3 = 110.7
    found = split_alternative("A", 142, {"B": 110, "C": 105, "D": 101}, RULES)
    assert found is None  # 142+110=252/3=84; +105=357/4=89; +101=458/5=91.6: nothing fits


def test_a_heavy_cell_is_cut_into_three():
    # 330 / 3 = 110 fits, so its neighbours are left alone.
    assert split_alternative("A", 330, {"B": 190}, RULES) == Redivision(("A",), 3, 110.0)


def test_a_merge_too_heavy_takes_in_the_lightest_neighbour():
    # 150 + 129 = 279 > 200; with D (90): 369 / 2 = 184.5 fits.
    found = merge_alternative("A", "B", (150, 129), {"C": 120, "D": 90}, RULES)
    assert found == Redivision(("A", "B", "D"), 2, 184.5)
    assert found.as_dict()["text"] == "将网格 A、B、D 共 3 个重新划分为 2 个（每格工作量约 184）"


def test_a_merge_with_no_room_has_no_alternative():
    # 190 * 3 / 2 = 285 > 200, and no neighbours at all.
    assert merge_alternative("A", "B", (190, 190), {"C": 190}, RULES) is None
    assert merge_alternative("A", "B", (190, 190), {}, RULES) is None
