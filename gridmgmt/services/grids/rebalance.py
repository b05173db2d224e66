"""Rebalance a draft plan around what the planner fixed: locked cells and the cells holding a
household placed by hand (services.grids.locks) stay as they are; the rest is allocated again,
new cells keeping the code and name of the old cell they share most workload with. A preview says
what a rebalance would change, and changes nothing."""

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from gridmgmt.analysis.grid_groups import allocate_groups
from gridmgmt.db.models import GridCell, GridPlan
from gridmgmt.db.models.grids import GridLock, GridMembership
from gridmgmt.services.accounts.actors import Actor, record
from gridmgmt.services.grids.allocation import (
    GridTownship,
    PlanReport,
    VillageCells,
    draft_plan,
    load_township,
    next_version,
    plan_cells,
    plan_quality,
    plan_rules,
    plan_target,
    proved_splits,
)
from gridmgmt.services.grids.cells import write_cells
from gridmgmt.services.grids.locks import locked_cell_ids
from gridmgmt.services.grids.reasons import note_allocation


@dataclass(frozen=True)
class RebalancePreview:
    """What a rebalance would do: households that change cell, the cells it changes
    (code, households before and after, how many leave and join), the cells it keeps."""

    households: int
    moved: int
    changes: list[dict]
    kept: list[str]
    locks: int  # households placed by hand, kept in their cells

    def as_dict(self) -> dict:
        """Plain dict, for JSON."""
        return asdict(self)


def inherit_cells(old: np.ndarray, new: np.ndarray, weight: np.ndarray) -> dict[int, int]:
    """New label → the old cell id (OLD: cell id per site, -1 for none) it shares most WEIGHT
    with, one to one; labels left over get none."""
    known = old >= 0
    shared = pd.crosstab(old[known], new[known], values=weight[known], aggfunc="sum").fillna(0)
    rows, cols = linear_sum_assignment(-shared.to_numpy())
    return {int(shared.columns[c]): int(shared.index[r]) for r, c in zip(rows, cols)}


def _reallocate(session: Session, plan: GridPlan, town: GridTownship) -> list[VillageCells]:
    """Allocate the plan's cells again around the ones it keeps (no commit); the villages' cells."""
    rules = plan_rules(plan)
    version = next_version(session, plan.id)
    kept = locked_cell_ids(session, plan.id)
    old = {
        r.id: r
        for r in session.execute(select(GridCell.id, GridCell.code, GridCell.name).where(GridCell.plan_id == plan.id))
    }
    parts = []
    for part in plan_cells(session, plan, town):
        site_cell = np.append(part.cell_ids, -1)[part.sites]  # label -1 picks the appended -1
        keep = np.isin(site_cell, list(kept))
        kept_ids, fixed = np.unique(site_cell[keep], return_inverse=True)
        sites = np.full(len(part.sites), -1)
        sites[keep] = fixed
        labels = allocate_groups(part.graph, rules, sites)
        matched = inherit_cells(site_cell[~keep], labels[~keep], part.graph.weight[~keep])
        inherit = {label: (old[cell].code, old[cell].name) for label, cell in matched.items()}
        session.execute(
            delete(GridCell).where(
                GridCell.plan_id == plan.id, GridCell.village_id == part.village_id, GridCell.id.not_in(kept)
            )
        )
        fresh = VillageCells(part.village_id, part.households, part.mesh, part.graph, labels)
        used = {old[int(c)].code for c in kept_ids}
        write_cells(session, town, plan.id, fresh, np.unique(labels[~keep]), used, version, inherit)
        parts.append(fresh)
    return parts


def rebalance(session: Session, plan_id: int, *, actor: Actor) -> PlanReport:
    """Allocate draft PLAN_ID again under its own rules, keeping its locked cells and the cells
    of households placed by hand; audited as ACTOR's, commits."""
    plan = draft_plan(session, plan_id)
    town = load_township(session, plan.township_id)
    parts = _reallocate(session, plan, town)
    cells = sum(len(np.unique(p.sites)) for p in parts)
    report = PlanReport(plan.id, cells, plan_quality(parts), proved_splits(session, plan, town, parts))
    note_allocation(session, plan.id, report.splits)
    kept = len(locked_cell_ids(session, plan.id))
    if not kept:  # every cell drawn again; a kept cell keeps the outline it had
        plan.outlines = "groups"
    record(session, actor, "rebalance_plan", plan_target(plan), {"cells": report.cells, "locked": kept})
    session.commit()
    return report


def _homes(session: Session, plan_id: int) -> pd.Series:
    """Cell code per household id of PLAN_ID."""
    rows = session.execute(
        select(GridMembership.household_id, GridCell.code)
        .join(GridCell, GridCell.id == GridMembership.cell_id)
        .where(GridMembership.plan_id == plan_id)
    ).all()
    return pd.Series(dict(rows), dtype=object)


def preview_rebalance(session: Session, plan_id: int) -> RebalancePreview:
    """What rebalance would change in draft PLAN_ID: computed, then rolled back."""
    plan = draft_plan(session, plan_id)
    kept = sorted(
        code
        for (code,) in session.execute(select(GridCell.code).where(GridCell.id.in_(locked_cell_ids(session, plan.id))))
    )
    locks = session.scalar(select(func.count()).select_from(GridLock).where(GridLock.plan_id == plan.id))
    before = _homes(session, plan.id)
    try:
        _reallocate(session, plan, load_township(session, plan.township_id))
        after = _homes(session, plan.id)
    finally:
        session.rollback()
    both = pd.DataFrame({"before": before, "after": after})
    moved = both[both.before != both.after]
    changes = [
        {
            "cell": code,
            "before": int((both.before == code).sum()),
            "after": int((both.after == code).sum()),
            "leave": int((moved.before == code).sum()),
            "join": int((moved.after == code).sum()),
        }
        for code in sorted(set(moved.before.dropna()) | set(moved.after.dropna()))
    ]
    return RebalancePreview(len(both), len(moved), changes, kept, locks)
