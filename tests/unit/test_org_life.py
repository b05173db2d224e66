"""组织生活 (002 第一篇 二(三)1 and 3: 三会一课 and 主题党日) on hand-made meeting lists."""

from datetime import date

import pandas as pd

from gridmgmt.analysis.orgs import group_meeting_table, org_life_missed, org_life_table
from gridmgmt.domain.org_life import (
    group_gaps,
    last_whole_quarter,
    org_life_gaps,
    org_life_met,
    period_label,
    periods_in,
    required_types,
)

Q3 = (date(2026, 7, 1), date(2026, 9, 30))


def _full_quarter(has_committee: bool = True) -> list[tuple[str, date]]:
    """Every meeting a branch owes in the third quarter of 2026."""
    meetings = [("general_meeting", date(2026, 8, 20)), ("party_lecture", date(2026, 9, 3))]
    for month in (7, 8, 9):
        meetings.append(("theme_day", date(2026, month, 10)))
        if has_committee:
            meetings.append(("committee_meeting", date(2026, month, 5)))
    return meetings


def test_periods_are_whole_months_and_quarters():
    """002 二(三)1 每月 / 每季度: only months and quarters wholly inside the period are owed."""
    assert periods_in(date(2026, 7, 1), date(2026, 9, 30), "quarter") == [(date(2026, 7, 1), date(2026, 9, 30))]
    assert periods_in(date(2026, 7, 15), date(2026, 9, 30), "month") == [
        (date(2026, 8, 1), date(2026, 8, 31)),
        (date(2026, 9, 1), date(2026, 9, 30)),
    ]
    assert periods_in(date(2026, 8, 1), date(2026, 12, 31), "quarter") == [(date(2026, 10, 1), date(2026, 12, 31))]
    assert periods_in(date(2026, 12, 1), date(2027, 1, 31), "month")[1] == (date(2027, 1, 1), date(2027, 1, 31))
    assert last_whole_quarter(date(2026, 7, 1)) == (date(2026, 4, 1), date(2026, 6, 30))
    assert last_whole_quarter(date(2026, 2, 10)) == (date(2025, 10, 1), date(2025, 12, 31))


def test_a_full_quarter_is_met():
    """002 二(三)1「每季度召开 1 次党员大会、每月至少召开 1 次支部委会会议……每季度为党员上 1 次党课」, 二(三)3 主题党日."""
    assert org_life_met(_full_quarter(), *Q3)
    assert org_life_gaps(_full_quarter(), *Q3, has_committee=True) == []


def test_missing_a_theme_day_fails_the_quarter():
    """002 二(三)3「每月相对固定 1 天开展主题党日」: one month without it and the branch misses its 组织生活."""
    meetings = [m for m in _full_quarter() if m != ("theme_day", date(2026, 8, 10))]
    assert not org_life_met(meetings, *Q3)
    assert org_life_gaps(meetings, *Q3, has_committee=True) == [("theme_day", date(2026, 8, 1), "")]
    assert period_label("theme_day", date(2026, 8, 1)) == "2026年8月主题党日"
    # Two in July do not make up for August.
    assert not org_life_met([*meetings, ("theme_day", date(2026, 7, 25))], *Q3)


def test_quarterly_meetings_and_committees():
    """002 二(三)1: 党员大会 and 党课 once a quarter; 支委会 monthly only where a committee exists (002 二(二)4)."""
    no_lecture = [m for m in _full_quarter() if m[0] != "party_lecture"]
    assert org_life_gaps(no_lecture, *Q3, has_committee=True) == [("party_lecture", date(2026, 7, 1), "")]
    assert period_label("party_lecture", date(2026, 7, 1)) == "2026年第3季度党课"
    secretary_only = _full_quarter(has_committee=False)
    assert org_life_met(secretary_only, *Q3, has_committee=False)
    assert not org_life_met(secretary_only, *Q3, has_committee=True)
    # Meetings outside the period do not count.
    assert not org_life_met([(k, d.replace(year=2025)) for k, d in _full_quarter()], *Q3)


def test_branches_that_missed_are_listed_with_what_they_missed():
    """002 二(三): each branch's 组织生活 over a quarter, the missing meetings named."""
    branches = pd.DataFrame(
        {"code": ["A", "B"], "name": ["甲", "乙"], "village_id": [1, 1], "committee_size": [3, 0]}, index=[1, 2]
    )
    held = [(1, kind, day) for kind, day in _full_quarter()] + [(2, kind, day) for kind, day in _full_quarter(False)]
    meetings = pd.DataFrame(held, columns=["party_org_id", "meeting_type", "held_on"])
    assert org_life_missed(branches, meetings, *Q3).empty
    fewer = meetings[~((meetings.party_org_id == 2) & (meetings.meeting_type == "general_meeting"))]
    missed = org_life_missed(branches, fewer, *Q3)
    assert missed.code.tolist() == ["B"] and missed.missing.tolist() == ["2026年第3季度党员大会"]


def test_no_branches_no_findings():
    """002 二(三): a township with no branch yet has nothing to miss (and the table keeps its columns)."""
    branches = pd.DataFrame({"code": [], "name": [], "village_id": [], "committee_size": []})
    meetings = pd.DataFrame({"party_org_id": [], "meeting_type": [], "held_on": []})
    missed = org_life_missed(branches, meetings, *Q3)
    assert missed.empty and {"org_id", "code", "missing"} <= set(missed.columns)


def test_each_party_group_holds_a_group_meeting_every_month():
    """002 二(三)1「每月至少组织召开 1 次党小组会议」 (000 三.2「每月召开一次……党小组会」): each 党小组 of a
    branch owes its own 党小组会 every month; a month one group missed fails the branch, naming the group."""
    groups = {"第1党小组": [date(2026, 7, 8), date(2026, 8, 8), date(2026, 9, 8)], "第2党小组": [date(2026, 7, 9)]}
    assert org_life_gaps(_full_quarter(), *Q3, True, groups) == [
        ("group_meeting", date(2026, 8, 1), "第2党小组"),
        ("group_meeting", date(2026, 9, 1), "第2党小组"),
    ]
    assert period_label("group_meeting", date(2026, 8, 1), "第2党小组") == "2026年8月党小组会（第2党小组）"
    assert not org_life_met(_full_quarter(), *Q3, True, groups)
    # A meeting of the other group, or two in one month, does not stand in for the missing one.
    groups["第2党小组"] += [date(2026, 7, 20)]
    assert len(org_life_gaps(_full_quarter(), *Q3, True, groups)) == 2
    groups["第2党小组"] += [date(2026, 8, 3), date(2026, 9, 30)]
    assert org_life_met(_full_quarter(), *Q3, True, groups)
    # A branch without 党小组 owes no 党小组会, and group meetings are not the branch's own types.
    assert org_life_met(_full_quarter(), *Q3, True, {})
    assert "group_meeting" not in required_types(True)
    assert group_gaps("第3党小组", [], *Q3) == [("group_meeting", date(2026, m, 1), "第3党小组") for m in (7, 8, 9)]


def test_group_meetings_count_for_their_branch_and_each_group_has_a_row():
    """002 二(三)1 党小组会: a group's meetings are counted under its branch; the group table says which
    months each group missed."""
    branches = pd.DataFrame({"code": ["A"], "name": ["甲"], "village_id": [1], "committee_size": [3]}, index=[1])
    groups = pd.DataFrame({"parent_id": [1, 1], "name": ["甲第1党小组", "甲第2党小组"]}, index=[11, 12])
    held = [(1, kind, day) for kind, day in _full_quarter()]
    held += [(11, "group_meeting", date(2026, m, 8)) for m in (7, 8, 9)] + [(12, "group_meeting", date(2026, 7, 9))]
    meetings = pd.DataFrame(held, columns=["party_org_id", "meeting_type", "held_on"])
    table = org_life_table(branches, meetings, *Q3, groups)
    assert table.group_meeting.tolist() == [4] and table.theme_day.tolist() == [3]
    assert table.missing.tolist() == ["2026年8月党小组会（甲第2党小组）、2026年9月党小组会（甲第2党小组）"]
    rows = group_meeting_table(groups, meetings, *Q3)
    assert rows.held.tolist() == [3, 1] and rows.met.tolist() == [True, False]
    assert rows.missing.tolist() == ["", "2026年8月、2026年9月"]
    # Without the group table, the branch alone met its own meetings.
    assert org_life_missed(branches, meetings[meetings.party_org_id == 1], *Q3).empty
