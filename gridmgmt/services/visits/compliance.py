"""Compliance of a township on a date: load households, staff and visits, run the analysis."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import DateTime, Select, cast, func, or_, select
from sqlalchemy.orm import Session

from gridmgmt.analysis.compliance import (
    Staff,
    compliance,
    event_status,
)
from gridmgmt.db.models import (
    Cadre,
    CadreVillage,
    Event,
    GridCell,
    GridMembership,
    GridPlan,
    Household,
    Township,
    Village,
    VillageGroup,
    Visit,
)
from gridmgmt.db.queries import in_township, posting_in_force, township_villages
from gridmgmt.domain.duties import Duty, previous_period
from gridmgmt.domain.errors import NotFound, TownshipNotFound
from gridmgmt.domain.vocab import MUST_VISIT_FLAGS
from gridmgmt.services.visits.duties import active_duties
from gridmgmt.services.visits.settings import VisitSettings

# Typed, so that an empty frame (no plan yet, no posting) still merges and compares.
SPAN = {"begins": "datetime64[ns]", "ends": "datetime64[ns]"}
DTYPES = {
    "postings": {"cadre_id": "int64", "village_id": "int64", **SPAN},
    "cells": {"grid_cell_id": "int64", "cadre_id": "Int64", **SPAN},
    "members": {"household_id": "int64", "grid_cell_id": "int64"},
    "visits": {"cadre_id": "int64", "household_id": "float64", "group_id": "float64", "day": "datetime64[ns]"},
}


class CodeNotFound(NotFound, LookupError):
    """A village or cadre code that is not in the database (Chinese message)."""


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
    """The status of every duty target on DAY, who answers for it, and the events; SETTINGS
    are the time zone and term it was worked out in."""

    day: date
    data: TownshipData
    duties: list[Duty]
    status: pd.DataFrame
    pairs: pd.DataFrame
    events: pd.DataFrame
    settings: VisitSettings


@dataclass(frozen=True)
class Span:
    """The township and the time the staff and visits are read for: SINCE to UNTIL (excluded),
    dated in the time zone TZ."""

    township_id: int
    since: datetime
    until: datetime
    tz: str
    villages: Select | None = None

    def households(self) -> list:
        """WHERE clauses: the household lies in the township and, when the span is narrowed, in its villages."""
        narrowed = [] if self.villages is None else [Household.village_id.in_(self.villages)]
        return [in_township(self.township_id), *narrowed]

    def village_ids(self) -> Select:
        """The ids of the villages read: the township's, or those the span is narrowed to."""
        return township_villages(self.township_id) if self.villages is None else self.villages

    def local(self, column):
        """COLUMN (a timestamptz) as the local time of the time zone."""
        return func.timezone(self.tz, column)


def _plans_in_force(span: Span) -> Select:
    """Plans in force at some time of SPAN; drafts never are."""
    return select(GridPlan.id).where(
        GridPlan.township_id == span.township_id,
        GridPlan.status != "draft",
        or_(GridPlan.published_at.is_(None), GridPlan.published_at < span.until),
        or_(GridPlan.archived_at.is_(None), GridPlan.archived_at >= span.since),
    )


def _postings(township_id: int, day: date, since_day: date) -> Select:
    # A posting holds from the midnight its first day begins to the midnight after its last.
    return (
        select(
            CadreVillage.cadre_id,
            CadreVillage.village_id,
            cast(CadreVillage.start_date, DateTime).label("begins"),
            (cast(CadreVillage.end_date, DateTime) + timedelta(days=1)).label("ends"),
        )
        .join(Cadre, Cadre.id == CadreVillage.cadre_id)
        .where(Cadre.township_id == township_id, posting_in_force(since_day, day))
    )


def _staff_queries(span: Span, day: date, since_day: date) -> dict[str, Select]:
    """The statements of the staff frames: cadres, postings, cells, members."""
    return {
        "cadres": select(
            Cadre.id, Cadre.code, Cadre.name, Cadre.cadre_role, Household.village_id.label("home_village_id")
        )
        .outerjoin(Household, Household.id == Cadre.household_id)
        .where(Cadre.township_id == span.township_id),
        "postings": _postings(span.township_id, day, since_day),
        "cells": select(
            GridCell.id.label("grid_cell_id"),
            GridCell.grid_worker_id.label("cadre_id"),
            span.local(GridPlan.published_at).label("begins"),
            span.local(GridPlan.archived_at).label("ends"),
        )
        .join(GridPlan, GridPlan.id == GridCell.plan_id)
        .where(GridPlan.id.in_(_plans_in_force(span))),
        "members": select(GridMembership.household_id, GridMembership.cell_id.label("grid_cell_id")).where(
            GridMembership.plan_id.in_(_plans_in_force(span)),
            GridMembership.household_id.in_(select(Household.id).where(*span.households())),
        ),
    }


def _place_queries(span: Span) -> dict[str, Select]:
    """The statements of the township's villages (all of them), and of the households, groups
    and events of the villages read."""
    return {
        "villages": select(Village.id, Village.code, Village.name)
        .where(Village.township_id == span.township_id)
        .order_by(Village.code),
        "households": select(
            Household.id,
            Household.code,
            Household.head,
            Household.village_id,
            Household.group_id,
            *(getattr(Household, flag) for flag in MUST_VISIT_FLAGS),
        ).where(*span.households()),
        "groups": select(VillageGroup.id, VillageGroup.code, VillageGroup.name, VillageGroup.village_id).where(
            VillageGroup.village_id.in_(span.village_ids())
        ),
        "events": select(
            Event.id,
            Event.village_id,
            Event.household_id,
            Event.event_type,
            Event.status,
            Event.reported_at,
            Event.attend_by,
            Event.attended_at,
            Event.attended_by,
        ).where(Event.village_id.in_(span.village_ids())),
    }


def _visits(span: Span) -> Select:
    # Narrowed: only visits to the households and groups read can count for their targets.
    narrowed = (
        []
        if span.villages is None
        else [
            or_(
                Visit.household_id.in_(select(Household.id).where(*span.households())),
                Visit.group_id.in_(select(VillageGroup.id).where(VillageGroup.village_id.in_(span.villages))),
            )
        ]
    )
    return (
        select(
            Visit.cadre_id,
            Visit.household_id,
            Visit.group_id,
            func.date_trunc("day", span.local(Visit.visited_at)).label("day"),
        )
        .join(Cadre, Cadre.id == Visit.cadre_id)
        .where(
            Cadre.township_id == span.township_id,
            Visit.visited_at >= span.since,
            Visit.visited_at < span.until,
            *narrowed,
        )
    )


def _frames(session: Session, statements: dict[str, Select]) -> dict[str, pd.DataFrame]:
    return {
        name: pd.read_sql(statement, session.connection(), dtype=DTYPES.get(name))
        for name, statement in statements.items()
    }


def load_township(
    session: Session, code: str, day: date, since: date, settings: VisitSettings, villages: Select | None = None
) -> TownshipData:
    """The township CODE's frames, with visits and who answered for what from SINCE to the
    end of DAY; the households' grid_cell_id is their cell at the close of DAY. VILLAGES (ids,
    a subquery) narrows the households, groups, events and visits to those villages; every
    cadre, posting and cell is read all the same, as one target's status depends on them all."""
    found = (
        session.execute(select(Township.id, Township.code, Township.name).where(Township.code == code))
        .mappings()
        .first()
    )
    if found is None:
        raise TownshipNotFound(code)
    span = Span(found["id"], settings.start_of_day(since), settings.end_of_day(day), settings.timezone, villages)
    staff = Staff(**_frames(session, _staff_queries(span, day, since)))
    places = _frames(session, _place_queries(span))
    households = places["households"]
    households["grid_cell_id"] = households.id.map(staff.household_cells(day))
    visits = pd.read_sql(_visits(span), session.connection(), dtype=DTYPES["visits"])
    return TownshipData(dict(found), places["villages"], households, places["groups"], staff, visits, places["events"])


def township_compliance(
    session: Session,
    code: str,
    day: date,
    settings: VisitSettings,
    villages: Select | None = None,
    only: Callable[[Duty], bool] | None = None,
) -> Compliance:
    """Every active duty's status in township CODE on DAY, and its 四必到 events then; only
    of the targets in VILLAGES (ids, a subquery) and of the duties ONLY picks when given.
    Visits are read as far back as every active duty needs, so a target's last visit is the same."""
    active = active_duties(session)
    since = min((previous_period(d.period, day, settings.term)[0] for d in active), default=day)
    duties = active if only is None else [d for d in active if only(d)]
    data = load_township(session, code, day, since, settings, villages)
    status, pairs = compliance(duties, data.households, data.groups, data.staff, data.visits, day, settings.term)
    events = event_status(data.events, pd.Timestamp(settings.end_of_day(day)))
    return Compliance(day, data, duties, status, pairs, events, settings)


def find_cadre(session: Session, code: str) -> dict:
    """The cadre with CODE (id, code, name, cadre_role, township_code); CodeNotFound otherwise."""
    found = (
        session.execute(
            select(Cadre.id, Cadre.code, Cadre.name, Cadre.cadre_role, Township.code.label("township_code"))
            .join(Township, Township.id == Cadre.township_id)
            .where(Cadre.code == code)
        )
        .mappings()
        .first()
    )
    if found is None:
        raise CodeNotFound(f"没有编码为 {code} 的干部")
    return dict(found)


def cadre_code(session: Session, cadre_id: int | None) -> str | None:
    """The code of the cadre CADRE_ID (None when there is none)."""
    return session.scalar(select(Cadre.code).where(Cadre.id == cadre_id))
