"""Plan life cycle: list, publish (sets every household's grid and 联户), compare, export."""
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.optimize import linear_sum_assignment
from sqlalchemy import text
from sqlalchemy.orm import Session

from gridmgmt.db.models import GridPlan
from gridmgmt.domain.grid_rules import GridError
from gridmgmt.services.accounts.actors import Actor, audited_file
from gridmgmt.services.grids.allocation import draft_plan

EXPORT_DRIVERS = {"gpkg": "GPKG", "geojson": "GeoJSON"}


@dataclass(frozen=True)
class PlanDiff:
    """Cells of plan A matched to plan B's by shared households, and the households that moved."""

    matches: pd.DataFrame  # a_code, b_code, shared
    moved: gpd.GeoDataFrame  # code, village, from_cell, to_cell, geometry (points)


def plan_list(session: Session) -> pd.DataFrame:
    """Every plan with its township, status, cell and household counts."""
    return pd.DataFrame(session.execute(text(
        "SELECT p.id, t.code AS township, p.name, p.status, p.published_at, "
        "(SELECT count(*) FROM grid_cell c WHERE c.plan_id = p.id) AS cells, "
        "(SELECT count(*) FROM grid_membership m WHERE m.plan_id = p.id) AS households "
        "FROM grid_plan p JOIN township t ON t.id = p.township_id ORDER BY p.id")).mappings().all())


def _gaps(session: Session, plan: GridPlan) -> tuple[int, list[str]]:
    """(households of the township outside the plan, cells without a grid worker)."""
    p = {"p": plan.id, "t": plan.township_id}
    missing = session.execute(text(
        "SELECT count(*) FROM household h JOIN village v ON v.id = h.village_id WHERE v.township_id = :t "
        "AND NOT EXISTS (SELECT 1 FROM grid_membership m WHERE m.plan_id = :p AND m.household_id = h.id)"),
        p).scalar_one()
    no_worker = session.execute(text(
        "SELECT code FROM grid_cell WHERE plan_id = :p AND grid_worker_id IS NULL ORDER BY code"), p).scalars().all()
    return missing, list(no_worker)


def publish(session: Session, plan_id: int, allow_no_worker: bool = False) -> GridPlan:
    """Publish draft PLAN_ID: archive the township's published plan, set every household's
    grid cell and, when the plan has liaisons, replace the township's 联户 links; commits."""
    plan = draft_plan(session, plan_id)
    missing, no_worker = _gaps(session, plan)
    if missing:
        raise GridError(f"有 {missing} 户不在本方案的任何网格中（可能是分配后新导入的农户），请重新分配后再发布")
    if no_worker and not allow_no_worker:
        raise GridError(f"{len(no_worker)} 个网格尚无网格员（{'、'.join(no_worker[:5])}…），"
                        "请先运行 gridmgmt grids assign，或确认后加 --allow-no-worker 发布")
    # One instant ends the old plan and starts the new: no moment without a published plan.
    p = {"p": plan.id, "t": plan.township_id, "now": datetime.now(timezone.utc)}
    session.execute(text("UPDATE grid_plan SET status = 'archived', archived_at = :now, version = version + 1 "
                         "WHERE township_id = :t AND status = 'published'"), p)
    session.execute(text("UPDATE household h SET grid_cell_id = m.cell_id FROM grid_membership m "
                         "WHERE m.plan_id = :p AND m.household_id = h.id"), p)
    if session.execute(text("SELECT EXISTS (SELECT 1 FROM grid_liaison WHERE plan_id = :p)"), p).scalar_one():
        session.execute(text("DELETE FROM liaison l USING household h, village v WHERE l.household_id = h.id "
                             "AND h.village_id = v.id AND v.township_id = :t"), p)
        session.execute(text("INSERT INTO liaison (party_member_id, household_id) "
                             "SELECT party_member_id, household_id FROM grid_liaison WHERE plan_id = :p"), p)
    plan.status, plan.published_at = "published", p["now"]
    session.commit()
    return plan


def _members(session: Session, plan_id: int) -> pd.DataFrame:
    return pd.DataFrame(session.execute(text(
        "SELECT h.id, h.code, v.name AS village, c.code AS cell, ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat "
        "FROM grid_membership m JOIN household h ON h.id = m.household_id JOIN village v ON v.id = h.village_id "
        "JOIN grid_cell c ON c.id = m.cell_id WHERE m.plan_id = :p"), {"p": plan_id}).mappings().all(),
        columns=["id", "code", "village", "cell", "lon", "lat"])


def diff(session: Session, plan_a: int, plan_b: int) -> PlanDiff:
    """Match A's cells to B's (most shared households, one to one) and list the households
    whose B cell is not the match of their A cell (or that are in only one plan)."""
    for plan_id in (plan_a, plan_b):
        if session.get(GridPlan, plan_id) is None:
            raise GridError(f"没有编号为 {plan_id} 的网格方案")
    both = _members(session, plan_a).merge(_members(session, plan_b), on=["id", "code", "village", "lon", "lat"],
                                           how="outer", suffixes=("_a", "_b"))
    shared = pd.crosstab(both.cell_a, both.cell_b)
    rows, cols = linear_sum_assignment(-shared.to_numpy())
    matches = pd.DataFrame({"a_code": shared.index[rows], "b_code": shared.columns[cols],
                            "shared": shared.to_numpy()[rows, cols]})
    partner = dict(zip(matches.a_code, matches.b_code))
    moved = both[both.cell_a.map(partner).fillna("") != both.cell_b.fillna("")]
    points = gpd.GeoDataFrame(
        {"code": moved.code, "village": moved.village, "from_cell": moved.cell_a, "to_cell": moved.cell_b},
        geometry=shapely.points(moved.lon.to_numpy(float), moved.lat.to_numpy(float)), crs=4326)
    return PlanDiff(matches, points.sort_values("code").reset_index(drop=True))


def cells_frame(session: Session, plan_id: int) -> gpd.GeoDataFrame:
    """The plan's cells with village, grid worker and counts; no household flags."""
    rows = session.execute(text(
        "SELECT c.code, c.name, v.code AS village_code, v.name AS village, k.name AS grid_worker, "
        "c.locked, c.version, (SELECT count(*) FROM grid_membership m WHERE m.cell_id = c.id) AS households, "
        "(SELECT count(DISTINCT l.party_member_id) FROM grid_liaison l JOIN grid_membership m "
        " ON m.household_id = l.household_id AND m.plan_id = l.plan_id WHERE l.plan_id = c.plan_id "
        " AND m.cell_id = c.id) AS liaisons, ST_AsBinary(c.geom) AS wkb "
        "FROM grid_cell c JOIN village v ON v.id = c.village_id LEFT JOIN cadre k ON k.id = c.grid_worker_id "
        "WHERE c.plan_id = :p ORDER BY c.code"), {"p": plan_id}).mappings().all()
    frame = pd.DataFrame(rows, columns=["code", "name", "village_code", "village", "grid_worker", "locked",
                                        "version", "households", "liaisons", "wkb"])
    geometry = shapely.from_wkb([bytes(b) for b in frame.pop("wkb")]) if len(frame) else np.array([])
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=4326)


def export(session: Session, plan_id: int, path: Path, fmt: str, actor: Actor) -> int:
    """Write the plan's cells (their grid workers named) to PATH as FMT (gpkg or geojson), audited as
    ACTOR's; returns the cell count."""
    if session.get(GridPlan, plan_id) is None:
        raise GridError(f"没有编号为 {plan_id} 的网格方案")
    if fmt not in EXPORT_DRIVERS:
        raise GridError(f"不支持的导出格式 {fmt}（可用：{'、'.join(EXPORT_DRIVERS)}）")
    frame = cells_frame(session, plan_id)
    audited_file(session, path, lambda p: frame.to_file(p, driver=EXPORT_DRIVERS[fmt],
                                                        layer="grid_cell" if fmt == "gpkg" else None),
                 actor, {"plan": plan_id, "format": fmt, "cells": len(frame)}, action="export_layers")
    return len(frame)


def export_diff(session: Session, plan_a: int, plan_b: int, path: Path, actor: Actor) -> PlanDiff:
    """diff(), with the households that moved written to PATH as GeoJSON, audited as ACTOR's."""
    result = diff(session, plan_a, plan_b)
    audited_file(session, path, lambda p: result.moved.to_file(p, driver="GeoJSON"), actor,
                 {"plans": [plan_a, plan_b], "format": "geojson", "households": len(result.moved)},
                 action="export_layers")
    return result
