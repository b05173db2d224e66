"""Recording 组织生活 meetings: idempotent by client id, checked in at the venue when the phone can."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from gridmgmt.db.models import OrgMeeting, PartyMember, PartyOrg
from gridmgmt.domain.errors import Conflict, NotFound, UserError
from gridmgmt.domain.limits import CALENDAR_TEXT, in_calendar
from gridmgmt.domain.org_life import GROUP_MEETING, MEETING_TYPES
from gridmgmt.domain.permissions import Scope, sees_township, sees_village
from gridmgmt.services.visits.records import Fix, fix_problem, point_of

MAX_ATTENDEES = 2000


class MeetingError(UserError, ValueError):
    """A meeting that cannot be stored as given; the message is Chinese and safe to show."""


class OrgNotFound(NotFound, LookupError):
    """No such party organisation, or not one the user answers for."""


class MeetingConflict(Conflict, ValueError):
    """The client id was used for another meeting."""


@dataclass(frozen=True)
class MeetingInput:
    """A meeting as submitted from the phone or a form."""

    client_id: str
    org_code: str
    meeting_type: str
    held_on: date
    venue: str | None = None
    topic: str | None = None
    attendee_ids: tuple[int, ...] = ()
    attendees: int | None = None  # a head count when names were not taken
    fix: Fix | None = None
    recorded_by: int | None = None  # app_user id


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise MeetingError("提交编号（client_id）不是有效的 UUID") from None


def _answers_for(scope: Scope, org: PartyOrg) -> bool:
    """Whether SCOPE covers ORG: its village, or (an org of no village) its whole township."""
    if org.village_id is None:
        return sees_township(scope, org.township_id) and scope.village_ids is None
    return sees_village(scope, org.township_id, org.village_id)


def _org(session: Session, code: str, scope: Scope) -> PartyOrg:
    org = session.scalar(select(PartyOrg).where(PartyOrg.code == code))
    if org is None or not _answers_for(scope, org):
        raise OrgNotFound("没有这个党组织，或不在您的范围内")
    return org


def recordable_orgs(session: Session, scope: Scope) -> list[dict]:
    """The party organisations whose meetings SCOPE may record (never a 党小组): code and name, by code."""
    query = select(PartyOrg).where(PartyOrg.org_type != "party_group").order_by(PartyOrg.code)
    if scope.township_ids is not None:
        query = query.where(PartyOrg.township_id.in_(scope.township_ids))
    return [{"code": org.code, "name": org.name} for org in session.scalars(query) if _answers_for(scope, org)]


def _check(session: Session, meeting: MeetingInput, org: PartyOrg, today: date) -> None:
    if meeting.meeting_type not in MEETING_TYPES:
        raise MeetingError(f"未知会议类型 {meeting.meeting_type}；可选：{'、'.join(MEETING_TYPES.values())}")
    # A 党小组 holds only 党小组会, and a 党小组会 is its group's (each group owes its own, 002 二(三)1).
    if (org.org_type == "party_group") != (meeting.meeting_type == GROUP_MEETING):
        if org.org_type == "party_group":
            raise MeetingError(f"{org.name}是党小组，只登记党小组会；其他会议请选择党小组所在的党支部")
        raise MeetingError("党小组会请选择召开会议的党小组登记")
    if not in_calendar(meeting.held_on):
        raise MeetingError(f"会议日期须在 {CALENDAR_TEXT} 之间")
    if meeting.held_on > today:
        raise MeetingError("会议日期不能晚于今天")
    if meeting.fix and (problem := fix_problem(meeting.fix)):
        raise MeetingError(problem)
    if len(meeting.attendee_ids) > MAX_ATTENDEES:
        raise MeetingError(f"参会党员不能超过 {MAX_ATTENDEES} 人")
    own = select(PartyOrg.id).where((PartyOrg.id == org.id) | (PartyOrg.parent_id == org.id))
    known = set(
        session.scalars(
            select(PartyMember.id).where(PartyMember.id.in_(meeting.attendee_ids), PartyMember.party_org_id.in_(own))
        )
    )
    strangers = sorted(set(meeting.attendee_ids) - known)
    if strangers:
        raise MeetingError(f"参会党员编号 {'、'.join(map(str, strangers[:10]))} 不是本组织的党员")


def _distance(session: Session, org: PartyOrg, fix: Fix | None) -> float | None:
    """Metres from the check-in to the org's venue; None without either."""
    if fix is None or org.venue is None:
        return None
    return session.scalar(
        select(func.ST_Distance(func.geography(PartyOrg.venue), func.geography(point_of(fix)))).where(
            PartyOrg.id == org.id
        )
    )


def record_meeting(
    session: Session, meeting: MeetingInput, scope: Scope, today: date, venue_m: float
) -> tuple[OrgMeeting, bool]:
    """Store MEETING once; (the stored meeting, whether this call created it). Commits.

    A retry with the same client id returns the first record unchanged; the same id for
    another org, type or day is refused. A check-in within VENUE_M of the org's venue is
    at the venue; a farther one is kept and marked not at the venue.
    """
    client_id = _uuid(meeting.client_id)
    org = _org(session, meeting.org_code, scope)
    _check(session, meeting, org, today)
    distance = _distance(session, org, meeting.fix)
    fix = meeting.fix
    values = {
        "client_id": client_id,
        "party_org_id": org.id,
        "meeting_type": meeting.meeting_type,
        "held_on": meeting.held_on,
        "venue": meeting.venue,
        "topic": meeting.topic,
        "attendee_ids": sorted(set(meeting.attendee_ids)),
        "attendees": max(len(set(meeting.attendee_ids)), meeting.attendees or 0),
        "recorded_by": meeting.recorded_by,
        "accuracy_m": fix.accuracy_m if fix else None,
        "distance_m": distance,
        "at_venue": None if distance is None else distance <= venue_m,
        "geom": point_of(fix) if fix else None,
    }
    new_id = session.scalar(
        insert(OrgMeeting)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["client_id"])
        .returning(OrgMeeting.id)
    )
    stored = session.scalar(select(OrgMeeting).where(OrgMeeting.client_id == client_id))
    if (stored.party_org_id, stored.meeting_type, stored.held_on) != (org.id, meeting.meeting_type, meeting.held_on):
        session.rollback()
        raise MeetingConflict("该提交编号已用于另一条会议记录")
    session.commit()
    return stored, new_id is not None
