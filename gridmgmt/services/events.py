"""四必到 events: report (with an attend-by deadline per type), attend (a visit), close."""
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gridmgmt.config import get_settings
from gridmgmt.db.models import Cadre, Event, Household, Village, VillageGroup, Visit
from gridmgmt.domain.duties import AttendRules, DutyError, attend_by
from gridmgmt.services.visits import VisitInput, stage_visit


class EventError(ValueError):
    """An event request that cannot be done; the message is Chinese and safe to show."""


@dataclass(frozen=True)
class EventReport:
    """A new event: its type, who reported it when, and where (a household or a point)."""

    event_type: str
    reported_by: int
    reported_at: datetime
    household_id: int | None = None
    lon: float | None = None
    lat: float | None = None
    description: str | None = None


def attend_rules() -> AttendRules:
    """Hours to attend each event type, from the settings."""
    return AttendRules(get_settings().attend_hours)


def _place(session: Session, report: EventReport) -> tuple[int, object, int | None]:
    """(village id, point, household id) of REPORT."""
    if report.household_id is not None:
        home = session.get(Household, report.household_id)
        if home is None:
            raise EventError("事件所在农户不存在")
        return home.village_id, home.geom, home.id
    if report.lon is None or report.lat is None:
        raise EventError("事件须指定农户或位置（经纬度）")
    point = func.ST_SetSRID(func.ST_MakePoint(report.lon, report.lat), 4326)
    village = session.scalar(select(Village.id).where(func.ST_Covers(Village.geom, point)))
    if village is None:
        raise EventError("事件位置不在任何行政村内")
    return village, point, None


def report_event(session: Session, report: EventReport) -> Event:
    """Store a reported event with its deadline; commits."""
    if report.reported_at.tzinfo is None:
        raise EventError("报告时间须带时区")
    if session.get(Cadre, report.reported_by) is None:
        raise EventError(f"没有编号为 {report.reported_by} 的干部")
    try:
        deadline = attend_by(report.event_type, report.reported_at, attend_rules())
    except DutyError as exc:
        raise EventError(str(exc)) from exc
    village_id, point, household_id = _place(session, report)
    event = Event(village_id=village_id, household_id=household_id, event_type=report.event_type,
                  description=report.description, reported_by=report.reported_by,
                  reported_at=report.reported_at, attend_by=deadline, geom=point)
    session.add(event)
    session.commit()
    return event


def report_by_codes(session: Session, cadre_code: str, household_code: str | None, report: EventReport) -> Event:
    """REPORT with its reporter and household given by code (CLI, phone); commits."""
    cadre = session.scalar(select(Cadre.id).where(Cadre.code == cadre_code))
    if cadre is None:
        raise EventError(f"没有编码为 {cadre_code} 的干部")
    home = None
    if household_code:
        home = session.scalar(select(Household.id).where(Household.code == household_code))
        if home is None:
            raise EventError(f"没有编码为 {household_code} 的农户")
    return report_event(session, replace(report, reported_by=cadre, household_id=home))


def _event(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id, with_for_update=True)
    if event is None:
        raise EventError(f"没有编号为 {event_id} 的事件")
    return event


def attend_event(session: Session, event_id: int, visit: VisitInput) -> tuple[Event, Visit, bool]:
    """Record VISIT (kind event) at the event; the first attendance marks it attended. Commits.

    Returns the event, the stored visit and whether it is new: a retried submission
    (same client id) changes nothing.
    """
    event = _event(session, event_id)
    if event.status == "closed":
        raise EventError("事件已办结，不能再登记到场")
    target = {"household_id": event.household_id, "group_id": None}
    if event.household_id is None:  # an event at a point: the nearest group of its village
        target = {"household_id": None, "group_id": session.scalar(
            select(VillageGroup.id).where(VillageGroup.village_id == event.village_id)
            .order_by(VillageGroup.geom.op("<->")(
                select(Event.geom).where(Event.id == event.id).scalar_subquery())).limit(1))}
    stored, created = stage_visit(session, replace(visit, **target, kind="event", event_id=event.id))
    if event.status == "reported":
        event.status, event.attended_by, event.attended_at = "attended", stored.cadre_id, stored.visited_at
    session.commit()
    return event, stored, created


def close_event(session: Session, event_id: int) -> Event:
    """Mark an attended event closed (办结); commits."""
    event = _event(session, event_id)
    if event.status != "attended":
        raise EventError("只有已到场的事件才能办结")
    event.status = "closed"
    session.commit()
    return event
