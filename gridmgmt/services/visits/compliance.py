"""Compliance of a township on a date: load households, staff and visits, run the analysis."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from gridmgmt.analysis.compliance import (
    Staff, compliance, event_responsibility, event_status, per_cadre, work_list,
)
from gridmgmt.config import get_settings
from gridmgmt.domain.duties import Duty, Term, previous_period
from gridmgmt.domain.vocab import MUST_VISIT_FLAGS
from gridmgmt.services.visits.duties import active_duties

FLAG_SQL = ", ".join(f"h.{name}" for name in MUST_VISIT_FLAGS)
# Plans in force at some time between :since and :until (exclusive); drafts never are.
PLANS_IN_FORCE = """SELECT id FROM grid_plan WHERE township_id = :tid AND status <> 'draft'
                    AND (published_at IS NULL OR published_at < :until)
                    AND (archived_at IS NULL OR archived_at >= :since)"""
QUERIES = {
    "township": "SELECT id, code, name FROM township WHERE code = :code",
    "villages": "SELECT id, code, name FROM village WHERE township_id = :tid ORDER BY code",
    "households": f"""
        SELECT h.id, h.code, h.head, h.village_id, h.group_id, {FLAG_SQL}
        FROM household h JOIN village v ON v.id = h.village_id WHERE v.township_id = :tid""",
    "groups": """SELECT g.id, g.code, g.name, g.village_id FROM village_group g
                 JOIN village v ON v.id = g.village_id WHERE v.township_id = :tid""",
    "cadres": """SELECT c.id, c.code, c.name, c.cadre_role, h.village_id AS home_village_id
                 FROM cadre c LEFT JOIN household h ON h.id = c.household_id
                 WHERE c.township_id = :tid""",
    # A posting holds from the midnight its first day begins to the midnight after its last.
    "postings": """SELECT cv.cadre_id, cv.village_id, cv.start_date::timestamp AS begins,
                          (cv.end_date + 1)::timestamp AS ends
                   FROM cadre_village cv JOIN cadre c ON c.id = cv.cadre_id
                   WHERE c.township_id = :tid AND (cv.start_date IS NULL OR cv.start_date <= :day)
                     AND (cv.end_date IS NULL OR cv.end_date >= :since_day)""",
    "cells": f"""SELECT c.id AS grid_cell_id, c.grid_worker_id AS cadre_id,
                        p.published_at AT TIME ZONE :tz AS begins, p.archived_at AT TIME ZONE :tz AS ends
                 FROM grid_cell c JOIN grid_plan p ON p.id = c.plan_id WHERE p.id IN ({PLANS_IN_FORCE})""",
    "members": f"""SELECT household_id, cell_id AS grid_cell_id FROM grid_membership
                   WHERE plan_id IN ({PLANS_IN_FORCE})""",
    "visits": """SELECT x.cadre_id, x.household_id, x.group_id,
                        date_trunc('day', x.visited_at AT TIME ZONE :tz) AS day
                 FROM visit x JOIN cadre c ON c.id = x.cadre_id
                 WHERE c.township_id = :tid AND x.visited_at >= :since AND x.visited_at < :until""",
    "events": """SELECT e.id, e.village_id, e.household_id, e.event_type, e.status, e.reported_at,
                        e.attend_by, e.attended_at, e.attended_by
                 FROM event e JOIN village v ON v.id = e.village_id WHERE v.township_id = :tid""",
}

# Typed, so that an empty frame (no plan yet, no posting) still merges and compares.
SPAN = {"begins": "datetime64[ns]", "ends": "datetime64[ns]"}
DTYPES = {
    "postings": {"cadre_id": "int64", "village_id": "int64", **SPAN},
    "cells": {"grid_cell_id": "int64", "cadre_id": "Int64", **SPAN},
    "members": {"household_id": "int64", "grid_cell_id": "int64"},
    "visits": {"cadre_id": "int64", "household_id": "float64", "group_id": "float64", "day": "datetime64[ns]"},
}

CADRE_SQL = """SELECT c.id, c.code, c.name, c.cadre_role, t.code AS township_code
               FROM cadre c JOIN township t ON t.id = c.township_id WHERE c.code = :code"""


class NotFound(LookupError):
    """A township, village or cadre code that is not in the database (Chinese message)."""


@dataclass
class TownshipData:
    """Everything compliance needs about one township, as frames."""

    township: dict
    villages: pd.DataFrame
    households: pd.DataFrame
    groups: pd.DataFrame
    staff: Staff
    visits: pd.DataFrame
    events: pd.DataFrame


@dataclass
class Compliance:
    """The status of every duty target on DAY, who answers for it, and the events."""

    day: date
    data: TownshipData
    duties: list[Duty]
    status: pd.DataFrame
    pairs: pd.DataFrame
    events: pd.DataFrame


def term() -> Term:
    """The configured term of office."""
    return Term(get_settings().term_start)


def end_of_day(day: date) -> datetime:
    """The first instant after DAY in the configured time zone."""
    return datetime.combine(day + timedelta(days=1), time(), ZoneInfo(get_settings().timezone))


def _frame(session: Session, name: str, **params) -> pd.DataFrame:
    return pd.read_sql_query(text(QUERIES[name]), session.connection(), params=params, dtype=DTYPES.get(name))


def load_township(session: Session, code: str, day: date, since: date) -> TownshipData:
    """The township CODE's frames, with visits and who answered for what from SINCE to the
    end of DAY; the households' grid_cell_id is their cell at the close of DAY."""
    found = session.execute(text(QUERIES["township"]), {"code": code}).mappings().first()
    if found is None:
        raise NotFound(f"没有编码为 {code} 的乡镇")
    tz = get_settings().timezone
    span = {"tid": found["id"], "tz": tz, "since": datetime.combine(since, time(), ZoneInfo(tz)),
            "until": end_of_day(day)}
    staff = Staff(_frame(session, "cadres", tid=found["id"]),
                  _frame(session, "postings", tid=found["id"], day=day, since_day=since),
                  _frame(session, "cells", **span), _frame(session, "members", **span))
    households = _frame(session, "households", tid=found["id"])
    households["grid_cell_id"] = households.id.map(staff.household_cells(day))
    return TownshipData(dict(found), _frame(session, "villages", tid=found["id"]), households,
                        _frame(session, "groups", tid=found["id"]), staff, _frame(session, "visits", **span),
                        _frame(session, "events", tid=found["id"]))


def township_compliance(session: Session, code: str, day: date) -> Compliance:
    """Every active duty's status in township CODE on DAY, and its 四必到 events then."""
    duties = active_duties(session)
    since = min((previous_period(d.period, day, term())[0] for d in duties), default=day)
    data = load_township(session, code, day, since)
    status, pairs = compliance(duties, data.households, data.groups, data.staff, data.visits, day, term())
    events = event_status(data.events, pd.Timestamp(end_of_day(day)))
    return Compliance(day, data, duties, status, pairs, events)


@dataclass
class CadreWork:
    """One cadre's share of the compliance: their duty targets, events and work list."""

    cadre: dict
    compliance: Compliance
    mine: pd.DataFrame
    events: pd.DataFrame
    work: pd.DataFrame


def find_cadre(session: Session, code: str) -> dict:
    """The cadre with CODE (id, code, name, cadre_role, township_code); NotFound otherwise."""
    found = session.execute(text(CADRE_SQL), {"code": code}).mappings().first()
    if found is None:
        raise NotFound(f"没有编码为 {code} 的干部")
    return dict(found)


def cadre_work(session: Session, code: str, day: date) -> CadreWork:
    """What cadre CODE must still do on DAY: open events past their deadline first."""
    cadre = find_cadre(session, code)
    comp = township_compliance(session, cadre["township_code"], day)
    mine = per_cadre(comp.status, comp.pairs)
    mine = mine[mine.cadre_id == cadre["id"]]
    household_duties = [d.code for d in comp.duties if d.target != "village_groups"]
    answer = event_responsibility(comp.events, comp.data.households, comp.data.staff.on(day))
    events = comp.events[comp.events.id.isin(answer.id[answer.cadre_id == cadre["id"]])]
    work = work_list(mine[mine.duty.isin(household_duties)], events)
    return CadreWork(cadre, comp, mine.reset_index(drop=True), events, work)


POINTS_SQL = """SELECT id, code, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM household WHERE id = ANY(:ids)"""
EVENT_POINTS_SQL = "SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM event WHERE id = ANY(:ids)"
WORST_FIRST = ("overdue", "due", "done")


def _worst(status: pd.DataFrame) -> pd.Series:
    """Each target's most urgent status."""
    ranked = status.assign(rank=status.status.map(WORST_FIRST.index)).sort_values("rank")
    return ranked.drop_duplicates("target_id").set_index("target_id").status


def _points(session: Session, worst: pd.Series) -> list[dict]:
    ids = [int(i) for i in worst.index]
    points = session.execute(text(POINTS_SQL), {"ids": ids}).mappings().all()
    return [{"household_id": p["id"], "lon": p["lon"], "lat": p["lat"], "status": worst[p["id"]], "label": p["code"]}
            for p in points]


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
    rows = session.execute(text(EVENT_POINTS_SQL), {"ids": [int(i) for i in late.id]}).mappings().all()
    events = [{"lon": r["lon"], "lat": r["lat"], "status": state[r["id"]]} for r in rows]
    return households, events
