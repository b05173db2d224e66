"""The 县级总览 service (issue 17) on the hand-made township of the visit tests (county 441624):
its figures are those of the township's own pages, and the stored visit figures change with the
township's data (a visit, a posting ending, a plan published) and with nothing else."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from gridmgmt.cli import main
from gridmgmt.config import get_settings
from gridmgmt.db.models import (
    CadreVillage,
    DemoSite,
    GridCell,
    GridPlan,
    Household,
    PartyMember,
    PartyOrg,
    Township,
    TownshipVisitFigures,
    Village,
)
from gridmgmt.db.models.grids import GridMembership
from gridmgmt.domain.errors import NotFound
from gridmgmt.services.county.overview import county_overview
from gridmgmt.services.coverage.county import county_figures
from gridmgmt.services.coverage.report import township_coverage
from gridmgmt.services.visits.compliance import township_compliance
from gridmgmt.services.visits.desk import leader_summary
from gridmgmt.services.visits.records import VisitInput, record_visit
from tests.integration.test_visits_compliance import DAY, town  # noqa: F401
from tests.integration.visit_fixtures import BOX, SETTINGS, TOWN

COUNTY = TOWN[:6]


@pytest.fixture
def county(session, town):  # noqa: F811
    """The township with a branch of 8 full members and no committee, a plan published 10 days
    before DAY with one of its two cells without a worker, and three 示范点 in three review states."""
    township_id = town["township"].id
    branch = PartyOrg(township_id=township_id, code="P1", name="测试村党支部", org_type="branch", committee_size=0)
    session.add(branch)
    session.flush()
    session.add_all(PartyMember(party_org_id=branch.id, code=f"M{k}", name=f"党员{k}") for k in range(8))
    # One member at home in the west group, one working away (流动党员) from the east group.
    homes = town["households"]
    session.add(PartyMember(party_org_id=branch.id, code="M8", name="党员8", household_id=homes[0].id))
    session.add(PartyMember(party_org_id=branch.id, code="M9", name="党员9", household_id=homes[15].id, is_mobile=True))
    published = datetime(DAY.year, DAY.month, DAY.day, 2, tzinfo=UTC) - timedelta(days=10)
    plan = GridPlan(township_id=township_id, name="方案", status="published", published_at=published)
    session.add(plan)
    session.flush()
    worker = town["cadres"]["grid_worker"]
    village = town["village"].id
    session.add_all(
        GridCell(plan_id=plan.id, village_id=village, code=code, grid_worker_id=who, geom=f"SRID=4326;{BOX}")
        for code, who in (("W1", worker), ("W2", None))
    )
    for k, status in enumerate(["applied", "awarded", "returned"]):
        org = PartyOrg(township_id=township_id, code=f"S{k}", name=f"支部{k}", org_type="branch")
        session.add(org)
        session.flush()
        session.add(DemoSite(party_org_id=org.id, status=status))
    session.commit()
    return town


def test_the_overview_has_the_township_pages_figures(session, county):
    overview = county_overview(session, COUNTY, DAY, SETTINGS)
    assert (overview.code, overview.day) == (COUNTY, DAY)
    [row] = overview.rows
    summary = leader_summary(township_compliance(session, TOWN, DAY, SETTINGS))
    assert (row["visits_done"], row["visits_overdue"], row["visits_total"]) == (
        summary.done,
        summary.overdue,
        summary.total,
    )
    assert row["visit_rate"] == pytest.approx(summary.done / summary.total)
    coverage = county_figures(session, county=COUNTY)["townships"].iloc[0]
    assert (row["households"], row["blank_groups"], row["members_per_100"]) == (
        19,
        coverage.blank_groups,
        coverage.per_100,
    )
    page = township_coverage(session, TOWN, with_reach=False, day=DAY)  # the 组织覆盖 page's report
    assert (row["households"], row["blank_groups"], row["members_per_100"]) == (
        page.township["households"],
        len(page.findings["blank_group"]),
        page.township["per_100"],
    )
    assert (row["blank_groups"], row["members_per_100"]) == (1, 5.3)  # the east group's member is away: 1 of 19
    assert row["committee_missing"] == 1
    assert (row["plan_published"], row["plan_age_days"], row["cells_without_worker"]) == (True, 10, 1)
    assert (row["sites_under_review"], row["sites_awarded"], row["sites_to_fix"]) == (1, 1, 1)
    assert [f["properties"]["code"] for f in overview.boundaries["features"]] == [TOWN]


def _visits(row: dict) -> tuple:
    return row["visits_done"], row["visits_overdue"], row["visits_total"]


def _page(session) -> tuple:
    """The township's own 走访 page totals (the leader's summary)."""
    summary = leader_summary(township_compliance(session, TOWN, DAY, SETTINGS))
    return summary.done, summary.overdue, summary.total


def _computed(session) -> dict:
    """Township code → when its stored visit figures were last worked out."""
    rows = session.execute(
        select(Township.code, TownshipVisitFigures.computed_at).join(
            Township, Township.id == TownshipVisitFigures.township_id
        )
    )
    return dict(rows.all())


@pytest.fixture
def neighbour(session, county):
    """A second township of the county: one village, one household, no cadre."""
    town = Township(code=f"{COUNTY}101000", name="邻镇", geom=f"SRID=4326;{BOX}")
    session.add(town)
    session.flush()
    village = Village(township_id=town.id, code=f"{COUNTY}101201", name="邻村", geom=f"SRID=4326;{BOX}")
    session.add(village)
    session.flush()
    session.add(Household(village_id=village.id, code="N001", head="邻户", geom="SRID=4326;POINT(115.71 23.91)"))
    session.commit()
    return county


def test_a_new_visit_refreshes_its_township_and_nothing_else_is_recomputed(session, neighbour):
    first = county_overview(session, COUNTY, DAY, SETTINGS).rows[0]
    kept = _computed(session)
    assert set(kept) == {TOWN, f"{COUNTY}101000"}
    assert county_overview(session, COUNTY, DAY, SETTINGS).rows[0] == first
    assert _computed(session) == kept  # asked again: nothing worked out again
    at = datetime(DAY.year, DAY.month, DAY.day, 1, tzinfo=UTC)
    home = neighbour["households"][7].id
    visit = VisitInput(str(uuid.uuid4()), neighbour["cadres"]["township_cadre"], at, household_id=home)
    record_visit(session, visit, SETTINGS)
    again = county_overview(session, COUNTY, DAY, SETTINGS).rows[0]
    assert again["visits_done"] > first["visits_done"] and _visits(again) == _page(session)
    assert again["blank_groups"] == first["blank_groups"]
    now = _computed(session)
    assert now[TOWN] > kept[TOWN] and now[f"{COUNTY}101000"] == kept[f"{COUNTY}101000"]


def test_a_posting_ending_changes_the_figures(session, county):
    before = _visits(county_overview(session, COUNTY, DAY, SETTINGS).rows[0])
    posting = session.scalars(select(CadreVillage)).one()
    posting.end_date = DAY - timedelta(days=400)  # the 包村 cadre left before the previous year
    session.commit()
    after = _visits(county_overview(session, COUNTY, DAY, SETTINGS).rows[0])
    assert after != before and after == _page(session)


def test_a_plan_published_changes_the_figures(session, county):
    before = _visits(county_overview(session, COUNTY, DAY, SETTINGS).rows[0])
    # Since before the visits the grid worker's cell holds the first household only: the must-visit
    # household 5 they visited on 1 May is no longer theirs, so that visit no longer counts.
    worker, homes = county["cadres"]["grid_worker"], county["households"]
    published = datetime(2024, 1, 1, tzinfo=UTC)
    plan = GridPlan(township_id=county["township"].id, name="新方案", status="published", published_at=published)
    session.add(plan)
    session.flush()
    cell = GridCell(
        plan_id=plan.id, village_id=county["village"].id, code="G1", grid_worker_id=worker, geom=f"SRID=4326;{BOX}"
    )
    session.add(cell)
    session.flush()
    session.add(GridMembership(plan_id=plan.id, household_id=homes[0].id, cell_id=cell.id))
    session.commit()
    after = _visits(county_overview(session, COUNTY, DAY, SETTINGS).rows[0])
    assert after != before and after == _page(session)


def test_a_county_without_townships_is_not_found(session, county):
    with pytest.raises(NotFound, match="没有编码以 441699 开头的乡镇"):
        county_overview(session, "441699", DAY, SETTINGS)


def test_the_refresh_command_stores_every_townships_figures(session, neighbour, monkeypatch):
    monkeypatch.setenv("GRIDMGMT_DB_NAME", get_settings().test_db_name)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["county", "refresh", COUNTY, "--date", DAY.isoformat()])
        every = CliRunner().invoke(main, ["county", "refresh", "--date", DAY.isoformat()])
        unknown = CliRunner().invoke(main, ["county", "refresh", "441699"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "县级总览已计算：2 个乡镇，2025-05-15" in result.output
    assert set(_computed(session)) == {TOWN, f"{COUNTY}101000"}
    assert every.exit_code == 0 and every.output.count("县级总览已计算") == 1, every.output  # one county here
    assert f"（{COUNTY}）" in every.output
    assert unknown.exit_code == 1 and "没有编码以 441699 开头的乡镇" in unknown.output
