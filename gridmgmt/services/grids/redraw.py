"""Redraw a plan's cells from the households they hold with today's mesh, which follows the
村民小组 lines (docs/grids.md), moving no household: for plans drawn before it did."""

from sqlalchemy.orm import Session

from gridmgmt.domain.grid_rules import GridError, redraw_refusal
from gridmgmt.services.accounts.actors import Actor, record
from gridmgmt.services.grids.allocation import find_plan, load_township, plan_cells, plan_target
from gridmgmt.services.grids.cells import redraw_cell


def redraw_outlines(session: Session, plan_id: int, *, actor: Actor) -> int:
    """Redraw every cell of plan PLAN_ID (draft or published) from its households; how many cells were redrawn.

    GridError with domain.grid_rules.redraw_refusal's reason for any other plan."""
    plan = find_plan(session, plan_id, lock=True)
    refusal = redraw_refusal(plan_id, plan.outlines, plan.status)
    if refusal:
        raise GridError(refusal)
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
