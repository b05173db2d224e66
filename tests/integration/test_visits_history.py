"""Publishing a grid plan on real PostGIS: visits made before it keep their credit.

The small township of visit_fixtures: grid worker C1 lives in the village (household 1)
and answers for its 必访 households (2 and 5) while no plan is published. A plan then
gives the cell of household 2 to a new grid worker C9 and the other cell to C1.
"""

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from gridmgmt.db.models import Cadre, GridCell
from gridmgmt.db.models.grids import GridMembership
from gridmgmt.domain.grid_rules import GridRules
from gridmgmt.services.grids.allocation import allocate_township
from gridmgmt.services.grids.plans import publish
from gridmgmt.services.visits.compliance import township_compliance
from gridmgmt.services.visits.duties import seed_default_duties
from gridmgmt.services.visits.records import VisitInput, record_visit
from gridmgmt.services.visits.work import cadre_work
from tests.actors import ACTOR
from tests.integration.visit_fixtures import SETTINGS, TOWN, build


def _must_visit(session, day):
    status = township_compliance(session, TOWN, day, SETTINGS).status
    rows = status[status.duty == "must_visit_monthly"]
    return dict(zip(rows.target_id, rows.status))


def _publish_with_newcomer(session, town, household_id) -> None:
    """Allocate two cells, give HOUSEHOLD_ID's cell to a new grid worker C9 and the other to C1; publish."""
    plan = allocate_township(
        session, TOWN, "网格", GridRules(target=10, min_workload=5, max_workload=15), actor=ACTOR
    ).plan_id
    newcomer = Cadre(township_id=town["township"].id, code="C9", name="新网格员", cadre_role="grid_worker")
    session.add(newcomer)
    session.flush()
    theirs = session.scalar(
        select(GridMembership.cell_id).where(
            GridMembership.plan_id == plan, GridMembership.household_id == household_id
        )
    )
    for cell in session.scalars(select(GridCell).where(GridCell.plan_id == plan)):
        cell.grid_worker_id = newcomer.id if cell.id == theirs else town["cadres"]["grid_worker"]
    session.commit()
    publish(session, plan, actor=ACTOR)


def test_publishing_a_plan_keeps_the_credit_of_earlier_visits(session):
    town = build(session)
    seed_default_duties(session)
    tz = ZoneInfo(SETTINGS.timezone)
    today = datetime.now(tz).date()
    last_month = today.replace(day=1) - timedelta(days=5)
    h = town["households"]
    for day in (last_month, today):  # household 2 last month, household 5 at midnight today (never in the future)
        record_visit(
            session,
            VisitInput(
                str(uuid.uuid4()),
                town["cadres"]["grid_worker"],
                datetime.combine(day, time(0), tz),
                household_id=h[1 if day < today else 4].id,
            ),
            SETTINGS,
        )
    yesterday = today - timedelta(days=1)
    before = {day: _must_visit(session, day) for day in (yesterday, today)}
    assert before[today] == {h[1].id: "due", h[4].id: "done"}
    _publish_with_newcomer(session, town, h[1].id)
    # Nothing changes: yesterday no plan was in force; today's visit was C1's before the change.
    assert {day: _must_visit(session, day) for day in (yesterday, today)} == before
    mine = cadre_work(session, "C9", today, SETTINGS).mine
    assert h[1].id in set(mine.target_id[mine.duty == "must_visit_monthly"])
