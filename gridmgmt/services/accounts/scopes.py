"""Scopes from the database: a user's, a cadre's, and the anonymous public one.

A grid worker sees and records exactly what their cadre answers for under the visit
duties and the 四必到 events (gridmgmt.analysis.compliance, docs/visits.md): the
villages they are posted to today (包村/驻村) or live in, the cells they hold in the
published plan, and their whole township when a 全镇 duty binds them. Their phone
lists, the household page, tiles, OGC features and the visit and event records all
ask this one scope (cadre_scope).
"""
from datetime import date
from typing import Protocol

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from gridmgmt.config import get_settings
from gridmgmt.db.models import Household, Township, Village
from gridmgmt.domain.duties import covers_township
from gridmgmt.domain.permissions import Scope, role_scope, sees_household
from gridmgmt.services.visits.duties import active_duties

# A posting holds from its first day to its last (both included; empty: open).
CADRE_SQL = """
SELECT c.township_id, c.cadre_role,
       ARRAY(SELECT cv.village_id FROM cadre_village cv WHERE cv.cadre_id = c.id
               AND (cv.start_date IS NULL OR cv.start_date <= :day)
               AND (cv.end_date IS NULL OR cv.end_date >= :day)
             UNION SELECT home.village_id FROM household home WHERE home.id = c.household_id) AS villages,
       coalesce(held.cells, '{}') AS cells, coalesce(held.villages, '{}') AS cell_villages
FROM cadre c LEFT JOIN LATERAL (
  SELECT array_agg(gc.id) AS cells, array_agg(DISTINCT gc.village_id) AS villages
  FROM grid_cell gc JOIN grid_plan p ON p.id = gc.plan_id
  WHERE gc.grid_worker_id = c.id AND p.status = 'published') held ON true
WHERE c.id = :cadre"""
NOTHING = Scope(township_ids=frozenset(), village_ids=frozenset())


class ScopedUser(Protocol):
    """What a scope is built from: an AppUser row, or the web layer's snapshot of one."""

    role: str
    township_id: int | None
    cadre_id: int | None


def user_scope(session: Session, user: ScopedUser) -> Scope:
    """What USER may see: admins everything, grid workers what their cadre answers for,
    the others their township (without households for roles that may not see them).

    Only grid workers' scopes need the database (their assignments).
    """
    if user.role != "grid_worker":
        return role_scope(user.role, user.township_id)
    return cadre_scope(session, user.cadre_id) if user.cadre_id is not None else NOTHING


def cadre_scope(session: Session, cadre_id: int, day: date | None = None) -> Scope:
    """The households cadre CADRE_ID answers for on DAY (default: today, local time)."""
    row = session.execute(text(CADRE_SQL), {"cadre": cadre_id, "day": day or get_settings().today()}).one_or_none()
    if row is None:
        return NOTHING
    township = frozenset({row.township_id})
    if covers_township(active_duties(session), row.cadre_role, cadre_id):
        return Scope(township_ids=township)
    return Scope(township_ids=township, village_ids=frozenset(row.villages),
                 grid_cell_ids=frozenset(row.cells), cell_village_ids=frozenset(row.cell_villages))


def answers_for(session: Session, cadre_id: int, household_id: int) -> bool:
    """True when the household HOUSEHOLD_ID lies in cadre CADRE_ID's scope today."""
    row = session.execute(
        select(Village.township_id, Household.village_id, Household.grid_cell_id)
        .join(Village, Household.village_id == Village.id).where(Household.id == household_id)
    ).one_or_none()
    return row is not None and sees_household(cadre_scope(session, cadre_id), *row)


def public_scope(session: Session, township_codes: tuple[str, ...]) -> Scope:
    """What anyone may see of the public layers: the townships of TOWNSHIP_CODES (empty:
    every township), never a household. Unknown codes match nothing."""
    if not township_codes:
        return Scope(township_ids=None, households=False)
    ids = session.scalars(select(Township.id).where(Township.code.in_(township_codes)))
    return Scope(township_ids=frozenset(ids), households=False)
