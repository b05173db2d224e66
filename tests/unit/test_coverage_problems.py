"""The coverage page's problem sections and how its values read."""

from datetime import date

import pandas as pd

from gridmgmt.domain.branch_rules import HOUSEHOLD_RULES, RULE_SECTIONS, RULES
from gridmgmt.services.coverage.problems import text


def test_every_rule_is_in_one_section_structural_first_distances_last():
    """Issue 19: 空白组, 支委会, 党小组, 两新组织, postings, then the households 离…过远."""
    listed = [rule for _title, rules in RULE_SECTIONS for rule in rules]
    assert sorted(listed) == sorted(RULES) and len(listed) == len(set(listed))
    titles = [title for title, _rules in RULE_SECTIONS]
    assert titles[:5] == ["空白组（空白村）", "支委会", "党小组", "两新组织", "挂点、第一书记与包村"]
    assert RULE_SECTIONS[0][1][0] == "blank_group" and RULE_SECTIONS[-1][1] == HOUSEHOLD_RULES


def test_missing_values_read_as_nothing():
    for missing in (None, float("nan"), pd.NaT, float("inf")):
        assert text(missing) == ""
    assert (text(True), text(False), text(12.4), text(7), text(date(2026, 3, 1))) == (
        "是",
        "否",
        "12",
        "7",
        "2026-03-01",
    )
