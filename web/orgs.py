"""组织生活 (each branch's meetings against what it owes, the phone's meeting check-in) and 一帮一 pairings."""

from flask import Blueprint, render_template
from flask_login import current_user

from gridmgmt.config import get_settings
from gridmgmt.domain.org_life import MEETING_TYPES, last_whole_quarter, quarter_span
from gridmgmt.domain.wording import file_name
from gridmgmt.reports.org_life_workbook import (
    BRANCH_COLUMNS,
    GROUP_COLUMNS,
    MEETING_COLUMNS,
    branch_rows,
    group_rows,
    meeting_rows,
)
from gridmgmt.reports.org_life_workbook import org_life_workbook as workbook_bytes
from gridmgmt.services.orgs.meetings import MeetingInput, record_meeting
from gridmgmt.services.orgs.org_life import township_org_life
from gridmgmt.services.orgs.pairings import PairingInput, save_pairing
from gridmgmt.services.visits.records import Fix
from web.auth import current_scope, permission_required, require_township
from web.db import get_session
from web.downloads import XLSX, attachment
from web.inputs import MeetingBody, OrgLifeQuery, PairingBody
from web.params import accepts

bp = Blueprint("orgs", __name__)


def _life(code: str, query: OrgLifeQuery):
    """组织生活 of township CODE (which the user must see) in the quarter asked for, or the last whole one."""
    require_township(code)
    if query.year and query.quarter:
        period = quarter_span(query.year, query.quarter)
    else:
        period = last_whole_quarter(get_settings().today())
    return township_org_life(get_session(), code, *period)


@bp.get("/townships/<code>/org-life")
@permission_required("view_coverage")
@accepts(query=OrgLifeQuery)
def page(code: str, query: OrgLifeQuery):
    """组织生活 of township CODE's branches in a quarter (?year=&quarter=), and the meetings held."""
    life = _life(code, query)
    return render_template(
        "orgs/org_life.html",
        life=life,
        branches=branch_rows(life).to_dict("records"),
        meetings=meeting_rows(life).to_dict("records"),
        groups=group_rows(life).to_dict("records"),
        branch_columns=BRANCH_COLUMNS,
        group_columns=GROUP_COLUMNS,
        meeting_columns=MEETING_COLUMNS,
        quarter=(life.start.month + 2) // 3,
        met=int(life.branches.met.sum()),
    )


@bp.get("/townships/<code>/org-life.xlsx")
@permission_required("view_coverage")
@accepts(query=OrgLifeQuery)
def workbook(code: str, query: OrgLifeQuery):
    """The 组织生活 workbook of township CODE for the quarter asked for."""
    life = _life(code, query)
    return attachment(workbook_bytes(life), XLSX, file_name("org_life", code, f"{life.start:%Y%m}", ext="xlsx"))


@bp.post("/api/meetings")
@permission_required("record_meetings")
@accepts(body=MeetingBody)
def record(body: MeetingBody):
    """Record a 组织生活 meeting from JSON, checked in where the phone is; a retried client_id stays single."""
    stored = store_meeting(body)
    return stored, 201 if stored["created"] else 200


def store_meeting(body: MeetingBody) -> dict:
    """Store a meeting from JSON or the phone's outbox once; what the server holds."""
    settings = get_settings()
    fix = None if body.lon is None or body.lat is None else Fix(body.lon, body.lat, body.accuracy_m)
    meeting = MeetingInput(
        client_id=body.client_id,
        org_code=body.org_code,
        meeting_type=body.meeting_type,
        held_on=body.held_on,
        venue=body.venue,
        topic=body.topic,
        attendee_ids=tuple(body.attendee_ids),
        attendees=body.attendees,
        fix=fix,
        recorded_by=current_user.id,
    )
    stored, created = record_meeting(
        get_session(), meeting, current_scope(), settings.today(), settings.meeting_venue_m
    )
    return {
        "id": stored.id,
        "client_id": str(stored.client_id),
        "created": created,
        "meeting_type": MEETING_TYPES[stored.meeting_type],
        "held_on": stored.held_on.isoformat(),
        "topic": stored.topic,
        "attendees": stored.attendees,
        "at_venue": stored.at_venue,
        "distance_m": None if stored.distance_m is None else round(stored.distance_m),
    }


@bp.post("/api/pairings")
@permission_required("edit_pairings")
@accepts(body=PairingBody)
def pair(body: PairingBody):
    """Start a 一帮一 pairing (帮扶) from JSON, or end it by posting it again with an end date."""
    pairing = PairingInput(body.member_code, body.household_code, body.start_date, body.end_date)
    stored, created = save_pairing(get_session(), pairing, current_scope())
    end = stored.end_date.isoformat() if stored.end_date else None
    return {"id": stored.id, "created": created, "end_date": end}, 201 if created else 200
