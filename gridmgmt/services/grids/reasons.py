"""Reasons given when a plan splits a cell or a 村民小组 (001 §11; rural grids keep groups whole).

The allocation keeps its rule reason for each group it splits; a planner may give one in
words when cutting a cell or for any group the plan splits, which replaces the allocation's.
They are shown on the plan page and written into the plan's export.
"""

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from gridmgmt.db.models.grids import GridSplitReason
from gridmgmt.domain.grid_rules import GridError
from gridmgmt.services.accounts.actors import Actor

MAX_REASON = 500


def _reason(text: str | None) -> str:
    """TEXT stripped; GridError when it is empty or too long."""
    text = (text or "").strip()
    if not text:
        raise GridError("请填写拆分原因")
    if len(text) > MAX_REASON:
        raise GridError(f"拆分原因不能超过 {MAX_REASON} 字")
    return text


def _upsert(session: Session, row: dict) -> None:
    """Store ROW, replacing the reason kept for its plan, kind and subject."""
    stmt = insert(GridSplitReason).values(**row)
    keep = {k: stmt.excluded[k] for k in ("cells", "reason", "source", "given_by")}
    session.execute(stmt.on_conflict_do_update(index_elements=["plan_id", "kind", "subject"], set_=keep))


def _allocation_rows(session: Session, plan_id: int, splits) -> None:
    """Keep the allocation's reason for each of SPLITS (GroupSplit) of PLAN_ID that has none kept."""
    rows = [
        {"plan_id": plan_id, "kind": "group", "subject": s.group_code, "reason": s.reason}
        | {"source": "allocation", "proven": s.proven}
        for s in splits
    ]
    if rows:
        session.execute(insert(GridSplitReason).values(rows).on_conflict_do_nothing())


def note_allocation(session: Session, plan_id: int, splits) -> None:
    """Keep the allocation's reason for each of SPLITS (GroupSplit) of PLAN_ID, replacing the
    allocation's earlier ones; a planner's reason for a group stays, marked proven as its split now is.
    Does not commit."""
    session.execute(
        delete(GridSplitReason).where(GridSplitReason.plan_id == plan_id, GridSplitReason.source == "allocation")
    )
    _allocation_rows(session, plan_id, splits)
    now = {s.group_code: s for s in splits}
    for row in plan_reasons(session, plan_id, "group"):
        row.proven = bool(getattr(now.get(row.subject), "proven", False))


def renote_allocation(session: Session, plan_id: int, group_codes: list[str], splits) -> None:
    """After an edit of the village whose groups are GROUP_CODES: the allocation's reason kept for each of
    them becomes that of SPLITS (GroupSplit, the village's splits now), or goes when the group is whole again.
    A group the edit split gets none (the rule's reason shows) unless the village now splits no more groups
    than it must (then the proof); a planner's reason stays, marked proven or not. Does not commit."""
    now = {s.group_code: s for s in splits}
    for row in plan_reasons(session, plan_id, "group"):
        if row.subject not in group_codes:
            continue
        split = now.get(row.subject)
        if row.source == "planner":
            row.proven = bool(split and split.proven)
        elif split is None:
            session.delete(row)
        else:
            row.reason, row.proven = split.reason, split.proven
    _allocation_rows(session, plan_id, [s for s in splits if s.proven])


def note_cell_split(session: Session, plan_id: int, cell: str, cells: list[str], reason: str, actor: Actor) -> None:
    """Keep ACTOR's REASON for cutting CELL of PLAN_ID into CELLS. Does not commit."""
    _upsert(
        session,
        {
            "plan_id": plan_id,
            "kind": "cell",
            "subject": cell,
            "cells": sorted(cells),
            "reason": _reason(reason),
            "source": "planner",
            "given_by": actor.username,
        },
    )


def note_group_reason(session: Session, plan_id: int, group_code: str, reason: str, actor: Actor) -> None:
    """Keep ACTOR's REASON why PLAN_ID splits village group GROUP_CODE. Does not commit."""
    row = {"plan_id": plan_id, "kind": "group", "subject": group_code, "reason": _reason(reason)}
    _upsert(session, row | {"source": "planner", "given_by": actor.username})


def plan_reasons(session: Session, plan_id: int, kind: str) -> list[GridSplitReason]:
    """The reasons kept for PLAN_ID's splits of KIND ('cell' or 'group'), by subject."""
    return list(
        session.scalars(
            select(GridSplitReason)
            .where(GridSplitReason.plan_id == plan_id, GridSplitReason.kind == kind)
            .order_by(GridSplitReason.subject)
        )
    )
