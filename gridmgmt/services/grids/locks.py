"""Hand edits kept: households a planner moved or drew into a cell are locked there, so
rebalance keeps them, until the planner unlocks them (one by one or all at once)."""

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from gridmgmt.db.models import GridCell, Household
from gridmgmt.db.models.grids import GridLock, GridMembership
from gridmgmt.domain.grid_rules import GridError
from gridmgmt.services.accounts.actors import Actor, record
from gridmgmt.services.grids.allocation import draft_plan, plan_target


def lock_households(session: Session, plan_id: int, household_ids: list[int], edit: str, actor: Actor) -> None:
    """Lock HOUSEHOLD_IDS in their cell of PLAN_ID as placed by ACTOR's EDIT (no commit)."""
    if not household_ids:
        return
    rows = [{"plan_id": plan_id, "household_id": h, "edit": edit, "locked_by": actor.username} for h in household_ids]
    stmt = insert(GridLock).values(rows)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=[GridLock.plan_id, GridLock.household_id],
            set_={"edit": stmt.excluded.edit, "locked_by": stmt.excluded.locked_by, "created_at": func.now()},
        )
    )


def plan_locks(session: Session, plan_id: int) -> list[dict]:
    """The plan's locked households: code, cell code and name, edit, who and when; by cell, household."""
    rows = session.execute(
        select(
            Household.code,
            GridCell.code.label("cell"),
            GridCell.name.label("cell_name"),
            GridLock.edit,
            GridLock.locked_by,
            GridLock.created_at,
        )
        .select_from(GridLock)
        .join(Household, Household.id == GridLock.household_id)
        .join(
            GridMembership,
            (GridMembership.plan_id == GridLock.plan_id) & (GridMembership.household_id == GridLock.household_id),
        )
        .join(GridCell, GridCell.id == GridMembership.cell_id)
        .where(GridLock.plan_id == plan_id)
        .order_by(GridCell.code, Household.code)
    )
    return [{**r, "created_at": r["created_at"].isoformat()} for r in rows.mappings()]


def locked_cell_ids(session: Session, plan_id: int) -> set[int]:
    """Ids of the cells of PLAN_ID that rebalance keeps: locked ones and those holding a locked household."""
    held = select(GridMembership.cell_id).join(
        GridLock,
        (GridLock.plan_id == GridMembership.plan_id) & (GridLock.household_id == GridMembership.household_id),
    )
    return set(
        session.scalars(select(GridCell.id).where(GridCell.plan_id == plan_id, GridCell.locked | GridCell.id.in_(held)))
    )


def unlock(session: Session, plan_id: int, household_codes: list[str] | None, *, actor: Actor) -> int:
    """Unlock HOUSEHOLD_CODES (None: every lock) of draft PLAN_ID; audited as ACTOR's, commits;
    how many were unlocked."""
    plan = draft_plan(session, plan_id)
    query = delete(GridLock).where(GridLock.plan_id == plan.id)
    if household_codes is not None:
        if not household_codes:
            raise GridError("请选择要解锁的农户")
        query = query.where(GridLock.household_id.in_(select(Household.id).where(Household.code.in_(household_codes))))
    gone = session.execute(query.returning(GridLock.household_id)).all()
    if not gone:
        raise GridError("没有需要解锁的手工调整")
    record(session, actor, "edit_plan", plan_target(plan), {"edit": "unlock", "households": len(gone)})
    session.commit()
    return len(gone)
