"""The 组织生活 tables put what is not 达标 first (seed 002 第一篇 二(三): the standard a leader checks)."""

from datetime import date

import pandas as pd

from gridmgmt.readmodels import OrgLife
from gridmgmt.reports.org_life_workbook import branch_rows, group_rows


def _life() -> OrgLife:
    branches = pd.DataFrame(
        {"village": ["东村", "西村", "南村"], "code": ["P1", "P2", "P3"], "name": ["甲", "乙", "丙"]}
        | {"committee_size": [5, 3, 0], "met": [True, False, True], "missing": [None, "2026年5月主题党日", None]}
    )
    groups = pd.DataFrame(
        {"village": ["东村", "东村"], "code": ["G1", "G2"], "name": ["一组", "二组"], "branch": ["甲", "甲"]}
        | {"held": [3, 1], "met": [True, False], "missing": [None, "2026年5月、6月"]}
    )
    return OrgLife("441624100000", "太溪镇", date(2026, 4, 1), date(2026, 6, 30), branches, pd.DataFrame(), groups)


def test_branches_and_groups_not_up_to_standard_come_first_the_rest_as_they_were():
    life = _life()
    assert list(branch_rows(life).code) == ["P2", "P1", "P3"]
    assert list(branch_rows(life).met) == ["未达标", "达标", "达标"]
    assert list(group_rows(life).code) == ["G2", "G1"]
