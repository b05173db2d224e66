"""The leader's desk on the hand-made township (issue 19): completion worst first, the groups'
overdue shares, the lists by urgency, a village's households for the map.

On 15 May 2025 the township cadre has visited only household 1 this year; the west group
holds households 1–9, the east group 10–19 (visit_fixtures).
"""

from datetime import UTC, datetime

import pytest

from gridmgmt.domain.errors import NotFound
from gridmgmt.services.visits.compliance import township_compliance
from gridmgmt.services.visits.desk import group_overdue, leader_summary, village_places
from gridmgmt.services.visits.events import EventReport, report_event
from gridmgmt.services.visits.workbook import ReportFilter, report_tables
from tests.integration.test_visits_compliance import DAY, town  # noqa: F401
from tests.integration.visit_fixtures import SETTINGS, TOWN


def test_the_summary_puts_the_worst_first_with_names(session, town):  # noqa: F811
    comp = township_compliance(session, TOWN, DAY, SETTINGS)
    summary = leader_summary(comp)
    duties = [(row.name, row.done, row.total) for row in summary.duties]
    # 走遍困难户: none of 2 done (0 %), then 包村: 1 of 19; the others are half done.
    assert duties[:2] == [("三个走遍：镇党委书记任期内走遍所有困难户", 0, 2), ("包村镇干部每年走访包村全部农户", 1, 19)]
    assert [row.rate for row in summary.duties] == sorted(row.rate for row in summary.duties)
    assert [row.name for row in summary.villages] == ["测试村"]
    assert (summary.total, summary.done, summary.late_events) == (len(comp.status), 3, 1)
    cadres = {row.name: row for row in summary.cadres}
    assert cadres["干部0"].note == "镇干部" and cadres["干部0"].overdue == 18
    assert [row.rate for row in summary.cadres] == sorted(row.rate for row in summary.cadres)


def test_a_cadres_summary_holds_that_cadre_alone(session, town):  # noqa: F811
    comp = township_compliance(session, TOWN, DAY, SETTINGS)
    summary = leader_summary(comp, ReportFilter(cadre="C2"))  # the township secretary
    assert [row.name for row in summary.cadres] == ["干部2"]
    assert {row.name for row in summary.duties} == {
        "三个走遍：镇党委书记任期内走遍所有村民小组",
        "三个走遍：镇党委书记任期内走遍所有困难户",
    }
    assert set(report_tables(comp, ReportFilter(cadre="C2"))["分人"]["干部"]) == {"干部2（C2）"}


def test_each_group_has_its_overdue_share(session, town):  # noqa: F811
    shares = group_overdue(township_compliance(session, TOWN, DAY, SETTINGS))
    west, east = (group.code for group in town["groups"])
    assert shares[west] == {"overdue": 8, "total": 9, "share": pytest.approx(8 / 9)}
    assert shares[east] == {"overdue": 10, "total": 10, "share": 1.0}


def _utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_the_lists_come_by_urgency(session, town):  # noqa: F811
    worker, homes = town["cadres"]["grid_worker"], town["households"]
    for at, home in [(_utc(2025, 5, 10, 1), 3), (_utc(2025, 5, 15, 1), 5)]:  # overdue (older), still open
        report_event(session, EventReport("dispute", worker, at, household_id=homes[home].id), SETTINGS)
    tables = report_tables(township_compliance(session, TOWN, DAY, SETTINGS))
    events = tables["四必到事件"]
    # The fixture's dispute of 13 May is overdue too: the newest overdue first, then the open one.
    assert events[["上报时间", "状态"]].values.tolist() == [
        ["2025-05-13 09:00", "逾期未到场"],
        ["2025-05-10 09:00", "逾期未到场"],
        ["2025-05-15 09:00", "待到场"],
    ]
    states = tables["待走访清单"]["状态"].tolist()
    assert "待走访" in states and states == sorted(states, key=["逾期", "待走访"].index)


def test_a_villages_households_for_the_map_carry_no_flag(session, town):  # noqa: F811
    places = village_places(session, TOWN, ["441624100201"], DAY, SETTINGS)
    by_code = {place["label"]: place["status"] for place in places}
    assert len(by_code) == 19 and by_code["H001"] == "done" and by_code["H002"] == "overdue"
    assert set(places[0]) == {"household_id", "lon", "lat", "status", "label"}
    with pytest.raises(NotFound, match="没有编码为 441624100299 的行政村"):
        village_places(session, TOWN, ["441624100201", "441624100299"], DAY, SETTINGS)
