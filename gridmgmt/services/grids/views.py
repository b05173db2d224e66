"""What the grid pages show: a plan's cells with live metrics, its households and groups
(never a sensitive flag), two plans compared, and a grid worker's own cells and liaisons."""

import json
from dataclasses import dataclass

import numpy as np
from geoalchemy2 import Geography
from sqlalchemy import ColumnElement, Float, Numeric, cast, func, select
from sqlalchemy.orm import Session, aliased

from gridmgmt.db.models import (
    Cadre,
    GridCell,
    GridPlan,
    Household,
    Liaison,
    PartyMember,
    Township,
    Village,
    VillageGroup,
)
from gridmgmt.db.models.grids import GridMembership
from gridmgmt.db.queries import COORD_DIGITS, collection, feature_collection, must_visit, published_cells, rounded
from gridmgmt.domain.grid_rules import GridRules
from gridmgmt.services.grids.allocation import find_plan, plan_rules
from gridmgmt.services.grids.plans import diff, plan_sizes
from gridmgmt.services.grids.reasons import plan_reasons
from gridmgmt.services.grids.splits import group_splits


@dataclass(frozen=True)
class PlanView:
    """A plan for the editor: its row, its rules, the cells and villages (GeoJSON), the
    summary, households, groups."""

    plan: dict
    rules: GridRules
    cells: dict
    villages: dict
    summary: dict
    households: list[dict]
    groups: list[dict]
    splits: list[dict]
    cell_splits: list[dict]  # cells a planner cut, with the reason given


def plan_row(session: Session, plan_id: int) -> tuple[GridPlan, str]:
    """The plan PLAN_ID and its township's code; PlanNotFound when there is none."""
    plan = find_plan(session, plan_id)
    return plan, session.get(Township, plan.township_id).code


def township_plans(session: Session, code: str) -> list[dict]:
    """The plans of township CODE, oldest first, with their cell and household counts."""
    rows = session.execute(
        select(GridPlan.id, GridPlan.name, GridPlan.status, GridPlan.published_at, GridPlan.rules, *plan_sizes())
        .join(Township, Township.id == GridPlan.township_id)
        .where(Township.code == code)
        .order_by(GridPlan.id)
    )
    return [dict(r) for r in rows.mappings()]


def cell_features(session: Session, plan: GridPlan, rules: GridRules) -> dict:
    """The plan's cells as GeoJSON with their live metrics: households, workload under RULES,
    Polsby–Popper compactness (pp) and number of pieces."""
    area = cast(GridCell.geom, Geography(srid=4326))
    pp = 4 * func.pi() * func.ST_Area(area) / func.nullif(func.power(func.ST_Perimeter(area), 2), 0)
    households = func.count(Household.id)
    workload = households + rules.must_visit_extra * households.filter(must_visit())
    return feature_collection(
        session,
        select(
            GridCell.code,
            GridCell.name,
            GridCell.version,
            GridCell.locked,
            Village.code.label("village_code"),
            Village.name.label("village"),
            Cadre.name.label("worker"),
            households.label("households"),
            workload.label("workload"),
            func.round(cast(pp, Numeric), 3).label("pp"),
            func.ST_NumGeometries(GridCell.geom).label("pieces"),
            GridCell.geom,
        )
        .join(Village, Village.id == GridCell.village_id)
        .outerjoin(Cadre, Cadre.id == GridCell.grid_worker_id)
        .outerjoin(GridMembership, GridMembership.cell_id == GridCell.id)
        .outerjoin(Household, Household.id == GridMembership.household_id)
        .where(GridCell.plan_id == plan.id)
        .group_by(GridCell.id, Village.id, Cadre.id)
        .order_by(GridCell.code),
    )


def _summary(cells: list[dict], rules: GridRules) -> dict:
    """Balance and compactness of the cells, each against its village's mean workload."""
    if not cells:
        return {"cells": 0}
    load = np.array([c["workload"] for c in cells], float)
    village = np.array([c["village_code"] for c in cells])
    means = {v: load[village == v].mean() for v in set(village)}
    deviation = np.abs(load / np.array([means[v] for v in village]) - 1)
    pp = np.array([c["pp"] or 0.0 for c in cells])
    return {
        "cells": len(cells),
        "households": int(sum(c["households"] for c in cells)),
        "workload_max_min": round(float(load.max() / max(load.min(), 1e-9)), 2),
        "workload_cv": round(float(load.std() / load.mean()), 3),
        "worst_deviation": round(float(deviation.max()), 3),
        "pp_mean": round(float(pp.mean()), 3),
        "pp_worst": round(float(pp.min()), 3),
        "contiguous_share": round(float(np.mean([c["pieces"] == 1 for c in cells])), 3),
        "out_of_bounds": [c["code"] for c in cells if not rules.min_workload <= c["workload"] <= rules.max_workload],
    }


def _degrees(coordinate: ColumnElement) -> ColumnElement:
    """COORDINATE (degrees) rounded to the GeoJSON precision."""
    return cast(func.round(cast(coordinate, Numeric), COORD_DIGITS), Float)


def plan_view(session: Session, plan_id: int) -> PlanView:
    """Everything the editor draws for PLAN_ID; workloads and bounds follow the plan's rules."""
    plan, township = plan_row(session, plan_id)
    rules = plan_rules(plan)
    cells = cell_features(session, plan, rules)
    homes = session.execute(
        select(
            Household.code,
            GridCell.code.label("cell"),
            VillageGroup.code.label("grp"),
            _degrees(func.ST_X(Household.geom)).label("lon"),
            _degrees(func.ST_Y(Household.geom)).label("lat"),
        )
        .select_from(GridMembership)
        .join(Household, Household.id == GridMembership.household_id)
        .join(GridCell, GridCell.id == GridMembership.cell_id)
        .outerjoin(VillageGroup, VillageGroup.id == Household.group_id)
        .where(GridMembership.plan_id == plan.id)
        .order_by(Household.code)
    )
    groups = session.execute(
        select(VillageGroup.code, VillageGroup.name, Village.code.label("village_code"))
        .join(Village, Village.id == VillageGroup.village_id)
        .where(Village.township_id == plan.township_id)
        .order_by(VillageGroup.code)
    )
    villages = feature_collection(
        session, select(Village.code, Village.name, Village.geom).where(Village.township_id == plan.township_id)
    )
    info = {"id": plan.id, "name": plan.name, "status": plan.status, "township": township}
    summary = _summary([f["properties"] for f in cells["features"]], rules)
    return PlanView(
        info,
        rules,
        cells,
        villages,
        summary,
        [dict(r) for r in homes.mappings()],
        [dict(r) for r in groups.mappings()],
        [s.as_dict() for s in group_splits(session, plan, rules)],
        [
            {"cell": r.subject, "cells": r.cells, "reason": r.reason, "given_by": r.given_by}
            for r in plan_reasons(session, plan.id, "cell")
        ],
    )


def diff_view(session: Session, plan_a: int, plan_b: int) -> dict:
    """Two plans compared for a map: B's cells, the matched pairs and the moved households."""
    result = diff(session, plan_a, plan_b)
    plan = find_plan(session, plan_b)
    moved = result.moved.assign(geometry=rounded(result.moved.geometry.array))
    return {
        "cells": cell_features(session, plan, plan_rules(plan)),
        "moved": json.loads(moved.to_json(drop_id=True)) if len(moved) else collection([]),
        "matches": result.matches.astype({"shared": int}).to_dict(orient="records"),
    }


def published_cell_rows(session: Session, *where) -> list[dict]:
    """The published cells matching WHERE: code, name, village (and its id), plan, households,
    grid worker and phone, GeoJSON; by code."""
    worker = aliased(Cadre)
    households = select(func.count()).select_from(Household).where(Household.grid_cell_id == GridCell.id)
    rows = session.execute(
        published_cells(
            select(
                GridCell.id,
                GridCell.code,
                GridCell.name,
                GridCell.village_id,
                Village.name.label("village"),
                GridPlan.name.label("plan"),
                GridPlan.published_at,
                households.scalar_subquery().label("households"),
                worker.name.label("worker"),
                worker.phone,
                func.ST_AsGeoJSON(GridCell.geom, COORD_DIGITS).label("geojson"),
            )
            .select_from(GridCell)
            .join(Village, Village.id == GridCell.village_id)
        )
        .outerjoin(worker, worker.id == GridCell.grid_worker_id)
        .where(*where)
        .order_by(GridCell.code)
    )
    return [{**row, "geojson": json.loads(row["geojson"])} for row in rows.mappings()]


def my_cells(session: Session, cadre_id: int | None) -> list[dict]:
    """The published cells CADRE_ID works as grid worker, each with its 联户 party members."""
    if cadre_id is None:
        return []
    cells = published_cell_rows(session, GridCell.grid_worker_id == cadre_id)
    for cell in cells:
        cell["liaisons"] = [
            dict(r)
            for r in session.execute(
                select(PartyMember.name, func.count().label("households"), func.min(Household.code).label("first_code"))
                .select_from(Liaison)
                .join(Household, Household.id == Liaison.household_id)
                .join(PartyMember, PartyMember.id == Liaison.party_member_id)
                .where(Household.grid_cell_id == cell["id"])
                .group_by(PartyMember.id, PartyMember.name)
                .order_by(PartyMember.name, PartyMember.id)
            ).mappings()
        ]
    return cells
