"""The organisation cases planted in the default demo township (seed 1) show up in its coverage
report, checked against pandas on the generated tables; passing a 换届 date and missing a
主题党日 each change the report."""

from datetime import date, timedelta

import pandas as pd
import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from gridmgmt.db.models import OrgMeeting
from gridmgmt.domain.branch_rules import CoverageRules
from gridmgmt.services.coverage.report import township_coverage
from tests.integration.demo_town import CODE, default_demo

UNTIL = date(2026, 7, 1)
LAST_QUARTER = (date(2026, 4, 1), date(2026, 6, 30))
ELECTED = ["party_committee", "general_branch", "branch"]


def _report(session, rules=CoverageRules(), today=UNTIL):
    return township_coverage(session, CODE, rules, with_reach=False, day=today)


@pytest.fixture(scope="module")
def demo(engine):
    """(generated tables, coverage report on UNTIL) of the demo township in the test database."""
    with default_demo(engine, UNTIL, _report) as loaded:
        yield loaded


def _plus_years(days: pd.Series, years: int) -> pd.Series:
    """DAYS moved by YEARS (pandas' calendar arithmetic, not ours)."""
    return (pd.to_datetime(days) + pd.DateOffset(years=years)).dt.date


def test_elections_overdue_due_and_unrecorded(demo):
    """001 §18 按期换届提醒: one org past its date, one within 90 days, one with no date."""
    t, report = demo
    orgs = t["party_org"][t["party_org"].org_type.isin(ELECTED)]
    dated = orgs.dropna(subset=["elected_on"])
    due = _plus_years(dated.elected_on, 5)
    assert report.findings["election_overdue"].code.tolist() == dated.code[due < UNTIL].tolist()
    soon = (due >= UNTIL) & (due <= UNTIL + timedelta(days=90))
    assert report.findings["election_due"].code.tolist() == dated.code[soon].tolist()
    assert report.findings["election_unrecorded"].code.tolist() == orgs.code[orgs.elected_on.isna()].tolist()
    assert len(report.findings["election_overdue"]) == len(report.findings["election_due"]) == 1


def test_passing_the_election_date_changes_the_report(demo, engine):
    """001 §18: the org reminded today is overdue the day after its 换届 date."""
    _, report = demo
    reminded = report.findings["election_due"].iloc[0]
    with Session(engine) as session:
        on_the_day = _report(session, today=reminded.due_on)
        after = _report(session, today=reminded.due_on + timedelta(days=1))
    assert reminded.code in on_the_day.findings["election_due"].code.tolist()
    assert reminded.code not in on_the_day.findings["election_overdue"].code.tolist()
    assert reminded.code in after.findings["election_overdue"].code.tolist()


def test_probation_overdue(demo):
    """党章 预备期一年: the planted 预备党员 who joined 400 days ago is overdue for 转正."""
    t, report = demo
    members = t["party_member"]
    waiting = members[(members.status == "probationary") & (_plus_years(members.joined_on, 1) < UNTIL)]
    found = report.findings["probation_overdue"]
    assert found.code.tolist() == waiting.code.tolist() and len(found) == 1
    assert found.days.tolist() == [-35]


def test_firms_flagged_with_the_branch_condition(demo):
    """000 一.3: 规上 enterprises without an org, and co-ops with 3+ full members and no branch."""
    t, report = demo
    firms = t["economic_org"][t["economic_org"].party_org_id.isna()]
    coops = firms[(firms.kind == "cooperative") & (firms.full_members >= 3)]
    assert report.findings["coop_without_org"].code.tolist() == coops.code.tolist() and len(coops) == 1
    assert report.findings["coop_without_org"].can_form_branch.tolist() == [True]
    flagged = report.findings["firm_without_org"]
    assert flagged.above_scale.all() and (flagged.can_form_branch == (flagged.full_members >= 3)).all()


def test_a_group_whose_members_work_away_is_blank_unless_counted(demo, engine):
    """000 三.3 流动党员: the planted group of members all away is a 空白组 by default, not when counted."""
    t, report = demo
    members = t["party_member"]
    group = members.household_id.map(t["household"].set_index("id").group_id)
    away = set(group[members.is_mobile]) - set(group[~members.is_mobile])
    codes = set(t["village_group"].set_index("id").code[sorted(away)])
    assert codes and codes <= set(report.findings["blank_group"].code)
    with Session(engine) as session:
        counted = _report(session, CoverageRules(count_mobile=True))
    assert not codes & set(counted.findings["blank_group"].code)
    assert report.groups.mobile.sum() == members.is_mobile[members.household_id.notna()].sum()


def test_one_help_one(demo):
    """004 三(二) 一帮一: capable members without a pairing by name; 困难 households without a helper as counts."""
    t, report = demo
    members, homes, pairs = t["party_member"], t["household"], t["help_pairing"]
    capable = members[
        (members.status == "full")
        & ~members.is_mobile
        & members.household_id.notna()
        & (UNTIL.year - members.birth_year).between(18, 65)
    ]
    unpaired = capable[~capable.id.isin(pairs.party_member_id)]
    assert sorted(report.findings["helper_unpaired"].code) == sorted(unpaired.code) and len(unpaired) >= 1
    hardship = homes[homes.hardship]
    alone = hardship[~hardship.id.isin(pairs.household_id)]
    assert report.township["hardship_unhelped"] == len(alone) >= 1
    by_village = alone.village_id.value_counts()
    assert report.villages.hardship_unhelped.to_dict() == by_village.reindex(report.villages.index).fillna(0).to_dict()


def test_missing_a_theme_day_changes_the_report(demo, engine):
    """002 二(三)3 每月主题党日: the planted branch missed one last quarter; deleting another branch's
    主题党日 makes that branch miss too (the report's own rollback restores it)."""
    t, report = demo
    meetings = t["org_meeting"]
    last = meetings[meetings.held_on.between(*LAST_QUARTER)]
    missed = report.findings["org_life_missed"]
    assert len(missed) == 1
    org_id = int(missed.org_id.iat[0])
    held = set(last.held_on[(last.party_org_id == org_id) & (last.meeting_type == "theme_day")].map(lambda d: d.month))
    assert missed.missing.iat[0] == "".join(f"2026年{m}月主题党日" for m in {4, 5, 6} - held)
    other = last[(last.party_org_id != org_id) & (last.meeting_type == "theme_day")].iloc[0]
    with Session(engine) as session:
        session.execute(delete(OrgMeeting).where(OrgMeeting.client_id == other.client_id))
        changed = _report(session)
        again = _report(session)
    assert set(changed.findings["org_life_missed"].org_id) == {org_id, other.party_org_id}
    assert f"2026年{other.held_on.month}月主题党日" in changed.findings["org_life_missed"].missing.tolist()
    assert set(again.findings["org_life_missed"].org_id) == {org_id}
