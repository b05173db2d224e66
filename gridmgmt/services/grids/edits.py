"""The planner's edits of a draft plan: move households or a village group, redraw a
cell's edge, lock (split, merge and redivide: services.grids.reshape).

Every edit names the versions of the cells it touches as the editor saw them; a
stale version refuses the whole edit (StaleCell → HTTP 409). The plan row is locked
for the edit, so two edits of one plan never interleave. Cells stay unions of the
households' Voronoi regions, so after any edit they still tile the village.
"""

from dataclasses import dataclass, replace

import numpy as np
import shapely
import shapely.geometry
from sqlalchemy import ARRAY, Integer, and_, cast, func, select, update
from sqlalchemy.orm import Session, aliased

from gridmgmt.analysis.partition import is_connected
from gridmgmt.db.models import GridCell, GridPlan, Household, VillageGroup
from gridmgmt.db.models.grids import GridMembership
from gridmgmt.domain.grid_rules import GridError, GridRules, check_bounds, check_versions
from gridmgmt.services.accounts.actors import Actor, record
from gridmgmt.services.grids.allocation import (
    GridTownship,
    VillageCells,
    draft_plan,
    load_township,
    plan_cells,
    plan_rules,
    plan_target,
)
from gridmgmt.services.grids.cells import redraw_cell
from gridmgmt.services.grids.locks import lock_households
from gridmgmt.services.grids.reasons import renote_allocation
from gridmgmt.services.grids.splits import group_splits, with_proofs


@dataclass(frozen=True)
class EditResult:
    """Cells changed by an edit and their new versions (None: the cell is gone)."""

    versions: dict[str, int | None]


@dataclass
class Edit:
    """One village of a draft plan as stored, with the cells the edit touches locked."""

    plan: GridPlan
    rules: GridRules  # the plan's own
    town: GridTownship
    part: VillageCells
    cells: dict[str, GridCell]  # every cell of the village, by code
    label: dict[str, int]  # cell code → label in part.sites
    actor: Actor  # who edits, for the audit log
    kind: str  # which edit: move, group, redraw, split, merge

    def sites_of(self, household_codes) -> np.ndarray:
        """The sites of HOUSEHOLD_CODES; GridError when a site also holds other households."""
        moving = np.isin(self.part.households.code.to_numpy(), list(household_codes))
        sites = np.unique(self.part.mesh.site_of[moving])
        if (np.isin(self.part.mesh.site_of, sites) & ~moving).any():
            raise GridError("同一位置还有其他农户，须一起移动")
        return sites


def _cells(session: Session, plan_id: int, village_id: int) -> dict[str, GridCell]:
    rows = session.scalars(
        select(GridCell)
        .where(GridCell.plan_id == plan_id, GridCell.village_id == village_id)
        .order_by(GridCell.code)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {c.code: c for c in rows}


def open_edit(session: Session, plan_id: int, cell_codes, seen: dict[str, int], actor: Actor, kind: str) -> Edit:
    """Lock draft PLAN_ID and the village of CELL_CODES (one village) for ACTOR's edit KIND; StaleCell
    when any of them changed since the editor saw it (SEEN: code → version)."""
    plan = draft_plan(session, plan_id)
    villages = set(
        session.scalars(
            select(GridCell.village_id).where(GridCell.plan_id == plan.id, GridCell.code.in_(list(cell_codes)))
        )
    )
    if len(villages) > 1:
        raise GridError("网格不能跨村：只能在同一个村的网格之间调整")
    cells = _cells(session, plan.id, villages.pop()) if villages else {}
    missing = set(cell_codes) - set(cells)
    if missing and all(code in seen for code in missing):
        check_versions({code: seen[code] for code in missing}, {})  # deleted since loaded: 409
    if missing or not cells:
        raise GridError(f"方案 {plan.id} 中没有网格 {'、'.join(sorted(missing)) or '（未选择网格）'}")
    check_versions({code: seen.get(code, -1) for code in cell_codes}, {c: cells[c].version for c in cell_codes})
    town = load_township(session, plan.township_id)
    (part,) = plan_cells(session, plan, town, [cells[next(iter(cell_codes))].village_id])
    if (part.sites < 0).any():
        raise GridError("本村有农户不在本方案中（可能是划分后新导入的），请先重新划分")
    label_of = {int(cid): i for i, cid in enumerate(part.cell_ids)}
    labels = {code: label_of[c.id] for code, c in cells.items()}
    return Edit(plan, plan_rules(plan), town, part, cells, labels, actor, kind)


def _check(edit: Edit, new_sites: np.ndarray) -> list[str]:
    """Codes of the cells NEW_SITES changes; GridError (Chinese) when a change breaks a rule."""
    part, changed = edit.part, []
    for code, label in edit.label.items():
        before, after = part.sites == label, new_sites == label
        if (before == after).all():
            continue
        changed.append(code)
        if not after.any():
            raise GridError(f"调整后网格 {code} 将没有农户，请改用合并")
        if not is_connected(part.mesh.edges, after):
            raise GridError(f"调整后网格 {code} 将不连片，请只调整与目标网格相邻的农户")
        check_bounds(edit.rules, code, part.graph.weight[before].sum(), part.graph.weight[after].sum())
    if not changed:
        raise GridError("没有农户需要调整")
    return changed


def stage_edit(session: Session, edit: Edit, new_sites: np.ndarray, codes: list[str]) -> None:
    """Write the polygons of cells CODES and the households whose stored cell changed
    (no commit); labels beyond the stored cells are new cells, written by the caller."""
    part = edit.part
    polygons = replace(part, sites=new_sites).polygons
    for code in codes:
        redraw_cell(session, edit.town.plane, edit.cells[code].id, polygons[edit.label[code]])
    label = new_sites[part.mesh.site_of]
    stored = label < len(part.cell_ids)
    cell_id = np.where(stored, part.cell_ids[np.where(stored, label, 0)], -1)
    change = stored & (cell_id != part.cell_ids[part.sites[part.mesh.site_of]])
    households = cast(part.households.id.to_numpy()[change].tolist(), ARRAY(Integer))
    pairs = func.unnest(households, cast(cell_id[change].tolist(), ARRAY(Integer)))
    moved = pairs.table_valued("household", "cell").render_derived()  # FROM unnest(…) AS anon(household, cell)
    session.execute(
        update(GridMembership)
        .where(GridMembership.plan_id == edit.plan.id, GridMembership.household_id == moved.c.household)
        .values(cell_id=moved.c.cell)
        .execution_options(synchronize_session=False)
    )


def _renote(session: Session, edit: Edit) -> None:
    """Bring the allocation's reasons for the village's split groups up to date with the edit: a proof that
    the village cannot do with fewer splits holds only while it splits that many."""
    groups = list(session.scalars(select(VillageGroup.code).where(VillageGroup.village_id == edit.part.village_id)))
    splits = group_splits(session, edit.plan, edit.rules, edit.part.village_id, kept_proofs=False)
    graphs = {s.village: edit.part.graph for s in splits}
    renote_allocation(session, edit.plan.id, groups, with_proofs(splits, graphs, edit.rules))


def commit_edit(session: Session, edit: Edit, codes) -> EditResult:
    """Audit the edit, bring the allocation's split reasons up to date and commit; the versions of cells CODES
    now (None for a cell that is gone)."""
    session.flush()
    _renote(session, edit)
    record(session, edit.actor, "edit_plan", plan_target(edit.plan), {"edit": edit.kind, "cells": sorted(codes)})
    session.commit()
    now = dict(
        session.execute(
            select(GridCell.code, GridCell.version).where(
                GridCell.plan_id == edit.plan.id, GridCell.code.in_(list(codes))
            )
        ).all()
    )
    return EditResult({code: now.get(code) for code in codes})


def move_households(
    session: Session,
    plan_id: int,
    household_codes: list[str],
    to_cell: str,
    seen: dict[str, int],
    *,
    actor: Actor,
    kind: str = "move",
) -> EditResult:
    """Move the households HOUSEHOLD_CODES into cell TO_CELL of a draft plan; SEEN holds the
    versions of the cells involved as the editor loaded them. The households are locked in
    TO_CELL (rebalance keeps them). Audited as ACTOR's edit KIND; commits, or changes nothing."""
    if not household_codes:
        raise GridError("请先选择要移动的农户")
    homes = session.execute(
        select(Household.id, Household.code, GridCell.code.label("cell"))
        .outerjoin(GridMembership, and_(GridMembership.household_id == Household.id, GridMembership.plan_id == plan_id))
        .outerjoin(GridCell, GridCell.id == GridMembership.cell_id)
        .where(Household.code.in_(list(household_codes)))
    ).all()
    unknown = set(household_codes) - {h.code for h in homes}
    if unknown:
        raise GridError(f"没有这些农户：{'、'.join(sorted(unknown))}")
    outside = [h.code for h in homes if h.cell is None]
    if outside:
        raise GridError(f"这些农户不在本方案中，请先重新划分：{'、'.join(outside[:10])}")
    edit = open_edit(session, plan_id, {to_cell} | {h.cell for h in homes}, seen, actor, kind)
    new_sites = edit.part.sites.copy()
    new_sites[edit.sites_of(household_codes)] = edit.label[to_cell]
    changed = _check(edit, new_sites)
    stage_edit(session, edit, new_sites, changed)
    lock_households(session, edit.plan.id, [h.id for h in homes], kind, actor)
    return commit_edit(session, edit, changed)


def move_group(
    session: Session, plan_id: int, group_code: str, to_cell: str, seen: dict[str, int], *, actor: Actor
) -> EditResult:
    """Move every household of village group GROUP_CODE into cell TO_CELL (same village)."""
    codes = session.scalars(
        select(Household.code)
        .join(VillageGroup, VillageGroup.id == Household.group_id)
        .where(VillageGroup.code == group_code)
    ).all()
    if not codes:
        raise GridError(f"村民小组 {group_code} 不存在或没有农户")
    return move_households(session, plan_id, list(codes), to_cell, seen, actor=actor, kind="group")


def redraw(
    session: Session, plan_id: int, cell_code: str, area: dict, seen: dict[str, int], *, actor: Actor
) -> EditResult:
    """Redraw cell CELL_CODE's edge: the households of its village inside AREA (a GeoJSON
    polygon in lon/lat) join it; the edge follows the households' Voronoi boundaries."""
    try:
        drawn = shapely.geometry.shape(area)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.ShapelyError):
        raise GridError("所画范围不是有效的多边形") from None
    if drawn.geom_type not in ("Polygon", "MultiPolygon") or not drawn.is_valid:
        raise GridError("所画范围须是不自相交的多边形")
    target = aliased(GridCell)
    codes = session.scalars(
        select(Household.code)
        .join(GridMembership, GridMembership.household_id == Household.id)
        .join(GridCell, GridCell.id == GridMembership.cell_id)
        .join(
            target,
            and_(
                target.village_id == GridCell.village_id,
                target.plan_id == GridMembership.plan_id,
                target.code == cell_code,
            ),
        )
        .where(
            GridMembership.plan_id == plan_id,
            GridCell.code != cell_code,
            func.ST_Covers(func.ST_GeomFromText(drawn.wkt, 4326), Household.geom),
        )
    ).all()
    if not codes:
        raise GridError(f"所画范围内没有本村其他网格的农户，网格 {cell_code} 未改变")
    return move_households(session, plan_id, list(codes), cell_code, seen, actor=actor, kind="redraw")


def set_locked(
    session: Session, plan_id: int, cell_code: str, locked: bool, seen_version: int, *, actor: Actor
) -> EditResult:
    """Lock (keep on rebalance) or unlock a cell of a draft plan; audited, commits."""
    plan = draft_plan(session, plan_id)
    cell = session.scalar(
        select(GridCell).where(GridCell.plan_id == plan.id, GridCell.code == cell_code).with_for_update()
    )
    if cell is None:
        raise GridError(f"方案 {plan.id} 中没有网格 {cell_code}")
    check_versions({cell_code: seen_version}, {cell_code: cell.version})
    cell.locked = locked
    record(
        session, actor, "edit_plan", plan_target(plan), {"edit": "lock" if locked else "unlock", "cells": [cell_code]}
    )
    session.commit()
    return EditResult({cell_code: cell.version})
