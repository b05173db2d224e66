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

WORST_FIRST = ("overdue", "due", "done")


def _worst(status: pd.DataFrame) -> pd.Series:
    """Each target's most urgent status."""
    ranked = status.assign(rank=status.status.map(WORST_FIRST.index)).sort_values("rank")
    return ranked.drop_duplicates("target_id").set_index("target_id").status


def _points(session: Session, worst: pd.Series) -> list[dict]:
    points = session.execute(
        select(Household.id, Household.code, *lonlat(Household.geom)).where(among(Household.id, worst.index))
    ).all()
    return [{"household_id": p.id, "lon": p.lon, "lat": p.lat, "status": worst[p.id], "label": p.code} for p in points]


def work_places(session: Session, work: CadreWork) -> list[dict]:
    """The cadre's households coloured by their most urgent status, for a map; never the flags."""
    household_duties = [d.code for d in work.compliance.duties if d.target != "village_groups"]
    worst = _worst(work.mine[work.mine.duty.isin(household_duties)])
    events = work.work[work.work.priority.str.startswith("event_")].dropna(subset=["household_id"])
    for row in events.drop_duplicates("household_id").itertuples():  # its most urgent event colours a household
        worst[int(row.household_id)] = row.priority
    return _points(session, worst)


def township_places(session: Session, comp: Compliance) -> tuple[list[dict], list[dict]]:
    """(households by their most urgent status under the all-household duties, events not
    attended in time) for the township map; 必访 duties are left out, as they reveal flags."""
    plain = [d.code for d in comp.duties if d.target == "households"]
    households = _points(session, _worst(comp.status[comp.status.duty.isin(plain)]))
    late = comp.events[comp.events.state.isin(["overdue", "open", "late"])]
    state = dict(zip(late.id, late.state))
    rows = session.execute(select(Event.id, *lonlat(Event.geom)).where(among(Event.id, late.id))).all()
    events = [{"lon": r.lon, "lat": r.lat, "status": state[r.id]} for r in rows]
    return households, events
