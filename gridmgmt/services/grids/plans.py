"""Plan life cycle: list, publish (sets every household's grid and 联户), compare, export."""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from scipy.optimize import linear_sum_assignment
from sqlalchemy import ColumnElement, and_, delete, exists, func, insert, select, update
from sqlalchemy.orm import Session

from gridmgmt.db.models import Cadre, GridCell, GridPlan, Household, Liaison, Township, Village
from gridmgmt.db.models.grids import GridLiaison, GridMembership
from gridmgmt.db.queries import in_township, lonlat
from gridmgmt.domain.grid_rules import GridError
from gridmgmt.services.accounts.actors import Actor, audited_file, record
from gridmgmt.services.grids.allocation import draft_plan, find_plan, plan_rules, plan_target
from gridmgmt.services.grids.splits import split_notes

EXPORT_DRIVERS = {"gpkg": "GPKG", "geojson": "GeoJSON"}


@dataclass(frozen=True)
class PlanDiff:
    """Cells of plan A matched to plan B's by shared households, and the households that moved."""

    matches: pd.DataFrame  # a_code, b_code, shared
    moved: gpd.GeoDataFrame  # code, village, from_cell, to_cell, geometry (points)


def plan_sizes() -> list[ColumnElement]:
    """The `cells` and `households` of each grid_plan row of a query (correlated counts)."""
    return [
        select(func.count())
        .select_from(GridCell)
        .where(GridCell.plan_id == GridPlan.id)
        .scalar_subquery()
        .label("cells"),
        select(func.count())
        .select_from(GridMembership)
        .where(GridMembership.plan_id == GridPlan.id)
        .scalar_subquery()
        .label("households"),
    ]


def plan_list(session: Session) -> pd.DataFrame:
    """Every plan with its township, status, how its outlines were drawn, cell and household counts."""
    rows = session.execute(
        select(
            GridPlan.id,
            Township.code.label("township"),
            GridPlan.name,
            GridPlan.status,
            GridPlan.published_at,
            GridPlan.outlines,
            *plan_sizes(),
        )
        .join(Township, Township.id == GridPlan.township_id)
        .order_by(GridPlan.id)
    )
    return pd.DataFrame(rows.mappings().all())  # not read_sql: it turns published_at to UTC


def plan_gaps(session: Session, plan: GridPlan) -> tuple[int, list[str]]:
    """(households of the township outside the plan, cells without a grid worker)."""
    in_plan = exists().where(GridMembership.plan_id == plan.id, GridMembership.household_id == Household.id)
    missing = session.scalar(select(func.count()).select_from(Household).where(in_township(plan.township_id), ~in_plan))
    no_worker = session.scalars(
        select(GridCell.code)
        .where(GridCell.plan_id == plan.id, GridCell.grid_worker_id.is_(None))
        .order_by(GridCell.code)
    ).all()
    return missing, list(no_worker)


def publish(session: Session, plan_id: int, allow_no_worker: bool = False, *, actor: Actor) -> GridPlan:
    """Publish draft PLAN_ID: archive the township's published plan, set every household's
    grid cell and, when the plan has liaisons, replace the township's 联户 links; both audited
    as ACTOR's; commits."""
    plan = draft_plan(session, plan_id)
    missing, no_worker = plan_gaps(session, plan)
    if missing:
        raise GridError(f"有 {missing} 户不在本方案的任何网格中（可能是分配后新导入的农户），请重新分配后再发布")
    if no_worker and not allow_no_worker:
        raise GridError(
            f"{len(no_worker)} 个网格尚无网格员（{'、'.join(no_worker[:5])}…），"
            "请先运行 gridmgmt grids assign，或确认后加 --allow-no-worker 发布"
        )
    # One instant ends the old plan and starts the new: no moment without a published plan.
    now = datetime.now(UTC)
    archived = session.execute(
        update(GridPlan)
        .where(GridPlan.township_id == plan.township_id, GridPlan.status == "published")
        .values(status="archived", archived_at=now, version=GridPlan.version + 1)
        .returning(GridPlan.id, GridPlan.name)
    ).all()
    for old in archived:
        record(session, actor, "archive_plan", plan_target(old), {"replaced_by": plan.id})
    session.execute(
        update(Household)
        .where(GridMembership.plan_id == plan.id, GridMembership.household_id == Household.id)
        .values(grid_cell_id=GridMembership.cell_id)
        .execution_options(synchronize_session=False)
    )
    if session.scalar(select(exists().where(GridLiaison.plan_id == plan.id))):
        session.execute(
            delete(Liaison)
            .where(Liaison.household_id == Household.id, in_township(plan.township_id))
            .execution_options(synchronize_session=False)
        )
        session.execute(
            insert(Liaison).from_select(
                ["party_member_id", "household_id"],
                select(GridLiaison.party_member_id, GridLiaison.household_id).where(GridLiaison.plan_id == plan.id),
            )
        )
    plan.status, plan.published_at = "published", now
    record(session, actor, "publish_plan", plan_target(plan), {"cells_without_worker": len(no_worker)})
    session.commit()
    return plan


def _members(session: Session, plan_id: int) -> pd.DataFrame:
    return pd.read_sql(
        select(
            Household.id,
            Household.code,
            Village.name.label("village"),
            GridCell.code.label("cell"),
            *lonlat(Household.geom),
        )
        .select_from(GridMembership)
        .join(Household, Household.id == GridMembership.household_id)
        .join(Village, Village.id == Household.village_id)
        .join(GridCell, GridCell.id == GridMembership.cell_id)
        .where(GridMembership.plan_id == plan_id),
        session.connection(),
    )


def diff(session: Session, plan_a: int, plan_b: int) -> PlanDiff:
    """Match A's cells to B's (most shared households, one to one) and list the households
    whose B cell is not the match of their A cell (or that are in only one plan)."""
    for plan_id in (plan_a, plan_b):
        find_plan(session, plan_id)
    both = _members(session, plan_a).merge(
        _members(session, plan_b), on=["id", "code", "village", "lon", "lat"], how="outer", suffixes=("_a", "_b")
    )
    shared = pd.crosstab(both.cell_a, both.cell_b)
    rows, cols = linear_sum_assignment(-shared.to_numpy())
    matches = pd.DataFrame(
        {"a_code": shared.index[rows], "b_code": shared.columns[cols], "shared": shared.to_numpy()[rows, cols]}
    )
    partner = dict(zip(matches.a_code, matches.b_code))
    moved = both[both.cell_a.map(partner).fillna("") != both.cell_b.fillna("")]
    points = gpd.GeoDataFrame(
        {"code": moved.code, "village": moved.village, "from_cell": moved.cell_a, "to_cell": moved.cell_b},
        geometry=shapely.points(moved.lon.to_numpy(float), moved.lat.to_numpy(float)),
        crs=4326,
    )
    return PlanDiff(matches, points.sort_values("code").reset_index(drop=True))


def cells_frame(session: Session, plan_id: int) -> gpd.GeoDataFrame:
    """The plan's cells with village, grid worker and counts; no household flags."""
    households = select(func.count()).select_from(GridMembership).where(GridMembership.cell_id == GridCell.id)
    liaisons = (
        select(func.count(GridLiaison.party_member_id.distinct()))
        .select_from(GridLiaison)
        .join(
            GridMembership,
            and_(
                GridMembership.household_id == GridLiaison.household_id, GridMembership.plan_id == GridLiaison.plan_id
            ),
        )
        .where(GridLiaison.plan_id == GridCell.plan_id, GridMembership.cell_id == GridCell.id)
    )
    return gpd.read_postgis(
        select(
            GridCell.code,
            GridCell.name,
            Village.code.label("village_code"),
            Village.name.label("village"),
            Cadre.name.label("grid_worker"),
            GridCell.locked,
            GridCell.version,
            households.scalar_subquery().label("households"),
            liaisons.scalar_subquery().label("liaisons"),
            func.ST_AsBinary(GridCell.geom).label("geometry"),
        )
        .join(Village, Village.id == GridCell.village_id)
        .outerjoin(Cadre, Cadre.id == GridCell.grid_worker_id)
        .where(GridCell.plan_id == plan_id)
        .order_by(GridCell.code),
        session.connection(),
        geom_col="geometry",
        crs=4326,
    )


def export(session: Session, plan_id: int, path: Path, fmt: str, actor: Actor) -> int:
    """Write the plan's cells (their grid workers named, and split_reason: why a split touches the
    cell) to PATH as FMT (gpkg or geojson), audited as ACTOR's; returns the cell count."""
    if fmt not in EXPORT_DRIVERS:
        raise GridError(f"不支持的导出格式 {fmt}（可用：{'、'.join(EXPORT_DRIVERS)}）")
    plan = find_plan(session, plan_id)
    frame = cells_frame(session, plan_id)
    notes = split_notes(session, plan, plan_rules(plan))
    frame["split_reason"] = [notes.get(code, "") for code in frame.code]
    audited_file(
        session,
        path,
        # Named, or GeoJSON takes the temporary file's name (".plan.partial") as its layer's.
        lambda p: frame.to_file(p, driver=EXPORT_DRIVERS[fmt], layer="grid_cell"),
        actor,
        {"plan": plan_id, "format": fmt, "cells": len(frame)},
        action="export_layers",
    )
    return len(frame)


def export_diff(session: Session, plan_a: int, plan_b: int, path: Path, actor: Actor) -> PlanDiff:
    """diff(), with the households that moved written to PATH as GeoJSON, audited as ACTOR's."""
    result = diff(session, plan_a, plan_b)
    audited_file(
        session,
        path,
        lambda p: result.moved.to_file(p, driver="GeoJSON", layer="moved_households"),
        actor,
        {"plans": [plan_a, plan_b], "format": "geojson", "households": len(result.moved)},
        action="export_layers",
    )
    return result
