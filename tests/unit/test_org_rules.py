"""Organisation rules (001 §18 换届, 党章 预备期, 000 一.3 firms, 000 三.3 流动党员, 004 三(二) 一帮一) on hand-made cases."""

from datetime import date

import pandas as pd

from gridmgmt.analysis import orgs as an
from gridmgmt.analysis.coverage import firms_without_org
from gridmgmt.domain.branch_rules import CoverageRules
from gridmgmt.domain.org_rules import (
    add_years,
    can_form_branch,
    capable_helper,
    due_status,
    election_due,
    firm_finding,
    present_in_group,
    probation_due,
)

R = CoverageRules()
TODAY = date(2026, 7, 1)


def test_election_falls_due_a_term_after_the_last_and_is_reminded():
    """001 §18「落实基层党组织按期换届提醒督促机制」: due 5 years on, reminded 90 days before, overdue after."""
    due = election_due(date(2021, 10, 1), 5)
    assert due == date(2026, 10, 1)
    assert due_status(due, date(2026, 7, 2), 90) is None  # 91 days ahead
    assert due_status(due, date(2026, 7, 3), 90) == "due_soon"  # 90 days ahead
    assert due_status(due, date(2026, 10, 1), 90) == "due_soon"  # the day itself
    assert due_status(due, date(2026, 10, 2), 90) == "overdue"


def test_passing_the_election_date_changes_the_finding():
    """001 §18 换届: the same org moves from the reminder list to the overdue list the day after its date."""
    orgs = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "code": ["A", "B", "G"],
            "name": ["甲支部", "乙支部", "甲第1党小组"],
            "org_type": ["branch", "branch", "party_group"],
            "elected_on": [date(2021, 7, 15), None, date(2021, 7, 15)],
            "term_years": [None, None, None],
        }
    )
    before = an.election_findings(orgs, date(2026, 7, 15), R)
    after = an.election_findings(orgs, date(2026, 7, 16), R)
    assert before["election_due"].code.tolist() == ["A"] and before["election_overdue"].empty
    assert after["election_overdue"].code.tolist() == ["A"] and after["election_due"].empty
    assert after["election_overdue"].days.tolist() == [-1]
    # No date: listed as unrecorded; a 党小组 holds no election.
    assert after["election_unrecorded"].code.tolist() == ["B"]
    # A term of its own (3 years) wins over the configured one.
    own = an.election_findings(orgs.assign(term_years=[3, None, None]), date(2024, 7, 16), R)
    assert own["election_overdue"].code.tolist() == ["A"]


def test_probation_falls_due_a_year_after_joining():
    """党章「预备期为一年」(002 预备党员转正): due a year after joining, 29 February to 28 February."""
    assert probation_due(date(2025, 6, 30)) == date(2026, 6, 30)
    assert probation_due(date(2024, 2, 29)) == date(2025, 2, 28)
    assert add_years(date(2020, 1, 31), 1) == date(2021, 1, 31)
    members = pd.DataFrame(
        {
            "code": ["P1", "P2", "P3", "F1"],
            "status": ["probationary", "probationary", "probationary", "full"],
            "joined_on": [date(2025, 6, 1), date(2025, 7, 20), date(2026, 1, 1), date(2020, 1, 1)],
        }
    )
    found = an.probation_findings(members, TODAY, R)
    assert found["probation_overdue"].code.tolist() == ["P1"] and found["probation_overdue"].days.tolist() == [-30]
    assert found["probation_due"].code.tolist() == ["P2"]


def test_firm_and_coop_flags_carry_the_branch_condition():
    """000 一.3「在具备单独建党支部条件的非公企业及时建立党组织，规模以上企业实现党组织100%覆盖」; 3 full members."""
    assert can_form_branch(3, 3) is True and can_form_branch(2, 3) is False and can_form_branch(None, 3) is None
    # 规上 without an org: flagged whatever its members.
    assert firm_finding("enterprise", True, False, 1, 3) == "firm_without_org"
    assert firm_finding("enterprise", True, True, 1, 3) is None
    # Below scale: flagged only when it could form its own branch.
    assert firm_finding("enterprise", False, False, 2, 3) is None
    assert firm_finding("enterprise", False, False, 3, 3) == "firm_without_org"
    assert firm_finding("cooperative", False, False, 2, 3) is None
    assert firm_finding("cooperative", False, False, 4, 3) == "coop_without_org"
    # Members not recorded: flagged so that someone records them.
    assert firm_finding("cooperative", False, False, None, 3) == "coop_without_org"
    firms = pd.DataFrame(
        {
            "code": ["F1", "F2", "C1", "C2"],
            "kind": ["enterprise", "enterprise", "cooperative", "cooperative"],
            "above_scale": [True, False, False, False],
            "full_members": [1, 5, 2, None],
            "party_org_id": [None, None, None, None],
        }
    )
    found = firms_without_org(firms, R)
    assert found["firm_without_org"].code.tolist() == ["F1", "F2"]
    assert found["firm_without_org"].can_form_branch.tolist() == [False, True]
    assert found["coop_without_org"].code.tolist() == ["C2"]


def test_mobile_members_are_not_present_by_default():
    """000 三.3 流动党员「离乡不离党」: a member working away does not count as present in their group (setting)."""
    assert present_in_group(is_mobile=True, count_mobile=False) is False
    assert present_in_group(is_mobile=False, count_mobile=False) is True
    assert present_in_group(is_mobile=True, count_mobile=True) is True
    members = pd.DataFrame({"id": [1, 2], "is_mobile": [True, False]})
    assert an.present(members, R).id.tolist() == [2]
    assert an.present(members, CoverageRules(count_mobile=True)).id.tolist() == [1, 2]


def test_party_group_thresholds_follow_the_seeds_practice():
    """002 二(二)3 and its 肃宁 example (10760 members in 1641 党小组, about 6.6 a group): groups of 7,
    split above two groups' worth."""
    assert R.group_size == 7 and R.split_above == 14
    assert round(10760 / 1641) == R.group_size


def test_capable_helpers():
    """004 三(二)「组织引导有帮带能力的党员至少结对帮扶1户建档立卡贫困户」: full, at home, not away, 18–65."""
    assert capable_helper("full", False, True, 50, 65)
    assert capable_helper("full", False, True, None, 65)
    assert not capable_helper("probationary", False, True, 50, 65)
    assert not capable_helper("full", True, True, 50, 65)  # working away
    assert not capable_helper("full", False, False, 50, 65)  # no household (a firm's member)
    assert not capable_helper("full", False, True, 70, 65)
    members = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "status": ["full", "full", "full"],
            "is_mobile": [False, False, False],
            "household_id": [10, 11, 12],
            "birth_year": [1980, 1950, 1990],
        }
    )
    assert an.unpaired_helpers(members, {3}, TODAY, R).id.tolist() == [1]
