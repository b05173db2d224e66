"""Each branch's 组织生活 in a period: the meetings it held and those it owed (gridmgmt.domain.org_life)."""

from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from gridmgmt.analysis.orgs import group_meeting_table, org_life_table
from gridmgmt.db.models import OrgMeeting, PartyOrg, Township, Village
from gridmgmt.domain.branch_rules import BRANCH_TYPES
from gridmgmt.domain.errors import TownshipNotFound
from gridmgmt.readmodels import OrgLife


def _branches(session: Session, township_id: int) -> pd.DataFrame:
    rows = (
        select(PartyOrg.id, Village.name.label("village"), PartyOrg.code, PartyOrg.name, PartyOrg.committee_size)
        .outerjoin(Village, Village.id == PartyOrg.village_id)
        .where(PartyOrg.township_id == township_id, PartyOrg.org_type.in_(BRANCH_TYPES))
        .order_by(PartyOrg.code)
    )
    return pd.read_sql(rows, session.connection()).set_index("id")


def _groups(session: Session, township_id: int) -> pd.DataFrame:
    """The township's 党小组 by org id: village, code, name, parent_id and the name of that parent ('branch')."""
    parent = aliased(PartyOrg)
    rows = (
        select(
            PartyOrg.id,
            Village.name.label("village"),
            PartyOrg.code,
            PartyOrg.name,
            PartyOrg.parent_id,
            parent.name.label("branch"),
        )
        .join(parent, parent.id == PartyOrg.parent_id)
        .outerjoin(Village, Village.id == PartyOrg.village_id)
        .where(PartyOrg.township_id == township_id, PartyOrg.org_type == "party_group")
        .order_by(PartyOrg.code)
    )
    return pd.read_sql(rows, session.connection()).set_index("id")


def _meetings(session: Session, township_id: int, start: date, end: date) -> pd.DataFrame:
    rows = (
        select(
            OrgMeeting.party_org_id,
            OrgMeeting.held_on,
            PartyOrg.name.label("branch"),
            OrgMeeting.meeting_type,
            OrgMeeting.venue,
            OrgMeeting.attendees,
            OrgMeeting.at_venue,
            OrgMeeting.distance_m,
        )
        .join(PartyOrg, PartyOrg.id == OrgMeeting.party_org_id)
        .where(PartyOrg.township_id == township_id, OrgMeeting.held_on.between(start, end))
        .order_by(OrgMeeting.held_on, PartyOrg.code)
    )
    return pd.read_sql(rows, session.connection())


def missed_meetings(session: Session, township_id: int, start: date, end: date) -> dict[int, list[str]]:
    """Meetings each branch of the township missed in START..END (labels), by org id; empty lists for those that met."""
    meetings = _meetings(session, township_id, start, end)
    table = org_life_table(_branches(session, township_id), meetings, start, end, _groups(session, township_id))
    return table.missed.to_dict()


def township_org_life(session: Session, code: str, start: date, end: date) -> OrgLife:
    """组织生活 of township CODE's branches from START to END; raises TownshipNotFound."""
    township = session.execute(select(Township.id, Township.name).where(Township.code == code)).one_or_none()
    if township is None:
        raise TownshipNotFound(code)
    meetings = _meetings(session, township.id, start, end)
    groups = _groups(session, township.id)
    branches = org_life_table(_branches(session, township.id), meetings, start, end, groups)
    session.rollback()  # read-only
    return OrgLife(
        code,
        township.name,
        start,
        end,
        branches,
        meetings.drop(columns="party_org_id"),
        group_meeting_table(groups, meetings, start, end),
    )
