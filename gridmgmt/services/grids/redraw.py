"""Redraw a plan's cells from the households they hold with today's mesh, which follows the
村民小组 lines (docs/grids.md), moving no household: for plans drawn before it did."""

from sqlalchemy.orm import Session

from gridmgmt.domain.grid_rules import GridError
from gridmgmt.services.accounts.actors import Actor, record
from gridmgmt.services.grids.allocation import find_plan, load_township, plan_cells, plan_target
from gridmgmt.services.grids.cells import redraw_cell


def redraw_outlines(session: Session, plan_id: int, *, actor: Actor) -> int:
    """Redraw every cell of plan PLAN_ID (draft or published) from its households; how many cells were redrawn.

    GridError for an archived plan (its outlines are the record of what was in force), for one whose
    outlines came from a file of cell polygons (redrawing would discard the township's own lines) and for
    one already drawn along the groups' lines."""
    plan = find_plan(session, plan_id, lock=True)
    if plan.outlines == "groups":
        raise GridError(f"方案 {plan_id} 的网格边界已沿村民小组界线画出，无需重画")
    if plan.status == "archived":
        raise GridError(f"方案 {plan_id} 已归档：其网格边界是当时实行的记录，不再重画")
    if plan.outlines == "file":
        raise GridError(
            f"方案 {plan_id} 的网格边界来自导入的网格面文件，重画会丢弃这些边界；"
            "如确要按农户重画，请改为导入农户所属网格清单"
        )
    town = load_township(session, plan.township_id)
    cells = 0
    for part in plan_cells(session, plan, town):
        polygons = part.polygons
        for label, cell_id in enumerate(part.cell_ids):
            redraw_cell(session, town.plane, int(cell_id), polygons[label])
            cells += 1
    plan.outlines = "groups"
    record(session, actor, "redraw_plan", plan_target(plan), {"cells": cells})
    session.commit()
    return cells
