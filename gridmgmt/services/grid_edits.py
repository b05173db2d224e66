"""The planner's edits of a draft plan: move households between cells, lock cells.

Every edit names the versions of the cells it touches as the editor saw them; a
stale version refuses the whole edit (StaleCell → HTTP 409). The plan row is locked
for the edit, so two edits of one plan never interleave.
"""
from dataclasses import dataclass

import numpy as np
import shapely
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from gridmgmt.analysis.partition import is_connected
from gridmgmt.db.models import GridCell
from gridmgmt.domain.grid_rules import GridError, GridRules, check_bounds, check_versions
from gridmgmt.services.grids import CELL_GEOM, VillageCells, draft_plan, load_township, plan_cells


@dataclass(frozen=True)
class EditResult:
    """Cells changed by an edit and their new versions."""

    versions: dict[str, int]


def _cells(session: Session, plan_id: int, codes) -> dict[str, GridCell]:
    rows = session.scalars(select(GridCell).where(GridCell.plan_id == plan_id, GridCell.code.in_(list(codes)))
                           .with_for_update().execution_options(populate_existing=True)).all()
    return {c.code: c for c in rows}


def _check_move(part: VillageCells, new_sites: np.ndarray, changed: list[int], names: dict[int, str],
                rules: GridRules) -> None:
    """Refuse a move that empties or splits a cell or takes it out of bounds."""
    for label in changed:
        inside = new_sites == label
        if not inside.any():
            raise GridError(f"移动后网格 {names[label]} 将没有农户，请改用合并")
        if not is_connected(part.mesh.edges, inside):
            raise GridError(f"移动后网格 {names[label]} 将不连片，请只移动与目标网格相邻的农户")
        before = part.graph.weight[part.sites == label].sum()
        check_bounds(rules, names[label], before, part.graph.weight[inside].sum())


def move_households(session: Session, plan_id: int, household_codes: list[str], to_cell: str,
                    seen: dict[str, int], rules: GridRules) -> EditResult:
    """Move the households HOUSEHOLD_CODES into cell TO_CELL of a draft plan; SEEN holds the
    versions of the cells involved as the editor loaded them. Commits, or changes nothing."""
    plan = draft_plan(session, plan_id)
    homes = session.execute(text(
        "SELECT h.id, h.code, h.village_id, c.code AS cell_code FROM household h LEFT JOIN grid_membership m "
        "ON m.household_id = h.id AND m.plan_id = :p LEFT JOIN grid_cell c ON c.id = m.cell_id "
        "WHERE h.code = ANY(:codes)"), {"p": plan.id, "codes": list(household_codes)}).all()
    unknown = set(household_codes) - {h.code for h in homes}
    if unknown or not homes:
        raise GridError(f"没有这些农户：{'、'.join(sorted(unknown)) or '（未选择农户）'}")
    outside = [h.code for h in homes if h.cell_code is None]
    if outside:
        raise GridError(f"这些农户不在本方案中，请先重新划分：{'、'.join(outside[:10])}")
    cells = _cells(session, plan.id, {to_cell} | {h.cell_code for h in homes})
    if to_cell not in cells:
        raise GridError(f"方案 {plan.id} 中没有网格 {to_cell}")
    target = cells[to_cell]
    if any(h.village_id != target.village_id for h in homes):
        raise GridError("网格不能跨村：只能把农户移到本村的网格")
    check_versions({code: seen.get(code, -1) for code in cells}, {c.code: c.version for c in cells.values()})
    town = load_township(session, plan.township_id)
    (part,) = plan_cells(session, plan, town, rules, [target.village_id])
    label_of = {int(cid): i for i, cid in enumerate(part.cell_ids)}
    moving = np.isin(part.households.code.to_numpy(), list(household_codes))
    sites = np.unique(part.mesh.site_of[moving])
    if (np.isin(part.mesh.site_of, sites) & ~moving).any():
        raise GridError("同一位置还有其他农户，须一起移动")
    new_sites = part.sites.copy()
    new_sites[sites] = label_of[target.id]
    names = {label_of[c.id]: code for code, c in cells.items()}
    _check_move(part, new_sites, list(names), names, rules)
    moved = VillageCells(part.village_id, part.households, part.mesh, part.graph, new_sites, part.cell_ids)
    for label, code in names.items():
        session.execute(text(f"UPDATE grid_cell SET geom = {CELL_GEOM}, version = version + 1, "
                             "updated_at = now() WHERE id = :id"),
                        {"wkb": shapely.to_wkb(town.plane.to_degrees(moved.polygons[label])), "id": cells[code].id})
    session.execute(text("UPDATE grid_membership SET cell_id = :c WHERE plan_id = :p AND household_id = ANY(:ids)"),
                    {"c": target.id, "p": plan.id, "ids": [h.id for h in homes]})
    session.commit()
    return EditResult({code: c.version for code, c in _cells(session, plan.id, names.values()).items()})


def set_locked(session: Session, plan_id: int, cell_code: str, locked: bool, seen_version: int) -> EditResult:
    """Lock (keep on rebalance) or unlock a cell of a draft plan; commits."""
    plan = draft_plan(session, plan_id)
    cell = _cells(session, plan.id, [cell_code]).get(cell_code)
    if cell is None:
        raise GridError(f"方案 {plan.id} 中没有网格 {cell_code}")
    check_versions({cell_code: seen_version}, {cell_code: cell.version})
    cell.locked = locked
    session.commit()
    return EditResult({cell_code: cell.version})
