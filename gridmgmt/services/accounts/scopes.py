"""Scopes from the database: a user's, a cadre's, and the anonymous public one.

A grid worker sees and records exactly what their cadre answers for under the visit
duties and the 四必到 events (gridmgmt.analysis.compliance, docs/visits.md): the
villages they are posted to today (包村/驻村) or live in, the cells they hold in the
published plan, and their whole township when a 全镇 duty binds them. Their phone
lists, the household page, tiles, OGC features and the visit and event records all
ask this one scope (cadre_scope).
"""

from datetime import date
from functools import lru_cache
from typing import Protocol

from sqlalchemy import ColumnElement, Date, Integer, Select, bindparam, distinct, func, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import Cadre, CadreVillage, GridCell, GridPlan, Household, Township, Village
from gridmgmt.db.queries import posting_in_force
from gridmgmt.domain.duties import covers_township
from gridmgmt.domain.permissions import Scope, may, role_scope, sees_household
from gridmgmt.services.visits.duties import active_duties

NOTHING = Scope(township_ids=frozenset(), village_ids=frozenset())


class ScopedUser(Protocol):
    """What a scope is built from: an AppUser row, or the web layer's snapshot of one."""

    role: str
    township_id: int | None
    county_code: str | None
    cadre_id: int | None


def user_scope(session: Session, user: ScopedUser, day: date) -> Scope:
    """What USER may see on DAY: admins everything, grid workers what their cadre answers for,
    county users every township of their county, the others their township (without
    households for roles that may not see them).

    Only grid workers' and county users' scopes need the database.
    """
    if user.county_code is not None and user.role != "admin":
        return county_scope(session, user.role, user.county_code)
    if user.role != "grid_worker":
        return role_scope(user.role, user.township_id)
    return cadre_scope(session, user.cadre_id, day) if user.cadre_id is not None else NOTHING


def county_scope(session: Session, role: str, county_code: str) -> Scope:
    """What a ROLE user of the county COUNTY_CODE sees: every township whose code it prefixes."""
    ids = session.scalars(select(Township.id).where(Township.code.startswith(county_code, autoescape=True)))
    return Scope(township_ids=frozenset(ids), households=may(role, "view_household"))


def _ids(rows: Select) -> ColumnElement:
    """The ids ROWS (one column) picks, as an array (empty when none)."""
    return func.array(rows.scalar_subquery())


# Built once, the cadre and the day bound at execution: this runs on every request of a grid
# worker (every tile), and building the statement takes longer than PostgreSQL takes to answer it.
@lru_cache(maxsize=1)
def _assignments() -> Select:
    """The cadre's township and role, the villages they are posted to on the day (a posting holds
    from its first day to its last, both included; empty: open), their home village, and the cells
    they hold in the published plan with those cells' villages."""
    day = bindparam("day", type_=Date)
    posted = select(CadreVillage.village_id).where(CadreVillage.cadre_id == Cadre.id, posting_in_force(day))
    held = (
        select(GridCell.id)
        .join(GridPlan, GridPlan.id == GridCell.plan_id)
        .where(GridCell.grid_worker_id == Cadre.id, GridPlan.status == "published")
    )
    return (
        select(
            Cadre.township_id,
            Cadre.cadre_role,
            _ids(posted).label("villages"),
            Household.village_id.label("home_village"),
            _ids(held).label("cells"),
            _ids(held.with_only_columns(distinct(GridCell.village_id))).label("cell_villages"),
        )
        .outerjoin(Household, Household.id == Cadre.household_id)
        .where(Cadre.id == bindparam("cadre_id", type_=Integer))
    )


SCOPES = "cadre_scopes"  # session.info key of the scopes a session remembers


def remember_scopes(session: Session) -> None:
    """Let SESSION work out each cadre's scope on a day once and reuse it: for a short session
    that stores many records of one cadre (a phone's outbox batch), not for one that changes postings."""
    session.info[SCOPES] = {}


def cadre_scope(session: Session, cadre_id: int, day: date) -> Scope:
    """The households cadre CADRE_ID answers for on DAY (remembered when the session does)."""
    memo = session.info.get(SCOPES)
    if memo is None:
        return _cadre_scope(session, cadre_id, day)
    if (cadre_id, day) not in memo:
        memo[cadre_id, day] = _cadre_scope(session, cadre_id, day)
    return memo[cadre_id, day]


def _cadre_scope(session: Session, cadre_id: int, day: date) -> Scope:
    row = session.execute(_assignments(), {"cadre_id": cadre_id, "day": day}).one_or_none()
    if row is None:
        return NOTHING
    township = frozenset({row.township_id})
    if covers_township(active_duties(session), row.cadre_role, cadre_id):
        return Scope(township_ids=township)
    home = {row.home_village} if row.home_village is not None else set()
    return Scope(
        township_ids=township,
        village_ids=frozenset(row.villages) | home,
        grid_cell_ids=frozenset(row.cells),
        cell_village_ids=frozenset(row.cell_villages),
    )


def answers_for(session: Session, cadre_id: int, household_id: int, day: date) -> bool:
    """True when the household HOUSEHOLD_ID lies in cadre CADRE_ID's scope on DAY."""
    row = session.execute(
        select(Village.township_id, Household.village_id, Household.grid_cell_id)
        .join(Village, Household.village_id == Village.id)
        .where(Household.id == household_id)
    ).one_or_none()
    return row is not None and sees_household(cadre_scope(session, cadre_id, day), *row)


def public_scope(session: Session, township_codes: tuple[str, ...]) -> Scope:
    """What anyone may see of the public layers: the townships of TOWNSHIP_CODES (empty:
    every township), never a household. Unknown codes match nothing."""
    if not township_codes:
        return Scope(township_ids=None, households=False)
    ids = session.scalars(select(Township.id).where(Township.code.in_(township_codes)))
    return Scope(township_ids=frozenset(ids), households=False)
