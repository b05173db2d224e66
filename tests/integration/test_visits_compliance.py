"""Compliance, work lists, duties, routes and the CLI on a hand-made township.

Nineteen households every ~204 m along a straight road (see visit_fixtures); on
15 May 2025 (Asia/Shanghai) the township cadre of the village has visited only
household 1 this year; households 2 and 5 are hardship households.
"""

import io
import json
import uuid
from datetime import UTC, date, datetime, timezone

import openpyxl
import pytest
from click.testing import CliRunner
from sqlalchemy import select, text, update

from gridmgmt.analysis.compliance import event_responsibility, per_cadre
from gridmgmt.cli import main
from gridmgmt.config import get_settings
from gridmgmt.db.models import AuditLog, Cadre, Household, Village
from gridmgmt.domain.duties import DutyError
from gridmgmt.domain.errors import NotFound
from gridmgmt.services.visits.compliance import township_compliance
from gridmgmt.services.visits.duties import list_duties, seed_default_duties, set_duty
from gridmgmt.services.visits.events import EventReport, attend_event, report_event
from gridmgmt.services.visits.places import household_places, late_event_places, work_places
from gridmgmt.services.visits.records import VisitInput, record_visit
from gridmgmt.services.visits.routes import plan_route
from gridmgmt.services.visits.work import cadre_work
from tests.actors import ADMIN, add_actor
from tests.integration.visit_fixtures import SETTINGS, TOWN, build

DAY = date(2025, 5, 15)


def _utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def town(session):
    town = build(session)
    seed_default_duties(session)
    c, h = town["cadres"], town["households"]
    for cadre, home, at in [
        ("township_cadre", 0, _utc(2025, 2, 1, 2)),
        ("grid_worker", 1, _utc(2025, 4, 30, 15, 30)),  # 23:30 on 30 April, local time
        ("grid_worker", 4, _utc(2025, 4, 30, 16, 30)),  # 00:30 on 1 May, local time
        ("township_secretary", 14, _utc(2024, 1, 1, 2)),  # in the east group, this term
    ]:
        record_visit(session, VisitInput(str(uuid.uuid4()), c[cadre], at, household_id=h[home].id), SETTINGS)
    report_event(
        session, EventReport("dispute", c["grid_worker"], _utc(2025, 5, 13, 1), household_id=h[2].id), SETTINGS
    )
    return town


def _by_duty(comp, code):
    rows = comp.status[comp.status.duty == code]
    return dict(zip(rows.target_id, rows.status))


def test_township_compliance_by_hand(session, town):
    comp = township_compliance(session, TOWN, DAY, SETTINGS)
    h = [x.id for x in town["households"]]
    bao_cun = _by_duty(comp, "bao_cun_yearly")
    assert bao_cun[h[0]] == "done" and len(bao_cun) == 19
    assert sum(s == "overdue" for s in bao_cun.values()) == 18
    assert _by_duty(comp, "must_visit_monthly") == {h[1]: "due", h[4]: "done"}  # local dates
    groups = [g.id for g in town["groups"]]
    assert _by_duty(comp, "walk_groups_term") == {groups[0]: "due", groups[1]: "done"}
    assert _by_duty(comp, "walk_hardship_term") == {h[1]: "due", h[4]: "due"}
    assert "resident_quarterly" not in set(comp.status.duty)  # no first secretary posted here
    assert comp.events.state.tolist() == ["overdue"]


def test_cadre_work_puts_the_overdue_event_first(session, town):
    work = cadre_work(session, "C0", DAY, SETTINGS).work  # the township cadre
    first = work.iloc[0]
    assert first.priority == "event_overdue" and first.household_id == town["households"][2].id
    assert len(work) == 18 and work.household_id.is_unique


def test_map_places(session, town):
    comp = township_compliance(session, TOWN, DAY, SETTINGS)
    households, events = household_places(session, comp), late_event_places(session, comp)
    by_code = {h["label"]: h["status"] for h in households}
    assert len(by_code) == 19 and by_code["H001"] == "done" and by_code["H002"] == "overdue"
    assert [e["status"] for e in events] == ["overdue"]
    places = work_places(session, cadre_work(session, "C1", DAY, SETTINGS))  # the grid worker: 必访 households only
    assert {p["label"]: p["status"] for p in places} == {"H002": "due", "H003": "event_overdue", "H005": "done"}


def test_unknown_codes(session, town):
    with pytest.raises(NotFound, match="没有编码为 999 的乡镇"):
        township_compliance(session, "999", DAY, SETTINGS)
    with pytest.raises(NotFound, match="干部"):
        cadre_work(session, "nobody", DAY, SETTINGS)


def test_duties_are_editable_and_checked(session, town):
    set_duty(session, "must_visit_monthly", period="quarter")
    comp = township_compliance(session, TOWN, DAY, SETTINGS)
    h = town["households"]
    assert _by_duty(comp, "must_visit_monthly") == {h[1].id: "done", h[4].id: "done"}
    with pytest.raises(DutyError, match="未知周期"):
        set_duty(session, "must_visit_monthly", period="fortnight")
    with pytest.raises(DutyError, match="须给出"):
        set_duty(session, "new_duty", period="year")
    session.rollback()
    assert {r.code: r.period for r in list_duties(session)}["must_visit_monthly"] == "quarter"
    set_duty(
        session,
        "c1_groups",
        name="网格员走遍小组",
        scope="township",
        target="village_groups",
        period="year",
        cadre_code="C1",
    )
    assert {r.code: r.cadre_id for r in list_duties(session)}["c1_groups"] == town["cadres"]["grid_worker"]


def test_week_half_year_and_village_secretary_duties_are_stored_and_followed(session, town):
    """000 三.1 (三个走遍, weekly duties) and 003 三.5 (每半年): a weekly duty of the 村党组织书记
    over the hardship households of their village and a half-yearly one are stored; the
    secretary's visit of Tuesday 13 May serves the week of 12–18 May, not the week before."""
    c, h = town["cadres"], town["households"]
    session.execute(update(Cadre).where(Cadre.id == c["grid_worker"]).values(cadre_role="village_secretary"))
    session.commit()
    set_duty(
        session,
        "vs_week",
        name="村党组织书记每周走访困难户",
        scope="home_village",
        target="flagged_households",
        period="week",
        cadre_roles=("village_secretary",),
        flags=("hardship",),
    )
    set_duty(
        session,
        "resident_half_year",
        name="第一书记每半年走遍小组",
        scope="posted_villages",
        target="village_groups",
        period="half_year",
        cadre_roles=("first_secretary",),
    )
    assert {r.code: r.period for r in list_duties(session)}["resident_half_year"] == "half_year"
    at = _utc(2025, 5, 13, 2)
    record_visit(session, VisitInput(str(uuid.uuid4()), c["grid_worker"], at, household_id=h[1].id), SETTINGS)
    # Household 5 was last seen on 1 May, not in the week of 5–11 May: overdue.
    assert _by_duty(township_compliance(session, TOWN, DAY, SETTINGS), "vs_week") == {
        h[1].id: "done",
        h[4].id: "overdue",
    }
    week_after = township_compliance(session, TOWN, date(2025, 5, 19), SETTINGS)
    assert _by_duty(week_after, "vs_week") == {h[1].id: "due", h[4].id: "overdue"}


def test_route_is_a_closed_round_on_roads(session, town):
    route = plan_route(session, "C0", DAY, SETTINGS, hours=8, mode="walk")
    ids = [s["household_id"] for s in route.stops]
    assert len(ids) == 18 and len(set(ids)) == 18 and route.left_out == 0
    # Out to the last house and back along the straight road: 2 × 0.037° of longitude at
    # 23.91°N (7530 m) plus 11 m off the road at each end of each of 19 legs (base included).
    assert route.length_m == pytest.approx(7530 + 2 * 19 * 11.1, abs=25)
    assert route.base == (115.701, 23.9101)
    # The drawn line runs along the roads, with the 11 m links to the houses, and is as long as the round.
    on_roads, metres = session.execute(
        text(
            "SELECT ST_CoveredBy(ST_GeomFromGeoJSON(:line), ST_Buffer(ST_Union(geom), 0.00012)), "
            "ST_Length(ST_GeomFromGeoJSON(:line)::geography) FROM road"
        ),
        {"line": json.dumps(route.line)},
    ).one()
    assert on_roads and metres == pytest.approx(route.length_m, abs=30)
    assert not route.gaps


def test_route_within_a_short_budget(session, town):
    route = plan_route(session, "C0", DAY, SETTINGS, hours=2, mode="walk")
    # The event at household 3 first, then households 2, 4, 5, 6 fit; household 7 would overrun.
    assert sorted(s["household_id"] for s in route.stops) == [h.id for h in town["households"][1:6]]
    assert route.left_out == 13
    assert route.travel_s + route.service_s <= 2 * 3600


def test_route_without_a_road_network_uses_straight_lines(session, town):
    session.execute(text("UPDATE road SET source = NULL, target = NULL"))
    session.commit()
    route = plan_route(session, "C0", DAY, SETTINGS, hours=8, mode="drive")
    # Every leg of the round (18 stops and the way back) is a network gap, named.
    assert len(route.stops) == 18 and len(route.gaps) == 19 and route.line is None
    assert route.gaps[0].a == "家" and "道路不连通" in route.gaps[0].describe()
    # Straight out and back (7530 m) times the detour factor 1.5.
    assert route.length_m == pytest.approx(1.5 * 7530, rel=0.01)


@pytest.fixture
def cli_db(session, monkeypatch):
    add_actor(session)
    monkeypatch.setenv("GRIDMGMT_DB_NAME", get_settings().test_db_name)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_cli_status_json_hides_must_visit_households(session, town, cli_db):
    args = ["visits", "status", "--township", TOWN, "--date", "2025-05-15", "--format", "json", "--as", ADMIN]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {r["职责"] for r in data["待走访清单"]} == {
        "包村镇干部每年走访包村全部农户",
        "三个走遍：镇党委书记任期内走遍所有村民小组",
    }
    summary = {r["职责"]: r for r in data["职责汇总"]}
    assert summary["四必访：必访户每月走访"]["应走访"] == 2
    # Head names leave as JSON: an export, audited under the named user.
    assert session.execute(select(AuditLog.actor, AuditLog.action)).all() == [(ADMIN, "export_workbook")]
    sensitive = CliRunner().invoke(main, [*args, "--include-sensitive"])
    listed = {r["职责"] for r in json.loads(sensitive.output)["待走访清单"]}
    assert "四必访：必访户每月走访" in listed
    assert session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all() == [
        "export_workbook",
        "export_sensitive",
    ]


def test_cli_xlsx_route_and_duties(session, town, cli_db, tmp_path):
    out = tmp_path / "status.xlsx"
    result = CliRunner().invoke(
        main,
        [
            "visits",
            "status",
            "--township",
            TOWN,
            "--date",
            "2025-05-15",
            "--village",
            "441624100201",
            "-o",
            str(out),  # Excel, as its name says
            "--as",
            ADMIN,
        ],
    )
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert book.sheetnames == ["职责汇总", "分村", "分人", "待走访清单", "四必到事件", "驻村在村天数"]
    assert [c.value for c in book["四必到事件"][2]][4] == "逾期未到场"
    # A table is printed, never written under a file's name (it went to the screen, the file unwritten).
    table = CliRunner().invoke(main, ["visits", "status", "--township", TOWN, "-o", str(tmp_path / "status.txt")])
    assert table.exit_code == 2 and "表格只打印到屏幕" in table.output and not (tmp_path / "status.txt").exists()
    route = CliRunner().invoke(main, ["visits", "route", "--cadre", "C0", "--date", "2025-05-15", "--hours", "2"])
    assert route.exit_code == 0 and "5 户" in route.output and "事件逾期未到场" in route.output
    bad = CliRunner().invoke(main, ["duties", "set", "bao_cun_yearly", "--roles", "mayor"])
    assert bad.exit_code == 2 and "“mayor”不是可选值" in bad.output
    chinese = CliRunner().invoke(
        main,
        [
            "duties",
            "set",
            "flagged_quarterly",
            "--name",
            "季度走访必访户",
            "--roles",
            "镇干部，村干部",
            "--scope",
            "全镇",
            "--target",
            "必访户",
            "--flags",
            "困难家庭、信访户",
            "--period",
            "每季度",
        ],
    )
    assert chinese.exit_code == 0, chinese.output
    listed = CliRunner().invoke(main, ["duties", "list"])
    assert "包村镇干部每年走访包村全部农户" in listed.output and "每年" in listed.output
    assert "镇干部、村干部 | 全镇 | 必访户（困难家庭、信访户） | 每季度" in listed.output


def test_cli_reports_and_closes_an_event(session, town, cli_db):
    reported = CliRunner().invoke(
        main,
        ["visits", "event", "--cadre", "C1", "--type", "突发事件", "--household", "H003", "--note", "山洪冲毁便桥"],
    )
    assert reported.exit_code == 0, reported.output
    event_id = int(reported.output.split("已上报事件 ")[1].split("（")[0])
    assert "突发事件" in reported.output and "前到场" in reported.output
    early = CliRunner().invoke(main, ["visits", "close-event", str(event_id)])
    assert early.exit_code != 0 and "只有已到场的事件才能办结" in early.output
    attended = VisitInput(str(uuid.uuid4()), town["cadres"]["grid_worker"], datetime.now(UTC))
    attend_event(session, event_id, attended, SETTINGS)
    closed = CliRunner().invoke(main, ["visits", "close-event", str(event_id)])
    assert closed.exit_code == 0 and f"事件 {event_id} 已办结" in closed.output
    nobody = CliRunner().invoke(main, ["visits", "event", "--cadre", "X", "--type", "dispute", "--household", "H003"])
    assert nobody.exit_code != 0 and "没有编码为 X 的干部" in nobody.output


def test_a_cadres_work_read_for_their_villages_is_the_townships_share(session, town):
    """cadre_work reads only the cadre's villages (the phone's working set is built from it):
    every cadre's rows and events come out as the whole township's compliance gives them."""
    full = township_compliance(session, TOWN, DAY, SETTINGS)
    everyone = per_cadre(full.status, full.pairs)
    answer = event_responsibility(full.events, full.data.households, full.data.staff.on(DAY))
    columns = ["duty", "target_id", "cadre_id", "status", "last_visit"]
    for cadre in session.scalars(select(Cadre)):
        work = cadre_work(session, cadre.code, DAY, SETTINGS)
        theirs = everyone[everyone.cadre_id == cadre.id][columns].sort_values(columns[:3]).reset_index(drop=True)
        mine = work.mine[columns].sort_values(columns[:3]).reset_index(drop=True)
        assert mine.astype(str).equals(theirs.astype(str)), cadre.code
        assert sorted(work.events.id) == sorted(
            full.events.id[full.events.id.isin(answer.id[answer.cadre_id == cadre.id])]
        )


def test_a_cadre_is_read_for_their_own_villages_only(session, town):
    """A second village with households of its own is not read for the grid worker posted to the first."""
    village = session.scalar(select(Village))
    other = Village(township_id=village.township_id, code="441624100299", name="别村", geom=village.geom)
    session.add(other)
    session.flush()
    session.add(Household(village_id=other.id, code="X001", head="外村户", geom=session.scalar(select(Household.geom))))
    session.commit()
    work = cadre_work(session, "C1", DAY, SETTINGS)  # the grid worker
    assert set(work.compliance.data.households.village_id) == {village.id}
    assert "X001" not in set(work.compliance.data.households.code)
    assert len(township_compliance(session, TOWN, DAY, SETTINGS).data.households) == 20
