"""What a grid worker's phone keeps to work with no signal: their area's village and group
outlines and roads, their cells, their households (with the flags their role may see), the
due list, their duties and the party organisations whose meetings they may record. One JSON document, versioned by a hash of its content, so the
phone refetches it only when something in it changed (data, plan, scope, visits, the day).
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gridmgmt.analysis.compliance import PRIORITIES, STATUSES
from gridmgmt.db.models import (
    SENSITIVE_HOUSEHOLD_COLUMNS,
    Cadre,
    Event,
    GridCell,
    Household,
    PartyMember,
    Village,
    VillageGroup,
)
from gridmgmt.db.queries import collection, household_scope, lonlat
from gridmgmt.domain.duties import PERIODS
from gridmgmt.domain.org_life import MEETING_TYPES
from gridmgmt.domain.permissions import Scope, shows_sensitive
from gridmgmt.domain.vocab import EVENT_TYPES, MUST_VISIT_FLAGS
from gridmgmt.services.accounts.audit import Actor, record
from gridmgmt.services.field.my_grid import my_grid
from gridmgmt.services.followups.household_file import household_files
from gridmgmt.services.mapdata.villages import scope_layers
from gridmgmt.services.orgs.meetings import recordable_orgs
from gridmgmt.services.visits.places import work_places
from gridmgmt.services.visits.settings import VisitSettings
from gridmgmt.services.visits.work import CadreWork, cadre_work

# The latest visits of each household the phone keeps (the household page shows more).
PHONE_VISITS = 3
NO_AREA = {
    "villages": collection([]),
    "labels": collection([]),
    "groups": collection([]),
    "roads": collection([]),
    "cells": collection([]),
}


@dataclass(frozen=True)
class FieldUser:
    """Whom the working set is for: the app user, their role and cadre, and what they may see."""

    user_id: int
    username: str
    role: str
    cadre_id: int | None
    scope: Scope


@dataclass(frozen=True)
class WorkingSet:
    """The working set's VERSION (a hash of its content) and its DATA (None: the phone's is current)."""

    version: str
    data: dict | None


def working_set(
    session: Session, user: FieldUser, settings: VisitSettings, actor: Actor, known: str | None = None
) -> WorkingSet:
    """USER's working set today (SETTINGS' time zone); DATA is None when KNOWN is its version already.

    Sending the 四必访 flags is audited (one row naming how many households, never which
    values) and committed.
    """
    show = shows_sensitive(user.role, in_scope=True)
    homes = _households(session, user.scope, show)
    day = settings.today()
    work = _work(session, user.cadre_id, day, settings)
    due, statuses = _due(session, work, homes) if work else ([], {})
    files = household_files(session, [home["id"] for home in homes], latest=PHONE_VISITS)
    for home in homes:
        home["status"] = statuses.get(home["id"])
        home["file"] = files[home["id"]]  # 一户一档 with no signal
    data = {
        "user": {"id": user.user_id, "username": user.username},
        "day": day.isoformat(),
        "area": _area(session, user, day),
        "households": homes,
        "due": due,
        "duties": _duties(work) if work else [],
        "has_cadre": user.cadre_id is not None,
        "orgs": recordable_orgs(session, user.scope),  # whose 组织生活 the phone may record
        "meeting_types": MEETING_TYPES,
        "flag_labels": MUST_VISIT_FLAGS if show else None,
        "priorities": PRIORITIES,
    }
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    version = hashlib.blake2b(body.encode(), digest_size=12).hexdigest()
    if version == known:
        return WorkingSet(version, None)
    if show and homes:
        record(
            session,
            actor,
            "read_sensitive",
            target="field:working_set",
            detail={"households": len(homes), "fields": list(SENSITIVE_HOUSEHOLD_COLUMNS)},
        )
        session.commit()
    return WorkingSet(version, data)


def _area(session: Session, user: FieldUser, day: date) -> dict:
    """Outlines, names and roads of the user's villages; the published cells they hold or that
    lie in the villages they are posted to."""
    layers = scope_layers(session, user.scope, "我的网格")
    if layers is None:
        return {**NO_AREA, "bounds": None}
    cells = my_grid(session, user.cadre_id, day).cell_features()
    return {
        "villages": layers.villages,
        "labels": layers.village_labels,
        "groups": layers.groups,
        "roads": layers.roads,
        "cells": collection(cells),
        "bounds": layers.bounds,
    }


def _households(session: Session, scope: Scope, show: bool) -> list[dict]:
    """What the household page shows of each household in SCOPE (flags only when SHOW)."""
    flag_columns = [getattr(Household, name) for name in MUST_VISIT_FLAGS] if show else []
    rows = (
        session.execute(
            select(
                Household.id,
                Household.code,
                Household.head,
                Household.address,
                Household.member_count,
                Household.is_party_household,
                Household.is_party_center_household,
                Village.name.label("village"),
                VillageGroup.name.label("group"),
                GridCell.code.label("cell"),
                *lonlat(Household.geom),
                *flag_columns,
            )
            .join(Village, Household.village_id == Village.id)
            .outerjoin(VillageGroup, Household.group_id == VillageGroup.id)
            .outerjoin(GridCell, Household.grid_cell_id == GridCell.id)
            .where(*household_scope(scope))
            .order_by(Household.code)
        )
        .mappings()
        .all()
    )
    members = _party_members(session, [row["id"] for row in rows])
    return [
        {
            "id": row["id"],
            "code": row["code"],
            "head": row["head"],
            "village": row["village"],
            "group": row["group"],
            "cell": row["cell"],
            "address": row["address"],
            "members": row["member_count"],
            "party": 2 if row["is_party_center_household"] else int(bool(row["is_party_household"])),
            "party_members": members.get(row["id"], []),
            "lon": round(row["lon"], 6),
            "lat": round(row["lat"], 6),
            **({"flags": [name for name in MUST_VISIT_FLAGS if row[name]]} if show else {}),
        }
        for row in rows
    ]


def _party_members(session: Session, household_ids: list[int]) -> dict[int, list[str]]:
    rows = session.execute(
        select(PartyMember.household_id, func.array_agg(PartyMember.name).label("names"))
        .where(PartyMember.household_id.in_(household_ids))
        .group_by(PartyMember.household_id)
    )
    return {row.household_id: sorted(row.names) for row in rows}


def _work(session: Session, cadre_id: int | None, day: date, settings: VisitSettings) -> CadreWork | None:
    """The cadre's duties and open events on DAY; None for a user with no cadre."""
    code = session.scalar(select(Cadre.code).where(Cadre.id == cadre_id)) if cadre_id else None
    return cadre_work(session, code, day, settings) if code else None


def _due(session: Session, work: CadreWork, homes: list[dict]) -> tuple[list[dict], dict[int, str]]:
    """The due list, most urgent first (where, what, why; never a flag), and each household's
    most urgent status for the map."""
    places = {home["id"]: home for home in homes}
    event_ids = [int(i) for i in work.work.event_id.dropna()]
    points = {
        row.id: (row.lon, row.lat)
        for row in session.execute(select(Event.id, *lonlat(Event.geom)).where(Event.id.in_(event_ids)))
    }
    events = work.compliance.events.set_index("id")
    villages = work.compliance.data.villages.set_index("id").name
    due = []
    for row in work.work.itertuples():
        home = None if pd.isna(row.household_id) else places.get(int(row.household_id))
        event = None if pd.isna(row.event_id) else events.loc[int(row.event_id)]
        lon, lat = (home["lon"], home["lat"]) if home else points[int(row.event_id)]
        due.append(
            {
                "household_id": home and home["id"],
                "event_id": None if event is None else int(row.event_id),
                "priority": row.priority,
                "label": PRIORITIES[row.priority],
                "event_type": None if event is None else EVENT_TYPES[event.event_type],
                "village": home["village"] if home else villages.get(int(event.village_id)),
                "lon": round(lon, 6),
                "lat": round(lat, 6),
            }
        )
    statuses = {place["household_id"]: place["status"] for place in work_places(session, work)}
    return due, statuses


def _duties(work: CadreWork) -> list[dict]:
    """The cadre's duties with how many of their targets are done, due and overdue."""
    counts = work.mine.groupby(["duty", "status"]).size().unstack(fill_value=0)
    return [
        {
            "code": duty.code,
            "name": duty.name,
            "period": PERIODS[duty.period],
            **{
                status: int(counts.loc[duty.code].get(status, 0)) if duty.code in counts.index else 0
                for status in STATUSES
            },
        }
        for duty in work.compliance.duties
        if duty.code in counts.index
    ]
