"""Recording visits from the field: idempotent by client id, far fixes flagged not refused."""

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from gridmgmt.db.models import Cadre, Household, VillageGroup, Visit
from gridmgmt.domain.errors import NotFound, UserError
from gridmgmt.domain.limits import CALENDAR_TEXT, in_calendar
from gridmgmt.domain.vocab import VISIT_KINDS
from gridmgmt.services.accounts.scopes import answers_for
from gridmgmt.services.visits.settings import VisitSettings

# A phone clock may run a little fast; further in the future is a mistake.
CLOCK_SKEW = timedelta(minutes=10)
MAX_NOTE = 2000


class VisitError(UserError, ValueError):
    """A visit that cannot be stored as given; the message is Chinese and safe to show."""


class OutOfScope(NotFound, LookupError):
    """The household or event is unknown, or outside what the cadre answers for (Chinese message)."""


@dataclass(frozen=True)
class Fix:
    """A phone's position: longitude, latitude (EPSG:4326) and accuracy in metres."""

    lon: float
    lat: float
    accuracy_m: float | None = None


@dataclass(frozen=True)
class VisitInput:
    """A visit as submitted: which household (or village group), who, when, where, what."""

    client_id: str
    cadre_id: int
    visited_at: datetime
    household_id: int | None = None
    group_id: int | None = None
    kind: str = "routine"
    note: str | None = None
    fix: Fix | None = None
    event_id: int | None = None


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise VisitError("提交编号（client_id）不是有效的 UUID") from None


def time_problem(at: datetime, what: str) -> str | None:
    """Why AT, the time of WHAT (走访时间, 上报时间), is refused: no time zone, outside the
    calendar, in the future; None when it is fine."""
    if at.tzinfo is None:
        return f"{what}须带时区"
    if not in_calendar(at.date()):
        return f"{what}须在 {CALENDAR_TEXT} 之间"
    if at > datetime.now(UTC) + CLOCK_SKEW:
        return f"{what}不能晚于现在"
    return None


def _check(session: Session, visit: VisitInput) -> None:
    if (visit.household_id is None) == (visit.group_id is None):
        raise VisitError("走访须指定一户农户或一个村民小组（二者选一）")
    if visit.kind not in VISIT_KINDS:
        raise VisitError(f"未知走访类型 {visit.kind}；可选：{'、'.join(VISIT_KINDS)}")
    if problem := time_problem(visit.visited_at, "走访时间"):
        raise VisitError(problem)
    if visit.note and len(visit.note) > MAX_NOTE:
        raise VisitError(f"备注不能超过 {MAX_NOTE} 字")
    if visit.fix and (problem := fix_problem(visit.fix)):
        raise VisitError(problem)
    if session.get(Cadre, visit.cadre_id) is None:
        raise VisitError(f"没有编号为 {visit.cadre_id} 的干部")
    target = (
        session.get(Household, visit.household_id) if visit.household_id else session.get(VillageGroup, visit.group_id)
    )
    if target is None:
        raise VisitError("要走访的农户或村民小组不存在")


def fix_problem(fix: Fix) -> str | None:
    """Why the phone's FIX is refused (coordinates or accuracy out of range); None when it is fine."""
    if not (-180 <= fix.lon <= 180 and -90 <= fix.lat <= 90):
        return "定位坐标超出范围"
    if fix.accuracy_m is not None and not 0 <= fix.accuracy_m < math.inf:  # NaN fails too
        return "定位精度须为不小于 0 的有限数字"
    return None


def point_of(fix: Fix):
    """The EPSG:4326 point of FIX, as an SQL expression."""
    return func.ST_SetSRID(func.ST_MakePoint(fix.lon, fix.lat), 4326)


def _distance(session: Session, visit: VisitInput) -> float | None:
    """Metres from the fix to the household (or into the group's area)."""
    if visit.fix is None:
        return None
    target, key = (Household, visit.household_id) if visit.household_id else (VillageGroup, visit.group_id)
    return session.execute(
        select(func.ST_Distance(func.geography(target.geom), func.geography(point_of(visit.fix)))).where(
            target.id == key
        )
    ).scalar_one()


def record_visit(session: Session, visit: VisitInput, settings: VisitSettings) -> tuple[Visit, bool]:
    """Store VISIT once; (the stored visit, whether this call created it). Commits."""
    stored, created = stage_visit(session, visit, settings)
    session.commit()
    return stored, created


def stage_visit(session: Session, visit: VisitInput, settings: VisitSettings) -> tuple[Visit, bool]:
    """Add VISIT unless its client id is stored already; the caller commits.

    A retry with the same client id returns the first record unchanged; the same id
    for a different cadre or target is refused. A fix farther than SETTINGS' far_m
    from the household is kept and flagged for review.
    """
    client_id = _uuid(visit.client_id)
    _check(session, visit)
    distance = _distance(session, visit)
    fix = visit.fix
    values = {
        "client_id": client_id,
        "cadre_id": visit.cadre_id,
        "household_id": visit.household_id,
        "group_id": visit.group_id,
        "event_id": visit.event_id,
        "visited_at": visit.visited_at,
        "kind": visit.kind,
        "note": visit.note,
        "distance_m": distance,
        "accuracy_m": fix.accuracy_m if fix else None,
        "flagged": distance is not None and distance > settings.far_m,
        "geom": point_of(fix) if fix else None,
    }
    new_id = session.scalar(
        insert(Visit).values(**values).on_conflict_do_nothing(index_elements=["client_id"]).returning(Visit.id)
    )
    stored = session.scalar(select(Visit).where(Visit.client_id == client_id))
    same = (stored.cadre_id, stored.household_id, stored.group_id) == (
        visit.cadre_id,
        visit.household_id,
        visit.group_id,
    )
    if not same:
        session.rollback()
        raise VisitError("该提交编号已用于另一条走访记录")
    return stored, new_id is not None


def stored_visit(session: Session, visit: VisitInput) -> Visit | None:
    """The visit stored under VISIT's client id (None: none yet); VisitError when that id is
    another cadre's or another household's visit."""
    stored = session.scalar(select(Visit).where(Visit.client_id == _uuid(visit.client_id)))
    if stored is not None and (stored.cadre_id, stored.household_id) != (visit.cadre_id, visit.household_id):
        raise VisitError("该提交编号已用于另一条走访记录")
    return stored


def flagged_visits(session: Session, township_id: int) -> list[Visit]:
    """Visits of the township's cadres flagged as recorded far from the target, newest first."""
    return list(
        session.scalars(
            select(Visit)
            .join(Cadre, Cadre.id == Visit.cadre_id)
            .where(Cadre.township_id == township_id, Visit.flagged)
            .order_by(Visit.visited_at.desc())
        )
    )


def require_in_scope(session: Session, cadre_id: int, household_id: int | None, day: date) -> None:
    """Raise OutOfScope unless the household lies in the cadre's scope on DAY (gridmgmt.services.accounts.scopes)."""
    if household_id is None or not answers_for(session, cadre_id, household_id, day):
        raise OutOfScope("没有这户农户，或不在您的走访范围内")
