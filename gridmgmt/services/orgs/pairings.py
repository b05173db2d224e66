"""一帮一 pairings (帮扶): a party member helping a household from a start date until an end date."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import HelpPairing, Household, PartyMember, PartyOrg, Township, Village, VillageGroup
from gridmgmt.db.queries import household_scope, pairing_in_force
from gridmgmt.domain.errors import NotFound, UserError
from gridmgmt.domain.limits import CALENDAR_TEXT, in_calendar
from gridmgmt.domain.permissions import Scope, shows_sensitive
from gridmgmt.services.accounts.audit import Actor, record


class PairingError(UserError, ValueError):
    """A pairing that cannot be stored as given (Chinese message)."""


class PairingNotFound(NotFound, LookupError):
    """No such member or household, or outside the user's scope."""


@dataclass(frozen=True)
class PairingInput:
    """Member MEMBER_CODE helps household HOUSEHOLD_CODE from START_DATE (until END_DATE when it ended)."""

    member_code: str
    household_code: str
    start_date: date
    end_date: date | None = None


def _check_dates(pairing: PairingInput) -> None:
    for day in (pairing.start_date, pairing.end_date):
        if day is not None and not in_calendar(day):
            raise PairingError(f"日期须在 {CALENDAR_TEXT} 之间")
    if pairing.end_date is not None and pairing.end_date < pairing.start_date:
        raise PairingError("结束日期不能早于开始日期")


def _pair(session: Session, pairing: PairingInput, scope: Scope) -> tuple[int, int]:
    """(member id, household id), both in SCOPE and of one township."""
    home = session.execute(
        select(Household.id, Village.township_id)
        .join(Village, Village.id == Household.village_id)
        .where(Household.code == pairing.household_code, *household_scope(scope))
    ).one_or_none()
    member = session.execute(
        select(PartyMember.id, PartyOrg.township_id)
        .join(PartyOrg, PartyOrg.id == PartyMember.party_org_id)
        .where(PartyMember.code == pairing.member_code)
    ).one_or_none()
    if home is None or member is None or member.township_id != home.township_id:
        raise PairingNotFound("没有这名党员或这户农户，或不在您的范围内")
    return member.id, home.id


def save_pairing(session: Session, pairing: PairingInput, scope: Scope) -> tuple[HelpPairing, bool]:
    """Start PAIRING, or set the end date of the one with the same member, household and start;
    (the pairing, whether this call created it). Commits."""
    _check_dates(pairing)
    member_id, household_id = _pair(session, pairing, scope)
    stored = session.scalar(
        select(HelpPairing).where(
            HelpPairing.party_member_id == member_id,
            HelpPairing.household_id == household_id,
            HelpPairing.start_date == pairing.start_date,
        )
    )
    created = stored is None
    if created:
        stored = HelpPairing(party_member_id=member_id, household_id=household_id, start_date=pairing.start_date)
        session.add(stored)
    stored.end_date = pairing.end_date
    session.commit()
    return stored, created


@dataclass(frozen=True)
class UnhelpedHousehold:
    """A 困难 household with no 一帮一 helper: where it is and who heads it (never its other flags)."""

    code: str
    village: str
    group: str | None
    head: str | None


def unhelped_households(
    session: Session, code: str, role: str, scope: Scope, actor: Actor, day: date
) -> list[UnhelpedHousehold] | None:
    """The 困难 households of township CODE in SCOPE with no pairing in force on DAY, for a ROLE that
    sees the hardship flag (None for the others); the read is audited and committed."""
    if not shows_sensitive(role, in_scope=True):
        return None
    helped = exists().where(HelpPairing.household_id == Household.id, *pairing_in_force(day))
    rows = session.execute(
        select(Household.code, Village.name, VillageGroup.name, Household.head)
        .join(Village, Village.id == Household.village_id)
        .join(Township, Township.id == Village.township_id)
        .outerjoin(VillageGroup, VillageGroup.id == Household.group_id)
        .where(Township.code == code, Household.hardship, ~helped, *household_scope(scope))
        .order_by(Household.code)
    ).all()
    # The audit row says what was read and how many, never which households.
    record(
        session, actor, "read_sensitive", target=f"unhelped:{code}", detail={"fields": ["hardship"], "rows": len(rows)}
    )
    session.commit()
    return [UnhelpedHousehold(*row) for row in rows]
