"""Visits and events queued on a phone, stored one by one: idempotent by client id, each
answered with what the server holds under that id (a resend learns what arrived first)."""

from sqlalchemy.orm import Session

from gridmgmt.db.models import Event, Visit
from gridmgmt.services.visits.events import (
    EventReport,
    record_field_visit,
    report_event,
)
from gridmgmt.services.visits.records import VisitInput, require_in_scope
from gridmgmt.services.visits.settings import VisitSettings


def visit_answer(stored: Visit, created: bool) -> dict:
    """The visit the server holds, as the phone is told (created: this request stored it)."""
    return {
        "id": stored.id,
        "client_id": str(stored.client_id),
        "created": created,
        "household_id": stored.household_id,
        "event_id": stored.event_id,
        "kind": stored.kind,
        "visited_at": stored.visited_at.isoformat(),
        "note": stored.note,
        "flagged": stored.flagged,
        "distance_m": None if stored.distance_m is None else round(stored.distance_m),
    }


def event_answer(event: Event, created: bool) -> dict:
    """The event the server holds, as the phone is told (created: this request stored it)."""
    return {
        "id": event.id,
        "client_id": str(event.client_id),
        "created": created,
        "household_id": event.household_id,
        "event_type": event.event_type,
        "reported_at": event.reported_at.isoformat(),
        "description": event.description,
        "attend_by": event.attend_by.isoformat(),
    }


def store_visit(session: Session, visit: VisitInput, event_id: int | None, settings: VisitSettings) -> dict:
    """Store a phone's VISIT (at event EVENT_ID when given) once; what is stored. Commits.

    Raises OutOfScope, VisitError or EventError (Chinese messages) when it cannot be stored.
    """
    stored, created = record_field_visit(session, visit, settings, event_id)
    return visit_answer(stored, created)


def store_event(session: Session, report: EventReport, settings: VisitSettings) -> dict:
    """Store a phone's event REPORT at a household its cadre answers for, once; what is stored.
    Commits. Raises OutOfScope or EventError (Chinese messages)."""
    require_in_scope(session, report.reported_by, report.household_id, settings.today())
    event, created = report_event(session, report, settings)
    return event_answer(event, created)
