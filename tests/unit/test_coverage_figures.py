"""Coverage figures and findings from small hand-made tables."""

from datetime import date

import numpy as np
import pandas as pd

from gridmgmt.analysis.coverage import (
    area_counts,
    branch_members,
    branch_table,
    firms_without_org,
    leadership,
    resident_postings,
)
from gridmgmt.domain.branch_rules import CoverageRules
from gridmgmt.domain.postings import PostingRules

# Village 1: groups 11 (three households) and 12 (two households, no member).
HOUSEHOLDS = pd.DataFrame(
    {"id": [1, 2, 3, 4, 5], "village_id": [1] * 5, "group_id": [11, 11, 11, 12, 12], "member_count": [4, 3, 2, 5, 1]}
)
# Org 1 党委 → branch 2 (committee 3) → 党小组 3; branch 4 (committee 0); branch 5 in a firm.
ORGS = pd.DataFrame(
    {
        "id": [1, 2, 3, 4, 5],
        "parent_id": [None, 1, 2, 1, 1],
        "village_id": [None, 1, 1, 1, 1],
        "code": list("ABCDE"),
        "name": ["党委", "一支部", "第一党小组", "二支部", "企业支部"],
        "org_type": ["party_committee", "branch", "party_group", "branch", "branch"],
        "field": ["rural"] * 4 + ["enterprise"],
        "committee_size": [7, 3, 0, 0, 0],
    }
)
# Branch 2: two of its own members and five in its 党小组 (one probationary): 6 full of 7.
# Branch 4: seven full members. Branch 5: two members without a household.
MEMBERS = pd.DataFrame(
    {
        "id": range(1, 17),
        "party_org_id": [2, 2, 3, 3, 3, 3, 3] + [4] * 7 + [5, 5],
        "household_id": [1, 1, 2, 2, 2, 3, 3] + [1, 2, 3, 1, 2, 3, 1] + [None, None],
        "status": ["full"] * 6 + ["probationary"] + ["full"] * 9,
    }
)


def test_area_counts_by_group():
    table = area_counts(HOUSEHOLDS, MEMBERS, "group_id")
    assert table.loc[
        11, ["households", "residents", "members", "full", "probationary", "party_households"]
    ].tolist() == [3, 9, 14, 13, 1, 3]
    assert table.per_100[11] == round(100 * 14 / 3, 1)
    # Group 12 has households but no party member: a 空白组.
    assert table.loc[12, ["households", "residents", "members", "party_households", "per_100"]].tolist() == [
        2,
        6,
        0,
        0,
        0.0,
    ]


def test_branch_members_fold_party_groups_into_their_branch():
    assert branch_members(ORGS, MEMBERS).tolist() == [2] * 7 + [4] * 7 + [5, 5]


def test_branch_table_applies_committee_and_split_rules():
    spread = pd.DataFrame({"spread_m": [120.0, 900.0], "settlements": [1, 3]}, index=[2, 4])
    table = branch_table(ORGS, MEMBERS, spread, CoverageRules())
    assert table.index.tolist() == [2, 4, 5]
    assert table.loc[2, ["members", "full", "party_groups", "committee_size"]].tolist() == [7, 6, 1, 3]
    assert table.committee_rule.fillna("").tolist() == ["committee_not_allowed", "committee_missing", ""]
    # Branch 4 lives in three settlements and has no 党小组; branch 2 has one already.
    assert table.split_reasons.tolist() == [[], ["dispersed"], []]
    assert table.settlements[5] == 0 and np.isnan(table.spread_m[5])


def test_firms_and_coops_without_party_org():
    """000 一.3: 规上 firms without an org; others only when they could form a branch (or are unrecorded)."""
    firms = pd.DataFrame(
        {
            "id": [1, 2, 3, 4, 5],
            "kind": ["enterprise", "enterprise", "enterprise", "cooperative", "cooperative"],
            "above_scale": [True, True, False, False, False],
            "party_org_id": [None, 5, None, None, None],
            "full_members": [0, 3, 2, None, 1],
        }
    )
    found = firms_without_org(firms, CoverageRules())
    assert found["firm_without_org"].id.tolist() == [1]  # small firm 3 has too few members for a branch
    assert found["coop_without_org"].id.tolist() == [4]  # co-op 5 has 1: none of its own asked


def test_leadership_exceptions():
    cadres = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "cadre_role": ["township_secretary", "township_leader", "township_leader", "township_cadre"],
        }
    )
    postings = pd.DataFrame(
        {
            "cadre_id": [1, 2, 2, 4, 9],
            "village_id": [1, 1, 2, 3, 2],
            "assignment": ["gua_dian", "gua_dian", "gua_dian", "bao_cun", "first_secretary"],
        }
    )
    villages = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "is_poverty_alleviated": [False, True, True, False],
            "is_revitalization_focus": [False] * 4,
            "is_weak_org": [False, False, False, True],
        }
    )
    found = leadership(cadres, postings, villages)
    # Leader 2 has two villages, leader 3 none; the secretary has one.
    assert found["leader_posting"].id.tolist() == [2, 3]
    assert found["leader_posting"].villages_posted.tolist() == [2, 0]
    assert found["village_uncovered"].id.tolist() == [4]
    assert found["first_secretary_missing"].id.tolist() == [3, 4]
    assert found["first_secretary_missing"].designations.tolist() == ["脱贫村", "软弱涣散村"]


def test_resident_postings():
    """003 二.1“队员一般不少于 2 人” and “任期两年”: village 2 (脱贫村) has one team member, village 3
    (脱贫村) two; first secretary 5's term (from 2024-03-01) ends 2026-02-28, within 60 days of
    2026-01-15; member 6's (from 2023-06-01) ended 2025-05-31 and he is still posted."""
    cadres = pd.DataFrame(
        {
            "id": [5, 6, 7, 8],
            "code": ["C5", "C6", "C7", "C8"],
            "name": ["甲", "乙", "丙", "丁"],
            "cadre_role": ["first_secretary", "work_team", "work_team", "work_team"],
        }
    )
    postings = pd.DataFrame(
        {
            "cadre_id": [5, 6, 7, 8],
            "village_id": [2, 2, 3, 3],
            "assignment": ["first_secretary", "work_team", "work_team", "work_team"],
            "start_date": [date(2024, 3, 1), date(2023, 6, 1), date(2025, 1, 1), date(2025, 1, 1)],
            "end_date": [None, None, None, None],
        }
    )
    villages = pd.DataFrame({"id": [1, 2, 3], "is_poverty_alleviated": [False, True, True]})
    found = resident_postings(cadres, postings, villages, date(2026, 1, 15), PostingRules())
    assert found["work_team_short"].id.tolist() == [2]
    assert found["work_team_short"].work_team.tolist() == [1]
    term = found["resident_term"]
    assert list(zip(term.code, term.term_end, term.finding)) == [
        ("C6", date(2025, 5, 31), "term_over"),
        ("C5", date(2026, 2, 28), "term_ending"),
    ]
