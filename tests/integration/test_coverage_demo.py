"""The default demo township (seed 1): the planted gaps all show up, in the report, the CLI
and the workbook, and nothing is flagged that a check by hand on the generated tables
(pandas on geodata.demo's frames, not our code) would not flag."""

import json
from datetime import date
from io import BytesIO

import numpy as np
import openpyxl
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.orm import Session

from geodata.demo.shapes import METRES_PER_DEGREE
from gridmgmt.cli import main
from gridmgmt.config import get_settings
from gridmgmt.services.coverage.report import township_coverage
from tests.actors import ADMIN, add_actor
from tests.integration.demo_town import CODE, default_demo

UNTIL = date(2026, 7, 1)


@pytest.fixture(scope="module")
def demo(engine):
    """(generated tables, coverage report) of the demo township loaded into the test database."""
    with default_demo(engine, UNTIL, lambda session: township_coverage(session, CODE, day=UNTIL)) as loaded:
        yield loaded


def _branch_of(t):
    """Branch id of every generated member (党小组 members belong to the parent branch)."""
    orgs = t["party_org"].set_index("id")
    org = t["party_member"].party_org_id
    return org.map(lambda o: orgs.parent_id[o] if orgs.org_type[o] == "party_group" else o)


def test_blank_groups_are_the_groups_where_no_member_lives(demo):
    """Members working away (流动党员) do not count (000 三.3; the default setting)."""
    t, report = demo
    homes = t["household"].set_index("id")
    present = t["party_member"][~t["party_member"].is_mobile]
    lived_in = set(homes.group_id[present.household_id.dropna().astype(int)])
    expected = set(t["village_group"].code[~t["village_group"].id.isin(lived_in)])
    assert set(report.findings["blank_group"].code) == expected and len(expected) >= 3
    assert report.findings["blank_village"].empty


def test_exactly_the_two_committee_gaps(demo):
    t, report = demo
    orgs = t["party_org"].set_index("id")
    members = t["party_member"]
    full = _branch_of(t)[members.status == "full"].value_counts()
    branches = orgs[orgs.org_type == "branch"]
    sizes = full.reindex(branches.index).fillna(0)
    missing = branches[(sizes >= 7) & (branches.committee_size == 0)]
    six = branches[(sizes < 7) & (branches.committee_size > 0)]
    assert len(missing) == 1 and len(six) == 1 and sizes[six.index[0]] == 6
    assert report.findings["committee_missing"].code.tolist() == missing.code.tolist()
    assert report.findings["committee_not_allowed"].code.tolist() == six.code.tolist()
    assert report.findings["committee_size"].empty


def test_split_flags_large_unsplit_branches_and_only_the_planted_dispersed_one(demo):
    t, report = demo
    orgs = t["party_org"]
    branch = _branch_of(t)
    with_groups = set(orgs.parent_id[orgs.org_type == "party_group"].dropna())
    counts = branch.value_counts()
    large = orgs[(orgs.org_type == "branch") & orgs.id.map(counts).gt(14) & ~orgs.id.isin(with_groups)]
    split = report.findings["split_needed"]
    assert set(split.code) == set(large.code)
    # The planted branch: its members' homes span more than 3 km; it alone is dispersed.
    homes = t["household"].set_index("id")
    dispersed = split[split.reasons.str.contains("居住分散")]
    assert len(dispersed) == 1
    org_id = orgs.id[orgs.code == dispersed.code.iat[0]].iat[0]
    mine = t["party_member"].household_id[branch == org_id].dropna().astype(int)
    xy = shapely.get_coordinates(homes.geom[mine].to_numpy()) * METRES_PER_DEGREE
    assert np.ptp(xy, axis=0).max() > 3000
    assert set(report.proposals.org_id) == set(
        report.branches.index[report.branches.split_reasons.map(bool) & (report.branches.settlements > 0)]
    )


def test_firms_and_leadership_exceptions(demo):
    t, report = demo
    firms = t["economic_org"]
    no_org = firms[firms.above_scale & (firms.kind == "enterprise") & firms.party_org_id.isna()]
    assert sorted(report.findings["firm_without_org"].code) == sorted(no_org.code) and len(no_org) == 2
    cadres, posts = t["cadre"], t["cadre_village"]
    leaders = cadres[cadres.cadre_role.isin(["township_secretary", "township_leader"])]
    per = posts[posts.assignment == "gua_dian"].cadre_id.value_counts().reindex(leaders.id).fillna(0)
    assert report.findings["leader_posting"].code.tolist() == leaders.code[per.to_numpy() != 1].tolist()
    villages = t["village"]
    designated = villages[villages[["is_poverty_alleviated", "is_revitalization_focus", "is_weak_org"]].any(axis=1)]
    served = set(posts.village_id[posts.assignment == "first_secretary"])
    expected = designated.code[~designated.id.isin(served)].tolist()
    assert report.findings["first_secretary_missing"].code.tolist() == expected and len(expected) == 1
    assert report.findings["village_uncovered"].empty


def test_planted_resident_postings(demo):
    """003 二.1“任期两年” and “队员一般不少于 2 人” on the demo: the planted first secretary's term
    ends on 2026-07-30, within 60 days of UNTIL; the 脱贫村 whose second team member's posting
    ended keeps one member. Expected rows are worked out from the generated tables."""
    t, report = demo
    posts, cadres = t["cadre_village"], t["cadre"].set_index("id")
    planted = posts[posts.assignment == "first_secretary"].iloc[0]
    resident = posts[posts.assignment.isin(["first_secretary", "work_team"]) & posts.end_date.isna()]
    ends = pd.to_datetime(resident.start_date) + pd.DateOffset(years=2) - pd.Timedelta(days=1)
    soon = resident[(ends - pd.Timestamp(UNTIL)).dt.days < 60]
    term = report.findings["resident_term"]
    assert sorted(term.code) == sorted(cadres.code[soon.cadre_id]) and cadres.code[planted.cadre_id] in set(term.code)
    assert term.set_index("code").term_end[cadres.code[planted.cadre_id]] == date(2026, 7, 30)
    left = posts[(posts.assignment == "work_team") & posts.end_date.notna()]
    team = posts[(posts.assignment == "work_team") & posts.end_date.isna()].village_id.value_counts()
    poor = t["village"][t["village"].is_poverty_alleviated]
    expected = poor.id[team.reindex(poor.id).fillna(0).to_numpy() < 2]
    short = report.findings["work_team_short"]
    assert short.id.tolist() == expected.tolist() and left.village_id.iat[0] in set(short.id)
    assert short.set_index("id").work_team[left.village_id.iat[0]] == 1


def test_road_reach_is_never_shorter_than_a_straight_line(demo, engine):
    _, report = demo
    with engine.connect() as conn:
        straight = dict(
            conn.execute(
                text(
                    "SELECT h.id, (SELECT min(ST_Distance(h.geom::geography, o.venue::geography)) FROM party_org o "
                    "WHERE o.venue IS NOT NULL AND o.field <> 'enterprise') FROM household h"
                )
            ).all()
        )
    reach = report.reach
    line = reach.index.map(straight).to_numpy(dtype=float)
    assert (reach.venue_m.to_numpy() >= line - 1).all()
    off = reach.off_network.to_numpy()
    assert np.allclose(reach.venue_m.to_numpy()[off], line[off], rtol=1e-3)
    far = report.findings["venue_far"]
    # The finding shows whole metres: 2000.4 m is listed as 2000.
    assert len(far) == (reach.venue_m > 2000).sum() and (far.venue_m >= 2000).all()


def test_cli_table_json_and_workbook(demo, engine, tmp_path, monkeypatch):
    _, report = demo
    monkeypatch.setattr(get_settings(), "db_name", get_settings().test_db_name)
    with Session(engine) as session:
        add_actor(session)
    runner = CliRunner()
    table = runner.invoke(main, ["coverage", "--township", CODE, "--no-reach"])
    assert table.exit_code == 0, table.output
    assert "【正式党员7人以上未设支委会】1 项" in table.output and "离党员户" not in table.output
    # The planted organisation cases (tests/integration/test_orgs_demo.py checks them in the report).
    assert "【合作社未建党组织（可建支部或党员未登记）】1 项" in table.output
    overdue = table.output.split("【党组织逾期未换届】")[1].split("【")[0]
    assert report.findings["election_overdue"].name.iat[0] in overdue
    out = tmp_path / "c.json"
    assert (
        runner.invoke(
            main, ["coverage", "--township", CODE, "--format", "json", "-o", str(out), "--as", ADMIN]
        ).exit_code
        == 0
    )
    rows = json.loads(out.read_text(encoding="utf-8"))["tables"]["firm_without_org"]["rows"]
    assert sorted(r["code"] for r in rows) == sorted(report.findings["firm_without_org"].code)
    book = tmp_path / "c.xlsx"
    assert (
        runner.invoke(
            main, ["coverage", "--township", CODE, "--format", "xlsx", "-o", str(book), "--as", ADMIN]
        ).exit_code
        == 0
    )
    with engine.connect() as conn:  # both exports are audited, under the named user; the screen table is not
        assert conn.execute(text("SELECT actor, action, target FROM audit_log ORDER BY id")).all() == [
            (ADMIN, "export_workbook", f"覆盖情况-{CODE}.json"),
            (ADMIN, "export_workbook", f"覆盖情况-{CODE}.xlsx"),
        ]
    wb = openpyxl.load_workbook(BytesIO(book.read_bytes()))
    # The CLI reads the postings in force today, not on UNTIL: only the sheet's shape is compared.
    assert [c.value for c in wb["第一书记、工作队员任期将满或已满"][1]] == [
        "行政村",
        "编码",
        "名称",
        "职务",
        "驻村起始",
        "任期届满",
        "原因",
    ]
    sheet = wb["重点村未派第一书记"]
    assert [c.value for c in sheet[1]] == ["编码", "名称", "类别"] and sheet.freeze_panes == "A2"
    assert sheet.max_row == 2 and wb["距最近党员户超过 500 米的农户"].max_row == len(report.findings["member_far"]) + 1
    assert {
        "党组织逾期未换届",
        "预备党员逾期未转正",
        "组织生活未达标（上一季度）",
        "有帮带能力未结对帮扶的党员",
    } <= set(wb.sheetnames)
    for name in wb.sheetnames:  # no 四必访 flag anywhere
        assert not {"困难家庭", "信访户", "hardship"} & {c.value for c in wb[name][1]}
    bad = runner.invoke(main, ["coverage", "--township", "000", "--format", "xlsx"])
    assert bad.exit_code != 0 and "-o" in bad.output
