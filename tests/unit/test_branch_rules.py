"""Branch rules (002 第一篇 二(二)3–4) and leadership rules on hand-made cases."""

import pytest

from gridmgmt.domain.branch_rules import (
    RULES,
    CoverageRules,
    committee_finding,
    designations_of,
    leader_posting_finding,
    split_reasons,
)

R = CoverageRules()


@pytest.mark.parametrize(
    "full, committee, expected",
    [
        (7, 0, "committee_missing"),  # 7 full members and no committee
        (6, 3, "committee_not_allowed"),  # 6 members with a committee
        (6, 0, None),  # secretary only: right
        (7, 3, None),
        (40, 5, None),
        (12, 7, "committee_size"),
        (9, 2, "committee_size"),
        (0, 0, None),
    ],
)
def test_committee(full, committee, expected):
    assert committee_finding(full, committee, R) == expected
    assert expected is None or expected in RULES


def test_committee_threshold_is_configurable():
    assert committee_finding(7, 0, CoverageRules(committee_from_full=8)) is None


def test_split_by_size_and_settlements():
    """002 二(二)3 “党员人数较多……应当划分若干党小组”: above split_above (14 by default, two groups
    of the seed's practice of about 7) or dispersed over 3 settlements."""
    assert split_reasons(15, 1, False, R) == ["size"]
    assert split_reasons(14, 2, False, R) == []
    assert split_reasons(12, 3, False, R) == ["dispersed"]
    assert split_reasons(34, 4, False, R) == ["size", "dispersed"]
    assert split_reasons(20, 1, False, CoverageRules(split_above=30)) == []
    # A branch that already has 党小组 is not asked to split again.
    assert split_reasons(60, 5, True, R) == []


def test_leader_posting_and_designations():
    assert [leader_posting_finding(n) for n in (0, 1, 2)] == ["leader_posting", None, "leader_posting"]
    assert designations_of({"is_poverty_alleviated": True, "is_weak_org": True}) == ["脱贫村", "软弱涣散村"]
    assert designations_of({"is_revitalization_focus": False}) == []
