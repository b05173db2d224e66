"""The 县级总览 service (issue 17) on the hand-made township of the visit tests (county 441624):
its figures are those of the township's own pages, and a new visit refreshes its township."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from gridmgmt.db.models import DemoSite, GridCell, GridPlan, PartyMember, PartyOrg
from gridmgmt.domain.errors import NotFound
from gridmgmt.services.county.overview import county_overview
from gridmgmt.services.coverage.county import county_figures
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
    assert row["committee_missing"] == 1
    assert (row["plan_published"], row["plan_age_days"], row["cells_without_worker"]) == (True, 10, 1)
    assert (row["sites_under_review"], row["sites_awarded"], row["sites_to_fix"]) == (1, 1, 1)
    assert [f["properties"]["code"] for f in overview.boundaries["features"]] == [TOWN]


def test_a_new_visit_refreshes_its_township_and_nothing_else_is_recomputed(session, county):
    first = county_overview(session, COUNTY, DAY, SETTINGS)
    assert county_overview(session, COUNTY, DAY, SETTINGS).rows[0] is first.rows[0]  # kept
    at = datetime(DAY.year, DAY.month, DAY.day, 1, tzinfo=UTC)
    home = county["households"][7].id
    visit = VisitInput(str(uuid.uuid4()), county["cadres"]["township_cadre"], at, household_id=home)
    record_visit(session, visit, SETTINGS)
    again = county_overview(session, COUNTY, DAY, SETTINGS).rows[0]
    assert again["visits_done"] > first.rows[0]["visits_done"]
    assert again["blank_groups"] == first.rows[0]["blank_groups"]


def test_a_county_without_townships_is_not_found(session, county):
    with pytest.raises(NotFound, match="没有编码以 441699 开头的乡镇"):
        county_overview(session, "441699", DAY, SETTINGS)
