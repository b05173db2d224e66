"""Grid plans: allocate a township village by village, rebalance around locked cells.

Geometry is worked on in metres on the tangent plane of the township's frame
(gridmgmt.network.frame.LocalPlane, exact both ways); the algorithm is gridmgmt.analysis.partition
on household Voronoi meshes.
"""

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from gridmgmt.analysis.grid_cells import OutsideVillage, VillageMesh, build_mesh, dissolve
from gridmgmt.analysis.grid_groups import allocate_groups
from gridmgmt.analysis.grid_quality import Quality, quality
from gridmgmt.analysis.partition import SiteGraph, site_graph
from gridmgmt.db.models import GridCell, GridPlan, Household, Road, Township, Village, VillageGroup, Water
from gridmgmt.db.models.grids import GridMembership
from gridmgmt.db.queries import in_township, must_visit
from gridmgmt.domain.grid_rules import GridError, GridRules, PlanNotFound
from gridmgmt.network.frame import LocalPlane
from gridmgmt.network.roads import township_frame
from gridmgmt.services.accounts.actors import Actor, record
from gridmgmt.services.grids.cells import new_cells, store_cells
from gridmgmt.services.grids.reasons import note_allocation
from gridmgmt.services.grids.splits import GroupSplit, group_splits, with_proofs


@dataclass(frozen=True)
class GridTownship:
    """A township's villages, households, roads and water edges in metres on its local PLANE."""

    id: int
    plane: LocalPlane
    villages: pd.DataFrame  # id, code, name, geom
    households: pd.DataFrame  # id, code, village_id, group_id, x, y, must_visit
    groups: pd.DataFrame  # id, village_id, geom: the groups drawn as areas
    roads: np.ndarray  # road lines
    waters: np.ndarray  # rivers and canals, and the banks of ponds, reservoirs and lakes


@dataclass(frozen=True)
class VillageCells:
    """One village's allocation: its mesh, graph and a cell label per site."""

    village_id: int
    households: pd.DataFrame
    mesh: VillageMesh
    graph: SiteGraph
    sites: np.ndarray  # cell label per site, -1 for none
    cell_ids: np.ndarray | None = None  # grid_cell id per label, once stored

    @cached_property
    def polygons(self) -> np.ndarray:
        """Cell polygon per label 0..max (metres)."""
        return dissolve(self.mesh, self.sites, self.sites.max() + 1)


@dataclass(frozen=True)
class PlanReport:
    """What allocate and rebalance report: the plan, its cell count, quality and split groups."""

    plan_id: int
    cells: int
    quality: Quality
    splits: list[GroupSplit]


def township_id(session: Session, code: str) -> int:
    """Id of the township CODE; GridError when unknown."""
    found = session.scalar(select(Township.id).where(Township.code == code))
    if found is None:
        raise GridError(f"没有编码为 {code} 的乡镇")
    return found


def load_township(session: Session, tid: int) -> GridTownship:
    """Villages, households (must_visit as one bool, never the flags), roads and waters of TID."""
    plane = township_frame(session, tid).plane
    villages = pd.read_sql(
        select(Village.id, Village.code, Village.name, func.ST_AsBinary(Village.geom).label("wkb"))
        .where(Village.township_id == tid)
        .order_by(Village.code),
        session.connection(),
    )
    villages["geom"] = _metres(plane, villages.pop("wkb"))
    households = pd.read_sql(
        select(
            Household.id,
            Household.code,
            Household.village_id,
            func.coalesce(Household.group_id, -1).label("group_id"),
            must_visit().label("must_visit"),
            func.ST_X(Household.geom).label("x"),
            func.ST_Y(Household.geom).label("y"),
        )
        .where(in_township(tid))
        .order_by(Household.id),
        session.connection(),
    )
    xy = plane.forward(households[["x", "y"]].to_numpy(float))
    households["x"], households["y"] = xy[:, 0], xy[:, 1]
    roads = session.scalars(select(func.ST_AsBinary(Road.geom)).where(Road.township_id == tid)).all()
    waters = _metres(plane, water_lines(session, tid))
    return GridTownship(
        tid, plane, villages, households, group_areas(session, tid, plane), _metres(plane, roads), waters
    )


def group_areas(session: Session, tid: int, plane: LocalPlane) -> pd.DataFrame:
    """The village groups of TID drawn as areas (id, village_id, geom in metres), by id."""
    g = VillageGroup
    groups = pd.read_sql(
        select(g.id, g.village_id, func.ST_AsBinary(g.geom).label("wkb"))
        .join(Village, Village.id == g.village_id)
        .where(Village.township_id == tid, func.ST_Dimension(g.geom) == 2)
        .order_by(g.id),
        session.connection(),
    )
    groups["geom"] = _metres(plane, groups.pop("wkb"))
    return groups


def water_lines(session: Session, tid: int) -> list[bytes]:
    """The waters of TID as lines (WKB): rivers and canals as they are, water areas by their banks."""
    line = case((func.ST_Dimension(Water.geom) == 2, func.ST_Boundary(Water.geom)), else_=Water.geom)
    return session.scalars(select(func.ST_AsBinary(line)).where(Water.township_id == tid)).all()


def _metres(plane: LocalPlane, wkbs) -> np.ndarray:
    """Lon/lat geometries WKBS (WKB) on PLANE."""
    return plane.to_metres(shapely.from_wkb([bytes(b) for b in wkbs]))


def weights(households: pd.DataFrame, rules: GridRules) -> np.ndarray:
    """Each household's workload under RULES."""
    return np.where(households.must_visit.to_numpy(bool), rules.workload(True), rules.workload(False))


def village_mesh(town: GridTownship, village_id: int, rules: GridRules) -> tuple[pd.DataFrame, VillageMesh, SiteGraph]:
    """The households of a village, their mesh and site graph; GridError if one lies outside."""
    village = town.villages.set_index("id").loc[village_id]
    homes = town.households[town.households.village_id == village_id].reset_index(drop=True)
    try:
        zones = town.groups.geom[town.groups.village_id == village_id].to_numpy()
        mesh = build_mesh(homes[["x", "y"]].to_numpy(), village.geom, zones)
    except OutsideVillage as exc:
        codes = homes.code.to_numpy()[exc.rows]
        raise GridError(
            f"{village['name']} 有 {len(codes)} 户不在村界内，请先核对位置：{'、'.join(codes[:10])}"
        ) from exc
    homes["weight"] = weights(homes, rules)
    graph = site_graph(mesh, homes.weight.to_numpy(), homes.group_id.to_numpy(), town.roads, town.waters)
    return homes, mesh, graph


def plan_quality(parts: list[VillageCells]) -> Quality:
    """Quality over all villages' cells; each cell's target is its village's mean workload."""
    polygons, cell, weight, group, targets = [], [], [], [], []
    for part in parts:
        labels, site_cell = np.unique(part.sites, return_inverse=True)
        household_cell = site_cell[part.mesh.site_of] + len(polygons)
        polygons += list(part.polygons[labels])
        load = np.bincount(site_cell, part.graph.weight, len(labels))
        targets += [load.sum() / len(labels)] * len(labels)
        cell.append(household_cell)
        weight.append(part.households.weight.to_numpy())
        group.append(part.households.group_id.to_numpy())
    return quality(polygons, np.concatenate(cell), np.concatenate(weight), np.concatenate(group), np.array(targets))


def allocate_township(session: Session, code: str, name: str, rules: GridRules, *, actor: Actor) -> PlanReport:
    """Allocate every village of township CODE into a new draft plan NAME; audited as ACTOR's, commits.

    Everything is worked out before the first write: writing a plan takes the data-version row
    locks (migration 0011) until the commit, which would hold up a county run's other townships."""
    town = load_township(session, township_id(session, code))
    if town.households.empty:
        raise GridError(f"乡镇 {code} 没有农户，无法划分网格")
    parts = []
    for village in town.villages.itertuples():
        if not (town.households.village_id == village.id).any():
            continue
        homes, mesh, graph = village_mesh(town, village.id, rules)
        parts.append(VillageCells(village.id, homes, mesh, graph, allocate_groups(graph, rules)))
    cells = [cell for part in parts for cell in new_cells(town, part, np.unique(part.sites))]
    scores = plan_quality(parts)
    plan = GridPlan(township_id=town.id, name=name, rules=rules.as_dict())
    session.add(plan)
    session.flush()
    store_cells(session, town, plan.id, cells)
    report = PlanReport(plan.id, len(cells), scores, proved_splits(session, plan, town, parts))
    note_allocation(session, plan.id, report.splits)
    record(session, actor, "allocate_plan", plan_target(plan), {"township": code, "cells": report.cells})
    session.commit()
    return report


def proved_splits(session: Session, plan: GridPlan, town: GridTownship, parts: list[VillageCells]) -> list[GroupSplit]:
    """The groups PLAN splits, each proven needed where its village (of PARTS, in TOWN) splits no more
    groups than any allocation within the plan's band must."""
    # A village name two villages share names no proof: its splits keep the rule's reason.
    names = town.villages.drop_duplicates("name", keep=False).set_index("id").name
    graphs = {names[part.village_id]: part.graph for part in parts if part.village_id in names.index}
    rules = plan_rules(plan)
    return with_proofs(group_splits(session, plan, rules, kept_proofs=False), graphs, rules)


def plan_target(plan: GridPlan) -> str:
    """How the audit log names PLAN."""
    return f"网格方案 {plan.id}“{plan.name}”"


def find_plan(session: Session, plan_id: int, lock: bool = False) -> GridPlan:
    """The plan PLAN_ID (locked for update when LOCK); PlanNotFound when there is none."""
    plan = session.get(GridPlan, plan_id, with_for_update=lock)
    if plan is None:
        raise PlanNotFound(plan_id)
    return plan


def draft_plan(session: Session, plan_id: int) -> GridPlan:
    """The plan PLAN_ID locked for update; GridError unless it exists and is a draft."""
    plan = find_plan(session, plan_id, lock=True)
    if plan.status != "draft":
        raise GridError(f"方案 {plan_id} 已{'发布' if plan.status == 'published' else '归档'}，只能修改草稿方案")
    return plan


def plan_rules(plan: GridPlan) -> GridRules:
    """The rules PLAN was allocated with."""
    return GridRules.from_dict(plan.rules)


def plan_cells(session: Session, plan: GridPlan, town: GridTownship, village_ids=None) -> list[VillageCells]:
    """The plan's stored allocation of VILLAGE_IDS (default all) as VillageCells, weighted by its rules."""
    rules = plan_rules(plan)
    member = dict(
        session.execute(
            select(GridMembership.household_id, GridMembership.cell_id).where(GridMembership.plan_id == plan.id)
        ).all()
    )
    parts = []
    for vid in town.households.village_id.unique() if village_ids is None else village_ids:
        homes, mesh, graph = village_mesh(town, int(vid), rules)
        cell_of = homes.id.map(member).fillna(-1).to_numpy(int)
        cell_ids, label = np.unique(cell_of[cell_of >= 0], return_inverse=True)
        sites = np.full(len(mesh.xy), -1)
        sites[mesh.site_of[cell_of >= 0]] = label
        parts.append(VillageCells(int(vid), homes, mesh, graph, sites, cell_ids))
    return parts


def next_version(session: Session, plan_id: int) -> int:
    """A version above every version of the plan's cells: a cell made again under an old
    code never matches what a stale editor saw."""
    return session.scalar(select(func.coalesce(func.max(GridCell.version), 0) + 1).where(GridCell.plan_id == plan_id))
