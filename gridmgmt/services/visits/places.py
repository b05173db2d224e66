"""Where the work is, for maps: households coloured by their most urgent status, and late events.

Only the status colours a place: never a 四必访 flag (the township map leaves the 必访 duties out).
"""

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from gridmgmt.db.models import Event, Household
from gridmgmt.db.queries import among, lonlat
from gridmgmt.services.visits.compliance import Compliance
from gridmgmt.services.visits.work import CadreWork

URGENT_FIRST = ("overdue", "due", "done")


def worst_status(status: pd.DataFrame) -> pd.Series:
    """Each target's most urgent status, by target id."""
    ranked = status.assign(rank=status.status.map(URGENT_FIRST.index)).sort_values("rank")
    return ranked.drop_duplicates("target_id").set_index("target_id").status


def _points(session: Session, worst: pd.Series) -> list[dict]:
    points = session.execute(
        select(Household.id, Household.code, *lonlat(Household.geom)).where(among(Household.id, worst.index))
    ).all()
    return [{"household_id": p.id, "lon": p.lon, "lat": p.lat, "status": worst[p.id], "label": p.code} for p in points]


def work_places(session: Session, work: CadreWork) -> list[dict]:
    """The cadre's households coloured by their most urgent status, for a map; never the flags."""
    household_duties = [d.code for d in work.compliance.duties if d.target != "village_groups"]
    worst = worst_status(work.mine[work.mine.duty.isin(household_duties)])
    events = work.work[work.work.priority.str.startswith("event_")].dropna(subset=["household_id"])
    for row in events.drop_duplicates("household_id").itertuples():  # its most urgent event colours a household
        worst[int(row.household_id)] = row.priority
    return _points(session, worst)


def plain_status(comp: Compliance) -> pd.DataFrame:
    """COMP's status rows under the all-household duties: the 必访 duties are left out, as they reveal flags."""
    plain = [d.code for d in comp.duties if d.target == "households"]
    return comp.status[comp.status.duty.isin(plain)]


def household_places(session: Session, comp: Compliance) -> list[dict]:
    """COMP's households by their most urgent status under the all-household duties, for a map."""
    return _points(session, worst_status(plain_status(comp)))


def late_event_places(session: Session, comp: Compliance) -> list[dict]:
    """COMP's 四必到 events not attended in time or still open, with their state, for a map."""
    late = comp.events[comp.events.state.isin(["overdue", "open", "late"])]
    state = dict(zip(late.id, late.state))
    rows = session.execute(select(Event.id, *lonlat(Event.geom)).where(among(Event.id, late.id))).all()
    return [{"lon": r.lon, "lat": r.lat, "status": state[r.id]} for r in rows]
