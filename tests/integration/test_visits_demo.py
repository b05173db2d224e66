"""The default demo township (seed 1): the gaps planted in its visit history show up in the
compliance report, checked against the generated tables themselves (pandas, not our code)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from gridmgmt.services.visits.compliance import township_compliance
from gridmgmt.services.visits.residence import township_residence
from gridmgmt.services.visits.workbook import report_tables
from tests.integration.demo_town import CODE, default_demo
from tests.integration.visit_fixtures import SETTINGS

UNTIL = date(2026, 7, 1)
DAY = date(2026, 6, 30)  # the last day of the generated history


@pytest.fixture(scope="module")
def demo(engine):
    """(generated tables, compliance on DAY) of the demo township loaded into the test database."""
    with default_demo(engine, UNTIL, lambda session: township_compliance(session, CODE, DAY, SETTINGS)) as loaded:
        yield loaded


def test_every_default_duty_has_done_and_missed_targets(demo):
    t, comp = demo
    summary = report_tables(comp)["职责汇总"].set_index("职责")
    assert len(summary) == 6
    assert (summary["已完成"] > 0).all() and ((summary["待走访"] + summary["逾期"]) > 0).all()
    # The denominators are the database's households and groups.
    assert summary.loc["三个走遍：村党组织书记每年走遍本村所有农户", "应走访"] == len(t["household"])
    assert summary.loc["三个走遍：镇党委书记任期内走遍所有村民小组", "应走访"] == len(t["village_group"])
    hardship = int(t["household"].hardship.sum())
    assert summary.loc["三个走遍：镇党委书记任期内走遍所有困难户", "应走访"] == hardship


def test_unattended_and_late_events_are_the_generated_ones(demo):
    t, comp = demo
    ev = t["event"]
    end = pd.Timestamp(datetime.combine(DAY, time.max), tz=ZoneInfo("Asia/Shanghai"))
    attend_by, attended_at = pd.to_datetime(ev.attend_by, utc=True), pd.to_datetime(ev.attended_at, utc=True)
    never = ev.attended_at.isna() & (attend_by < end)
    late = ev.attended_at.notna() & (attended_at > attend_by)
    state = comp.events.set_index("id").state
    assert set(state[state == "overdue"].index) == set(ev.id[never]) and never.sum() > 0
    assert set(state[state == "late"].index) == set(ev.id[late]) and late.sum() > 0


def _in_posting(rows: pd.DataFrame, days) -> pd.Series:
    """Whether each posting of ROWS held on the matching day (start and end days included)."""
    days = pd.to_datetime(days)
    start, end = pd.to_datetime(rows.start_date), pd.to_datetime(rows.end_date)
    return (start.isna() | (start <= days)) & (end.isna() | (end >= days))


def test_the_bao_cun_gap_is_each_cadres_households_they_did_not_visit_this_year(demo):
    """000 三.1“每名镇干部每年走遍包村的农户”, per person: a (cadre, household) pair is done when that
    cadre visited the household this year while posted there; a cadre whose posting ended (the
    planted one) answers for nothing any more, though they visited this year."""
    t, comp = demo
    posted = t["cadre_village"].merge(t["cadre"][["id", "cadre_role"]], left_on="cadre_id", right_on="id")
    posted = posted[posted.cadre_role == "township_cadre"][["cadre_id", "village_id", "start_date", "end_date"]]
    visits = t["visit"].dropna(subset=["household_id"])
    local = pd.to_datetime(visits.visited_at, utc=True).dt.tz_convert("Asia/Shanghai").dt.date
    this_year = visits.assign(local=local)[(local >= date(DAY.year, 1, 1)) & (local <= DAY)]
    homes = t["household"][["id", "village_id"]].rename(columns={"id": "household_id"})
    seen = this_year.merge(homes, on="household_id").merge(posted, on=["cadre_id", "village_id"])
    seen = seen[_in_posting(seen, seen.local)]
    due = posted[_in_posting(posted, pd.Timestamp(DAY))][["cadre_id", "village_id"]].merge(homes, on="village_id")
    status = comp.status[comp.status.duty == "bao_cun_yearly"]
    assert len(status) == len(due)
    pairs = set(zip(due.cadre_id, due.household_id))
    done = status[status.status == "done"]
    assert set(zip(done.cadre_id, done.target_id)) == set(zip(seen.cadre_id, seen.household_id)) & pairs
    assert 0 < len(done) < len(due)
    ended = posted.cadre_id[posted.end_date.notna()]
    assert len(ended) == 1 and ended.iat[0] in set(seen.cadre_id) and ended.iat[0] not in set(status.cadre_id)
    # Per person: some household is done for one of its cadres and not for another.
    by_home = status.groupby("target_id").status.agg(set)
    assert any(s == {"done", "due"} or s == {"done", "overdue"} for s in by_home)


def test_the_village_secretaries_walk_their_villages(demo):
    """000 三.1 三个走遍: every village's 村党组织书记 answers for its households; most are walked."""
    t, comp = demo
    walk = comp.status[comp.status.duty == "village_secretary_yearly"]
    secretaries = t["cadre"][t["cadre"].cadre_role == "village_secretary"]
    assert len(secretaries) == len(t["village"]) and set(walk.cadre_id) == set(secretaries.id)
    assert len(walk) == len(t["household"]) and 0 < (walk.status == "done").sum() < len(walk)


def test_the_planted_first_secretary_was_short_of_days_in_june(demo, engine):
    """003 三.5“每月在村工作不少于 20 天” on the demo: the planted first secretary's June shows only
    the 10 days of their visits; every other resident posted all June checked in or visited on
    enough days, as their visits and check-ins in the generated tables say."""
    t, comp = demo
    with Session(engine) as session:
        days = township_residence(session, comp)
    june = days[days.month == date(2026, 6, 1)].set_index("cadre_id")
    planted = int(t["cadre_village"].query("assignment == 'first_secretary'").cadre_id.iloc[0])
    assert (june.days[planted], june.required[planted], june.short[planted]) == (10, 20, True)
    homes = t["household"].set_index("id").village_id
    visits = t["visit"].dropna(subset=["household_id"])
    local = pd.to_datetime(visits.visited_at, utc=True).dt.tz_convert("Asia/Shanghai").dt.date
    checkins = t["checkin"]
    checked = pd.to_datetime(checkins.checked_at, utc=True).dt.tz_convert("Asia/Shanghai").dt.date
    present = pd.concat(
        [
            pd.DataFrame({"cadre_id": visits.cadre_id, "village_id": visits.household_id.map(homes), "day": local}),
            pd.DataFrame({"cadre_id": checkins.cadre_id, "village_id": checkins.village_id, "day": checked}),
        ]
    )
    in_june = present[(present.day >= date(2026, 6, 1)) & (present.day <= date(2026, 6, 30))]
    for cadre, row in june.iterrows():
        mine = in_june[(in_june.cadre_id == cadre) & (in_june.village_id == row.village_id)]
        assert row.days == mine.day.nunique()
    assert june.short.sum() >= 1 and (~june.short).sum() >= 1
