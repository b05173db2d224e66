"""The default demo township (seed 1): the gaps planted in its visit history show up in the
compliance report, checked against the generated tables themselves (pandas, not our code)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from gridmgmt.services.visits.compliance import township_compliance
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
    assert len(summary) == 5
    assert (summary["已完成"] > 0).all() and ((summary["待走访"] + summary["逾期"]) > 0).all()
    # The denominators are the database's households and groups.
    assert summary.loc["包村镇干部每年走访包村全部农户", "应走访"] <= len(t["household"])
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
    # The generated postings have a start date and no end.
    start = pd.to_datetime(rows.start_date)
    return start.isna() | (start <= pd.to_datetime(days))


def test_the_bao_cun_gap_is_the_households_no_posted_cadre_visited_this_year(demo):
    """Done: visited this year by a township cadre posted to the village on the day of the visit."""
    t, comp = demo
    posted = t["cadre_village"].merge(t["cadre"][["id", "cadre_role"]], left_on="cadre_id", right_on="id")
    posted = posted[posted.cadre_role == "township_cadre"][["cadre_id", "village_id", "start_date"]]
    visits = t["visit"].dropna(subset=["household_id"])
    local = pd.to_datetime(visits.visited_at, utc=True).dt.tz_convert("Asia/Shanghai").dt.date
    this_year = visits.assign(local=local)[(local >= date(DAY.year, 1, 1)) & (local <= DAY)]
    homes = t["household"][["id", "village_id"]].rename(columns={"id": "household_id"})
    seen = this_year.merge(homes, on="household_id").merge(posted, on=["cadre_id", "village_id"])
    seen = seen[_in_posting(seen, seen.local)]
    due = homes[homes.village_id.isin(posted.village_id[_in_posting(posted, pd.Timestamp(DAY))])]
    status = comp.status[comp.status.duty == "bao_cun_yearly"]
    assert len(status) == len(due)
    assert set(status.target_id[status.status == "done"]) == set(seen.household_id)
    assert 0 < len(set(seen.household_id)) < len(due)
