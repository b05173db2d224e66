"""Household reads limited to a user's scope; every read of the 四必访 flags is audited."""

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import (
    SENSITIVE_HOUSEHOLD_COLUMNS,
    GridCell,
    Household,
    PartyMember,
    Township,
    Village,
    VillageGroup,
)
from gridmgmt.db.queries import household_scope
from gridmgmt.domain.errors import NotFound
from gridmgmt.domain.permissions import Forbidden, Scope, mask_flags, may, sees_household, shows_sensitive
from gridmgmt.services.accounts.audit import Actor, record


class HouseholdNotFound(NotFound, LookupError):
    """No household with this code in the user's scope (existence is not revealed)."""

    def __init__(self, code: str):
        super().__init__(f"没有户号为 {code} 的农户，或不在您的查看范围内")


@dataclass(frozen=True)
class HouseholdDetail:
    """What the household page shows; `flags` are values or masks, never both."""

    code: str
    head: str
    address: str | None
    member_count: int
    township_code: str
    village_code: str
    village_name: str
    group_name: str | None
    grid_cell: str | None  # the cell's code
    grid_cell_name: str | None
    is_party_household: bool
    is_party_center_household: bool
    party_members: list[str]
    flags: dict[str, bool | str]
    lon: float
    lat: float


@dataclass(frozen=True)
class HouseholdItem:
    """One line of a 我的网格 list."""

    code: str
    head: str
    village_name: str
    group_name: str | None


def household_detail(session: Session, code: str, role: str, scope: Scope, actor: Actor) -> HouseholdDetail:
    """The household CODE as ROLE may see it; reading the flags is audited and committed.

    Raises Forbidden when ROLE may not view households, HouseholdNotFound when the
    code is unknown or outside SCOPE.
    """
    if not may(role, "view_household"):
        raise Forbidden(role)
    row = session.execute(
        select(
            Household,
            Village.township_id,
            Township.code,
            Village.code,
            Village.name,
            VillageGroup.name,
            GridCell.code,
            GridCell.name,
            func.ST_X(Household.geom),
            func.ST_Y(Household.geom),
        )
        .join(Village, Household.village_id == Village.id)
        .join(Township, Township.id == Village.township_id)
        .outerjoin(VillageGroup, Household.group_id == VillageGroup.id)
        .outerjoin(GridCell, Household.grid_cell_id == GridCell.id)
        .where(Household.code == code)
    ).one_or_none()
    if row is None:
        raise HouseholdNotFound(code)
    house, township_id, township_code, village_code, village_name, group_name, cell_code, cell_name, lon, lat = row
    if not sees_household(scope, township_id, house.village_id, house.grid_cell_id):
        raise HouseholdNotFound(code)
    show = shows_sensitive(role, in_scope=True)
    flags = mask_flags({name: getattr(house, name) for name in SENSITIVE_HOUSEHOLD_COLUMNS}, show)
    if show:
        # The audit row names the household and the fields read, never their values.
        record(
            session,
            actor,
            "read_sensitive",
            target=f"household:{code}",
            detail={"fields": list(SENSITIVE_HOUSEHOLD_COLUMNS)},
        )
        session.commit()
    members = session.scalars(
        select(PartyMember.name).where(PartyMember.household_id == house.id).order_by(PartyMember.code)
    ).all()
    return HouseholdDetail(
        code=code,
        head=house.head,
        address=house.address,
        member_count=house.member_count,
        township_code=township_code,
        village_code=village_code,
        village_name=village_name,
        group_name=group_name,
        grid_cell=cell_code,
        grid_cell_name=cell_name,
        is_party_household=house.is_party_household,
        is_party_center_household=house.is_party_center_household,
        party_members=list(members),
        flags=flags,
        lon=lon,
        lat=lat,
    )


def scoped_households(scope: Scope) -> Select:
    """Households of SCOPE with their village and group names (no flags), by code."""
    return (
        select(
            Household.code,
            Household.head,
            Village.name.label("village_name"),
            VillageGroup.name.label("group_name"),
            Household.geom,
        )
        .join(Village, Household.village_id == Village.id)
        .outerjoin(VillageGroup, Household.group_id == VillageGroup.id)
        .where(*household_scope(scope))
        .order_by(Household.code)
    )


def household_list(session: Session, scope: Scope) -> list[HouseholdItem]:
    """The households of SCOPE for the 我的网格 list."""
    rows = session.execute(scoped_households(scope))
    return [HouseholdItem(r.code, r.head, r.village_name, r.group_name) for r in rows]
