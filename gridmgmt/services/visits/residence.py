"""Resident postings (第一书记, 工作队) in the field: check-ins from the phone, and the days each
resident was in their village (003 三.5“每月在村工作不少于 20 天”).

A day in the village is evidenced by a visit to a household or group of the village, or by
a check-in (a located, dated presence) inside its boundary, dated in the local time zone.
"""

import math
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import Date, cast, func, select, union_all
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from gridmgmt.analysis.residence import residence
from gridmgmt.db.models import Cadre, CadreVillage, Checkin, Household, Village, VillageGroup, Visit
from gridmgmt.db.queries import posting_in_force
from gridmgmt.domain.errors import UserError
from gridmgmt.domain.postings import RESIDENT_ASSIGNMENTS, month_of
from gridmgmt.services.visits.compliance import Compliance
from gridmgmt.services.visits.records import Fix, time_problem
from gridmgmt.services.visits.settings import VisitSettings


class CheckinError(UserError, ValueError):
    """A check-in that cannot be stored as given; the message is Chinese and safe to show."""


@dataclass(frozen=True)
class CheckinInput:
    """A check-in as submitted from the phone: who, when, where."""

    client_id: str
    cadre_id: int
    checked_at: datetime
    fix: Fix


def _check(checkin: CheckinInput) -> uuid.UUID:
    """The client id of CHECKIN as a UUID, or CheckinError when anything is off."""
    try:
        client_id = uuid.UUID(str(checkin.client_id))
    except ValueError:
        raise CheckinError("提交编号（client_id）不是有效的 UUID") from None
    if problem := time_problem(checkin.checked_at, "签到时间"):
        raise CheckinError(problem)
    fix = checkin.fix
    if not (-180 <= fix.lon <= 180 and -90 <= fix.lat <= 90):
        raise CheckinError("定位坐标超出范围")
    if fix.accuracy_m is not None and not 0 <= fix.accuracy_m < math.inf:
        raise CheckinError("定位精度须为不小于 0 的有限数字")
    return client_id


def record_checkin(session: Session, checkin: CheckinInput) -> tuple[Checkin, bool]:
    """Store CHECKIN once, in the village of the cadre's township that contains its fix;
    (the stored check-in, whether this call created it). A retry with the same client id
    returns the first; the same id for another cadre is refused. Commits."""
    client_id = _check(checkin)
    point = func.ST_SetSRID(func.ST_MakePoint(checkin.fix.lon, checkin.fix.lat), 4326)
    village_id = session.scalar(
        select(Village.id)
        .join(Cadre, Cadre.township_id == Village.township_id)
        .where(Cadre.id == checkin.cadre_id, func.ST_Covers(Village.geom, point))
        .limit(1)
    )
    if village_id is None:
        raise CheckinError("签到位置不在本乡镇的任何行政村内")
    values = {
        "client_id": client_id,
        "cadre_id": checkin.cadre_id,
        "village_id": village_id,
        "checked_at": checkin.checked_at,
        "accuracy_m": checkin.fix.accuracy_m,
        "geom": point,
    }
    new_id = session.scalar(
        insert(Checkin).values(**values).on_conflict_do_nothing(index_elements=["client_id"]).returning(Checkin.id)
    )
    stored = session.scalar(select(Checkin).where(Checkin.client_id == client_id))
    if stored.cadre_id != checkin.cadre_id:
        session.rollback()
        raise CheckinError("该提交编号已用于另一次签到")
    session.commit()
    return stored, new_id is not None


def _presence(township_id: int, since: date, settings: VisitSettings):
    """(cadre_id, village_id, day) of every visit and check-in of the township's cadres from SINCE."""
    start = settings.start_of_day(since)

    def local_day(column):
        return cast(func.timezone(settings.timezone, column), Date).label("day")

    visited = (
        select(
            Visit.cadre_id,
            func.coalesce(Household.village_id, VillageGroup.village_id).label("village_id"),
            local_day(Visit.visited_at),
        )
        .outerjoin(Household, Household.id == Visit.household_id)
        .outerjoin(VillageGroup, VillageGroup.id == Visit.group_id)
        .join(Cadre, Cadre.id == Visit.cadre_id)
        .where(Cadre.township_id == township_id, Visit.visited_at >= start)
    )
    checked = (
        select(Checkin.cadre_id, Checkin.village_id, local_day(Checkin.checked_at))
        .join(Cadre, Cadre.id == Checkin.cadre_id)
        .where(Cadre.township_id == township_id, Checkin.checked_at >= start)
    )
    return union_all(visited, checked)


def township_residence(session: Session, comp: Compliance) -> pd.DataFrame:
    """Days in the village of every first secretary and work-team member of COMP's township, in
    the month before COMP's day (judged) and its month so far: one row per posting and month."""
    day, settings = comp.day, comp.settings
    township_id = int(comp.data.township["id"])
    first, _ = month_of(day)
    before, _ = month_of(first - timedelta(days=1))
    postings = pd.read_sql(
        select(CadreVillage.cadre_id, CadreVillage.village_id, CadreVillage.start_date, CadreVillage.end_date)
        .join(Cadre, Cadre.id == CadreVillage.cadre_id)
        .where(
            Cadre.township_id == township_id,
            CadreVillage.assignment.in_(RESIDENT_ASSIGNMENTS),
            posting_in_force(before, day),
        ),
        session.connection(),
    )
    postings = postings.astype(object).where(postings.notna(), None)  # open dates as None
    presence = pd.read_sql(_presence(township_id, before, settings), session.connection())
    presence["day"] = pd.to_datetime(presence.day).dt.date
    session.rollback()  # read-only
    return pd.concat(
        [residence(postings, presence, month, day, settings.postings) for month in (before, first)], ignore_index=True
    )
