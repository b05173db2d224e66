"""四必到 events: report (with an attend-by deadline per type, once per client id), attend (a visit), close."""

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from gridmgmt.db.models import Cadre, Event, Household, Village, VillageGroup, Visit
from gridmgmt.domain.duties import DutyError, attend_by
from gridmgmt.domain.errors import UserError
from gridmgmt.services.visits.records import (
    OutOfScope,
    VisitInput,
    record_visit,
    require_in_scope,
    stage_visit,
    stored_visit,
    time_problem,
)
from gridmgmt.services.visits.settings import VisitSettings


class EventError(UserError, ValueError):
    """An event request that cannot be done; the message is Chinese and safe to show."""


@dataclass(frozen=True)
class EventReport:
    """A new event: its type, who reported it when, and where (a household or a point);
    CLIENT_ID is the phone's id of the report (None: the server makes one)."""

    event_type: str
    reported_by: int
    reported_at: datetime
    household_id: int | None = None
    lon: float | None = None
    lat: float | None = None
    description: str | None = None
    client_id: str | None = None


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


def _client_id(report: EventReport) -> uuid.UUID:
    if report.client_id is None:
        return uuid.uuid4()
    try:
        return uuid.UUID(str(report.client_id))
    except ValueError:
        raise EventError("提交编号（client_id）不是有效的 UUID") from None


def report_event(session: Session, report: EventReport, settings: VisitSettings) -> tuple[Event, bool]:
    """Store a reported event with its deadline (SETTINGS' hours for its type) once; (the event,
    whether this call created it). Commits.

    A retry with the same client id returns the first event unchanged (its deadline too);
    the same id for another reporter, place or type is refused.
    """
    client_id = _client_id(report)
    if problem := time_problem(report.reported_at, "上报时间"):
        raise EventError(problem)
    if session.get(Cadre, report.reported_by) is None:
        raise EventError(f"没有编号为 {report.reported_by} 的干部")
    try:
        deadline = attend_by(report.event_type, report.reported_at, settings.attend)
    except DutyError as exc:
        raise EventError(str(exc)) from exc
    village_id, point, household_id = _place(session, report)
    new_id = session.scalar(
        insert(Event)
        .values(
            client_id=client_id,
            village_id=village_id,
            household_id=household_id,
            event_type=report.event_type,
            description=report.description,
            reported_by=report.reported_by,
            reported_at=report.reported_at,
            attend_by=deadline,
            geom=point,
        )
        .on_conflict_do_nothing(index_elements=["client_id"])
        .returning(Event.id)
    )
    event = session.scalar(select(Event).where(Event.client_id == client_id))
    if (event.reported_by, event.village_id, event.household_id, event.event_type) != (
        report.reported_by,
        village_id,
        household_id,
        report.event_type,
    ):
        session.rollback()
        raise EventError("该提交编号已用于另一件事件")
    session.commit()
    return event, new_id is not None


def report_by_codes(
    session: Session, cadre_code: str, household_code: str | None, report: EventReport, settings: VisitSettings
) -> tuple[Event, bool]:
    """REPORT with its reporter and household given by code (CLI); as report_event."""
    cadre = session.scalar(select(Cadre.id).where(Cadre.code == cadre_code))
    if cadre is None:
        raise EventError(f"没有编码为 {cadre_code} 的干部")
    home = None
    if household_code:
        home = session.scalar(select(Household.id).where(Household.code == household_code))
        if home is None:
            raise EventError(f"没有编码为 {household_code} 的农户")
    return report_event(session, replace(report, reported_by=cadre, household_id=home), settings)


def _event(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id, with_for_update=True)
    if event is None:
        raise EventError(f"没有编号为 {event_id} 的事件")
    return event


def attend_event(
    session: Session, event_id: int, visit: VisitInput, settings: VisitSettings
) -> tuple[Event, Visit, bool]:
    """Record VISIT (kind event) at the event; the first attendance marks it attended. Commits.

    Returns the event, the stored visit and whether it is new: a retried submission
    (same client id) changes nothing.
    """
    event = _event(session, event_id)
    if event.status == "closed":
        raise EventError("事件已办结，不能再登记到场")
    target = {"household_id": event.household_id, "group_id": None}
    if event.household_id is None:  # an event at a point: the nearest group of its village
        target = {
            "household_id": None,
            "group_id": session.scalar(
                select(VillageGroup.id)
                .where(VillageGroup.village_id == event.village_id)
                .order_by(VillageGroup.geom.op("<->")(select(Event.geom).where(Event.id == event.id).scalar_subquery()))
                .limit(1)
            ),
        }
    stored, created = stage_visit(session, replace(visit, **target, kind="event", event_id=event.id), settings)
    if event.status == "reported":
        event.status, event.attended_by, event.attended_at = "attended", stored.cadre_id, stored.visited_at
    session.commit()
    return event, stored, created


def record_field_visit(
    session: Session, visit: VisitInput, settings: VisitSettings, event_id: int | None = None
) -> tuple[Visit, bool]:
    """A phone's VISIT by its cadre, or its attendance at event EVENT_ID; (stored, created). Commits.

    A resent visit (its client id stored already) gets the first record back, whatever changed
    since (scope, event status, rules): the phone must learn that it arrived. Raises OutOfScope
    for a household the cadre does not answer for, or an event not at it.
    """
    first = stored_visit(session, visit)
    if first is not None:
        return first, False
    require_in_scope(session, visit.cadre_id, visit.household_id, settings.today())
    if event_id is None:
        return record_visit(session, visit, settings)
    event = session.get(Event, event_id)
    if event is None or event.household_id != visit.household_id:
        raise OutOfScope("没有这件事件，或不在您的走访范围内")
    _, stored, created = attend_event(session, event.id, visit, settings)
    return stored, created


def close_event(session: Session, event_id: int) -> Event:
    """Mark an attended event closed (办结); commits."""
    event = _event(session, event_id)
    if event.status != "attended":
        raise EventError("只有已到场的事件才能办结")
    event.status = "closed"
    session.commit()
    return event
