"""What the grid pages show: a plan's cells with live metrics, its households and groups
(never a sensitive flag), and a grid worker's own cells and liaisons (two plans compared:
services.grids.compare)."""

import json
from dataclasses import dataclass

import numpy as np
from geoalchemy2 import Geography
from sqlalchemy import ColumnElement, Float, Numeric, Select, cast, func, select
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
from gridmgmt.db.queries import COORD_DIGITS, feature_collection, must_visit, published_cells
from gridmgmt.domain.grid_rules import GridRules, redraw_refusal
from gridmgmt.services.grids.allocation import find_plan, plan_rules
from gridmgmt.services.grids.locks import plan_locks
from gridmgmt.services.grids.plans import plan_sizes
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
    """The plans of township CODE, oldest first, with their cell and household counts and whether their
    outlines may be redrawn along the 村民小组 lines."""
    rows = session.execute(
        select(
            GridPlan.id,
            GridPlan.name,
            GridPlan.status,
            GridPlan.published_at,
            GridPlan.rules,
            GridPlan.outlines,
            *plan_sizes(),
        )
        .join(Township, Township.id == GridPlan.township_id)
        .where(Township.code == code)
        .order_by(GridPlan.id)
    )
    return [{**r, "redrawable": redraw_refusal(r["id"], r["outlines"], r["status"]) is None} for r in rows.mappings()]


def _cell_rows(plan: GridPlan, rules: GridRules, *columns) -> Select:
    """The plan's cells with their live metrics (and COLUMNS): households, workload under
    RULES, Polsby–Popper compactness (pp) and number of pieces."""
    area = cast(GridCell.geom, Geography(srid=4326))
    pp = 4 * func.pi() * func.ST_Area(area) / func.nullif(func.power(func.ST_Perimeter(area), 2), 0)
    households = func.count(Household.id)
    workload = households + rules.must_visit_extra * households.filter(must_visit())
    return (
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
            *columns,
        )
        .join(Village, Village.id == GridCell.village_id)
        .outerjoin(Cadre, Cadre.id == GridCell.grid_worker_id)
        .outerjoin(GridMembership, GridMembership.cell_id == GridCell.id)
        .outerjoin(Household, Household.id == GridMembership.household_id)
        .where(GridCell.plan_id == plan.id)
        .group_by(GridCell.id, Village.id, Cadre.id)
        .order_by(GridCell.code)
    )


def cell_features(session: Session, plan: GridPlan, rules: GridRules, codes: list[str] | None = None) -> dict:
    """The plan's cells (those of CODES when given) as GeoJSON with their live metrics under RULES."""
    rows = _cell_rows(plan, rules, GridCell.geom)
    return feature_collection(session, rows if codes is None else rows.where(GridCell.code.in_(codes)))


def cell_metrics(session: Session, plan: GridPlan, rules: GridRules) -> list[dict]:
    """The plan's cells with their live metrics under RULES, no geometry."""
    return [{**r, "pp": float(r["pp"] or 0)} for r in session.execute(_cell_rows(plan, rules)).mappings()]


def plan_summary(session: Session, plan: GridPlan, rules: GridRules) -> dict:
    """Balance and compactness of the plan's cells under RULES (no geometry read out)."""
    return summary_of(cell_metrics(session, plan, rules), rules)


def summary_of(cells: list[dict], rules: GridRules) -> dict:
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


def _households(session: Session, plan_id: int, codes: list[str] | None = None) -> list[dict]:
    """The plan's households (those in cells CODES when given): code, cell, group, lon, lat; no flags."""
    rows = (
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
        .where(GridMembership.plan_id == plan_id)
        .order_by(Household.code)
    )
    rows = rows if codes is None else rows.where(GridCell.code.in_(codes))
    return [dict(r) for r in session.execute(rows).mappings()]


def _splits(session: Session, plan: GridPlan, rules: GridRules) -> dict:
    """The groups the plan splits and the cells a planner cut, with their reasons."""
    return {
        "splits": [s.as_dict() for s in group_splits(session, plan, rules)],
        "cell_splits": [
            {"cell": r.subject, "cells": r.cells, "reason": r.reason, "given_by": r.given_by}
            for r in plan_reasons(session, plan.id, "cell")
        ],
    }


def plan_view(session: Session, plan_id: int) -> PlanView:
    """Everything the editor draws for PLAN_ID; workloads and bounds follow the plan's rules."""
    plan, township = plan_row(session, plan_id)
    rules = plan_rules(plan)
    cells = cell_features(session, plan, rules)
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
    summary = summary_of([f["properties"] for f in cells["features"]], rules)
    split = _splits(session, plan, rules)
    return PlanView(
        info,
        rules,
        cells,
        villages,
        summary,
        _households(session, plan.id),
        [dict(r) for r in groups.mappings()],
        split["splits"],
        split["cell_splits"],
    )


def edit_view(session: Session, plan_id: int, versions: dict[str, int | None]) -> dict:
    """What an edit changed in PLAN_ID, for the editor to patch its layers: the VERSIONS of the
    cells it touched (None: gone), those cells now with their households, the plan's summary,
    splits and hand edits kept."""
    plan = find_plan(session, plan_id)
    rules = plan_rules(plan)
    codes = [code for code, version in versions.items() if version is not None]
    return {
        "versions": versions,
        "cells": cell_features(session, plan, rules, codes),
        "households": _households(session, plan.id, codes),
        "summary": plan_summary(session, plan, rules),
        "locks": plan_locks(session, plan.id),
        **_splits(session, plan, rules),
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


def outline_feature(cell: dict) -> dict:
    """A row of published_cell_rows as a GeoJSON feature: its outline, code and name only."""
    return {"type": "Feature", "geometry": cell["geojson"], "properties": {"code": cell["code"], "name": cell["name"]}}


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
