"""Split, merge and redivide cells of a draft plan. A split or merge that breaks the band is
refused with the nearest operation that fits (domain.grid_alternatives), which the planner
runs as a redivide: adjacent cells of one village divided again into a given number."""

from dataclasses import replace

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gridmgmt.analysis.partition import is_connected, redivide
from gridmgmt.db.models import GridCell
from gridmgmt.db.models.grids import GridMembership
from gridmgmt.domain.grid_alternatives import EditRefused, merge_alternative, split_alternative
from gridmgmt.domain.grid_rules import GridError, check_bounds
from gridmgmt.services.accounts.actors import Actor
from gridmgmt.services.grids.allocation import next_version
from gridmgmt.services.grids.cells import write_cells
from gridmgmt.services.grids.edits import Edit, EditResult, commit_edit, open_edit, stage_edit
from gridmgmt.services.grids.reasons import note_cell_split


def _neighbours(edit: Edit, codes: list[str]) -> dict[str, float]:
    """Workload of each cell of the village next to cells CODES, by code."""
    sites, weight = edit.part.sites, edit.part.graph.weight
    load = np.bincount(sites, weight, len(edit.label))
    labels = [edit.label[c] for c in codes]
    a, b = sites[edit.part.mesh.edges].T
    touching = set(b[np.isin(a, labels)]) | set(a[np.isin(b, labels)])
    return {code: float(load[label]) for code, label in edit.label.items() if label in touching - set(labels)}


def _divided(edit: Edit, codes: list[str], into: int) -> np.ndarray:
    """The village's site labels with cells CODES divided again into INTO cells."""
    labels = [edit.label[c] for c in codes]
    if not is_connected(edit.part.mesh.edges, np.isin(edit.part.sites, labels)):
        raise GridError(f"网格 {'、'.join(codes)} 不连片，不能一起重新划分")
    return redivide(edit.part.graph, edit.rules, edit.part.sites, labels, into)


def _write(session: Session, edit: Edit, new_sites: np.ndarray, codes: list[str]) -> list[str]:
    """Store NEW_SITES for cells CODES (no commit): emptied ones deleted, new ones made; the codes changed."""
    part, stored = edit.part, len(edit.part.cell_ids)
    emptied = [c for c in codes if not (new_sites == edit.label[c]).any()]
    moving = part.households.id.to_numpy()[new_sites[part.mesh.site_of] >= stored]
    session.execute(
        delete(GridMembership).where(
            GridMembership.plan_id == edit.plan.id, GridMembership.household_id.in_(moving.tolist())
        )
    )
    version = next_version(session, edit.plan.id)
    stage_edit(session, edit, new_sites, [c for c in codes if c not in emptied])
    session.execute(delete(GridCell).where(GridCell.id.in_([edit.cells[c].id for c in emptied])))
    used = set(session.scalars(select(GridCell.code).where(GridCell.plan_id == edit.plan.id)))
    fresh = np.unique(new_sites[new_sites >= stored])
    write_cells(session, edit.town, edit.plan.id, replace(part, sites=new_sites), fresh, used, version)
    added = set(session.scalars(select(GridCell.code).where(GridCell.plan_id == edit.plan.id))) - used
    return [*codes, *sorted(added)]


def split_cell(
    session: Session, plan_id: int, cell_code: str, seen: dict[str, int], *, actor: Actor, reason: str | None = None
) -> EditResult:
    """Cut cell CELL_CODE into two connected cells of about equal workload, keeping REASON (when
    given) as why; EditRefused with the nearest split that fits when a half breaks the band.
    Audited, commits."""
    edit = open_edit(session, plan_id, {cell_code}, seen, actor, "split")
    label, weight = edit.label[cell_code], edit.part.graph.weight
    if (edit.part.sites == label).sum() < 2:
        raise GridError(f"网格 {cell_code} 只有一处农户，不能再拆分")
    new_sites = _divided(edit, [cell_code], 2)
    before = weight[edit.part.sites == label].sum()
    try:
        for part_label in (label, new_sites.max()):
            check_bounds(edit.rules, cell_code, before, weight[new_sites == part_label].sum())
    except GridError as refused:
        nearest = split_alternative(cell_code, before, _neighbours(edit, [cell_code]), edit.rules)
        raise EditRefused(str(refused), nearest) from None
    changed = _write(session, edit, new_sites, [cell_code])
    if reason is not None:
        note_cell_split(session, edit.plan.id, cell_code, changed, reason, actor)
    return commit_edit(session, edit, changed)


def merge_cells(
    session: Session, plan_id: int, keep: str, other: str, seen: dict[str, int], *, actor: Actor
) -> EditResult:
    """Merge cell OTHER into the adjacent cell KEEP of the same village; EditRefused with the
    nearest merge that fits when KEEP would exceed the band. Audited, commits."""
    if keep == other:
        raise GridError("请选择两个不同的网格")
    edit = open_edit(session, plan_id, {keep, other}, seen, actor, "merge")
    sites, k, o = edit.part.sites, edit.label[keep], edit.label[other]
    if other not in _neighbours(edit, [keep]):
        raise GridError(f"网格 {keep} 与 {other} 不相邻，不能合并")
    new_sites = np.where(sites == o, k, sites)
    weight = edit.part.graph.weight
    loads = (weight[sites == k].sum(), weight[sites == o].sum())
    try:
        check_bounds(edit.rules, keep, loads[0], sum(loads))
    except GridError as refused:
        nearest = merge_alternative(keep, other, loads, _neighbours(edit, [keep, other]), edit.rules)
        raise EditRefused(str(refused), nearest) from None
    return commit_edit(session, edit, _write(session, edit, new_sites, [keep, other]))


def redivide_cells(
    session: Session, plan_id: int, cell_codes: list[str], into: int, seen: dict[str, int], *, actor: Actor
) -> EditResult:
    """Divide the adjacent cells CELL_CODES (one village) again into INTO connected cells, each
    inside the plan's bounds (else refused, nothing saved). Audited as ACTOR's, commits."""
    codes = list(dict.fromkeys(cell_codes))
    if not codes or not 1 <= into <= 3 * len(codes):
        raise GridError("重新划分须选择网格，且划分个数须在 1 到所选网格数的 3 倍之间")
    edit = open_edit(session, plan_id, set(codes), seen, actor, "redivide")
    new_sites = _divided(edit, codes, into)
    region = np.isin(edit.part.sites, [edit.label[c] for c in codes])
    loads = np.bincount(new_sites[region], edit.part.graph.weight[region])
    rules = edit.rules
    out = [load for load in loads[loads > 0] if not rules.min_workload <= load <= rules.max_workload]
    if out:
        raise GridError(
            f"重新划分后仍有网格工作量 {out[0]:.0f}，不在 {rules.min_workload:.0f}–{rules.max_workload:.0f} 之内，未保存"
        )
    return commit_edit(session, edit, _write(session, edit, new_sites, codes))
