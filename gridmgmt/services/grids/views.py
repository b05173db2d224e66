"""What the grid pages show: a plan's cells with live metrics, its households and groups
(never a sensitive flag), two plans compared, and a grid worker's own cells and liaisons."""
import json
from dataclasses import dataclass

import numpy as np
from sqlalchemy import text
from sqlalchemy.orm import Session

from gridmgmt.db.models import GridPlan, Township
from gridmgmt.domain.grid_rules import GridError, GridRules
from gridmgmt.services.grids.plans import diff
from gridmgmt.services.grids.allocation import MUST_VISIT, plan_rules

CELLS_SQL = f"""
SELECT c.code, c.name, c.version, c.locked, v.code AS village_code, v.name AS village, k.name AS worker,
       count(h.id) AS households, count(h.id) + :extra * count(h.id) FILTER (WHERE {MUST_VISIT}) AS workload,
       4 * pi() * ST_Area(c.geom::geography) / nullif(ST_Perimeter(c.geom::geography) ^ 2, 0) AS pp,
       ST_NumGeometries(c.geom) AS pieces, ST_AsGeoJSON(c.geom, 6) AS geojson
FROM grid_cell c JOIN village v ON v.id = c.village_id LEFT JOIN cadre k ON k.id = c.grid_worker_id
LEFT JOIN grid_membership m ON m.cell_id = c.id LEFT JOIN household h ON h.id = m.household_id
WHERE c.plan_id = :p GROUP BY c.id, v.id, k.id ORDER BY c.code"""
HOUSEHOLDS_SQL = """
SELECT h.code, c.code AS cell, g.code AS grp, round(ST_X(h.geom)::numeric, 6) AS lon,
       round(ST_Y(h.geom)::numeric, 6) AS lat
FROM grid_membership m JOIN household h ON h.id = m.household_id JOIN grid_cell c ON c.id = m.cell_id
LEFT JOIN village_group g ON g.id = h.group_id WHERE m.plan_id = :p ORDER BY h.code"""
VILLAGES_SQL = """
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
  'type', 'Feature', 'properties', json_build_object('code', code, 'name', name),
  'geometry', ST_AsGeoJSON(geom, 6)::json)), '[]'::json)) FROM village WHERE township_id = :t"""
GROUPS_SQL = """
SELECT g.code, g.name, v.code AS village_code FROM village_group g JOIN village v ON v.id = g.village_id
WHERE v.township_id = :t ORDER BY g.code"""
MY_CELLS_SQL = """
SELECT c.id, c.code, c.name, v.name AS village, p.name AS plan, p.published_at,
       (SELECT count(*) FROM household h WHERE h.grid_cell_id = c.id) AS households,
       ST_AsGeoJSON(c.geom, 6) AS geojson
FROM grid_cell c JOIN grid_plan p ON p.id = c.plan_id JOIN village v ON v.id = c.village_id
WHERE c.grid_worker_id = :cadre AND p.status = 'published' ORDER BY c.code"""
LIAISONS_SQL = """
SELECT pm.name, count(*) AS households, min(h.code) AS first_code
FROM liaison l JOIN household h ON h.id = l.household_id JOIN party_member pm ON pm.id = l.party_member_id
WHERE h.grid_cell_id = :cell GROUP BY pm.id, pm.name ORDER BY pm.name, pm.id"""


PLANS_SQL = """
SELECT p.id, p.name, p.status, p.published_at, p.rules,
       (SELECT count(*) FROM grid_cell c WHERE c.plan_id = p.id) AS cells,
       (SELECT count(*) FROM grid_membership m WHERE m.plan_id = p.id) AS households
FROM grid_plan p JOIN township t ON t.id = p.township_id WHERE t.code = :code ORDER BY p.id"""


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


def plan_row(session: Session, plan_id: int) -> tuple[GridPlan, str]:
    """The plan PLAN_ID and its township's code; GridError when there is none."""
    plan = session.get(GridPlan, plan_id)
    if plan is None:
        raise GridError(f"没有编号为 {plan_id} 的网格方案")
    return plan, session.get(Township, plan.township_id).code


def township_plans(session: Session, code: str) -> list[dict]:
    """The plans of township CODE, oldest first, with their cell and household counts."""
    return [dict(r) for r in session.execute(text(PLANS_SQL), {"code": code}).mappings()]


def _summary(cells: list[dict], rules: GridRules) -> dict:
    """Balance and compactness of the cells, each against its village's mean workload."""
    if not cells:
        return {"cells": 0}
    load = np.array([c["workload"] for c in cells], float)
    village = np.array([c["village_code"] for c in cells])
    means = {v: load[village == v].mean() for v in set(village)}
    deviation = np.abs(load / np.array([means[v] for v in village]) - 1)
    pp = np.array([c["pp"] or 0.0 for c in cells])
    return {"cells": len(cells), "households": int(sum(c["households"] for c in cells)),
            "workload_max_min": round(float(load.max() / max(load.min(), 1e-9)), 2),
            "workload_cv": round(float(load.std() / load.mean()), 3),
            "worst_deviation": round(float(deviation.max()), 3),
            "pp_mean": round(float(pp.mean()), 3), "pp_worst": round(float(pp.min()), 3),
            "contiguous_share": round(float(np.mean([c["pieces"] == 1 for c in cells])), 3),
            "out_of_bounds": [c["code"] for c in cells
                              if not rules.min_workload <= c["workload"] <= rules.max_workload]}


def plan_view(session: Session, plan_id: int) -> PlanView:
    """Everything the editor draws for PLAN_ID; workloads and bounds follow the plan's rules."""
    plan, township = plan_row(session, plan_id)
    rules = plan_rules(plan)
    rows = [dict(r) for r in session.execute(text(CELLS_SQL), {"p": plan.id, "extra": rules.must_visit_extra})
            .mappings()]
    for r in rows:
        r["workload"], r["pp"] = float(r["workload"]), r["pp"] and round(float(r["pp"]), 3)
    features = [{"type": "Feature", "geometry": json.loads(r.pop("geojson")), "properties": r} for r in rows]
    homes = [{**r, "lon": float(r["lon"]), "lat": float(r["lat"])}
             for r in session.execute(text(HOUSEHOLDS_SQL), {"p": plan.id}).mappings()]
    groups = [dict(r) for r in session.execute(text(GROUPS_SQL), {"t": plan.township_id}).mappings()]
    villages = session.execute(text(VILLAGES_SQL), {"t": plan.township_id}).scalar_one()
    info = {"id": plan.id, "name": plan.name, "status": plan.status, "township": township}
    return PlanView(info, rules, {"type": "FeatureCollection", "features": features}, villages, _summary(rows, rules),
                    homes, groups)


def diff_view(session: Session, plan_a: int, plan_b: int) -> dict:
    """Two plans compared for a map: B's cells, the matched pairs and the moved households."""
    result = diff(session, plan_a, plan_b)
    moved = json.loads(result.moved.to_json(drop_id=True)) if len(result.moved) else \
        {"type": "FeatureCollection", "features": []}
    return {"cells": plan_view(session, plan_b).cells, "moved": moved,
            "matches": result.matches.astype({"shared": int}).to_dict(orient="records")}


def my_cells(session: Session, cadre_id: int | None) -> list[dict]:
    """The published cells CADRE_ID works as grid worker, each with its 联户 party members."""
    if cadre_id is None:
        return []
    cells = [dict(r) for r in session.execute(text(MY_CELLS_SQL), {"cadre": cadre_id}).mappings()]
    for cell in cells:
        cell["geojson"] = json.loads(cell["geojson"])
        cell["liaisons"] = [dict(r) for r in session.execute(text(LIAISONS_SQL), {"cell": cell["id"]}).mappings()]
    return cells
