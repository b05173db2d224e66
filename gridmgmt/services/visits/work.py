"""One cadre's work on a day: their share of the compliance, read for their own villages only."""

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Select, or_, select, union
from sqlalchemy.orm import Session

from gridmgmt.analysis.compliance import event_responsibility, per_cadre, work_list
from gridmgmt.db.models import Cadre, CadreVillage, GridCell, GridMembership, GridPlan, Household
from gridmgmt.db.queries import posting_in_force
from gridmgmt.domain.duties import Duty, binds, covers_township
from gridmgmt.services.visits.compliance import Compliance, find_cadre, township_compliance
from gridmgmt.services.visits.duties import active_duties
from gridmgmt.services.visits.settings import VisitSettings


@dataclass
class CadreWork:
    """One cadre's share of the compliance: their duty targets, events and work list."""

    cadre: dict
    compliance: Compliance
    mine: pd.DataFrame
    events: pd.DataFrame
    work: pd.DataFrame


def cadre_villages(cadre: dict, day: date, duties: list[Duty], settings: VisitSettings) -> Select | None:
    """The ids of the villages where CADRE can answer for a target or an event at the close of
    DAY (posted, home, the households of the cells they hold); None when a township-wide duty
    of DUTIES applies to them, which makes every village theirs."""
    if covers_township(duties, cadre["cadre_role"], cadre["id"]):
        return None
    posted = select(CadreVillage.village_id).where(CadreVillage.cadre_id == cadre["id"], posting_in_force(day))
    home = select(Household.village_id).join(Cadre, Cadre.household_id == Household.id).where(Cadre.id == cadre["id"])
    # Any plan not archived before DAY began: a superset of the plan in force at its close.
    held = (
        select(Household.village_id)
        .join(GridMembership, GridMembership.household_id == Household.id)
        .join(GridCell, GridCell.id == GridMembership.cell_id)
        .join(GridPlan, GridPlan.id == GridCell.plan_id)
        .where(
            GridCell.grid_worker_id == cadre["id"],
            GridPlan.status != "draft",
            or_(GridPlan.archived_at.is_(None), GridPlan.archived_at >= settings.start_of_day(day)),
        )
    )
    return select(union(posted, home, held).subquery().c[0])


def cadre_work(session: Session, code: str, day: date, settings: VisitSettings) -> CadreWork:
    """What cadre CODE must still do on DAY: open events past their deadline first.

    Only the cadre's villages and the duties that bind them are read: a target's status depends
    on its own visits and on the staff, never on other targets or duties, so it comes out as
    the whole township's compliance gives it."""
    cadre = find_cadre(session, code)
    duties = active_duties(session)
    villages = cadre_villages(cadre, day, duties, settings)
    # A duty that does not bind the cadre gives them no row: it is not worked out at all.
    comp = township_compliance(
        session, cadre["township_code"], day, settings, villages, lambda d: binds(d, cadre["cadre_role"], cadre["id"])
    )
    mine = per_cadre(comp.status, comp.pairs)
    mine = mine[mine.cadre_id == cadre["id"]]
    household_duties = [d.code for d in comp.duties if d.target != "village_groups"]
    answer = event_responsibility(comp.events, comp.data.households, comp.data.staff.on(day))
    events = comp.events[comp.events.id.isin(answer.id[answer.cadre_id == cadre["id"]])]
    work = work_list(mine[mine.duty.isin(household_duties)], events)
    return CadreWork(cadre, comp, mine.reset_index(drop=True), events, work)
