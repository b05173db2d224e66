"""The check of a grid plan, imported or allocated: every household in exactly one cell (by the plan and by
the cells' polygons), cells inside their village, and the overlaps and gaps between cells with their area."""

from dataclasses import dataclass, field

from geoalchemy2 import Geography
from sqlalchemy import ColumnElement, and_, cast, func, literal, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session, aliased

from gridmgmt.db.models import GridCell, Household, Village
from gridmgmt.db.models.grids import GridMembership
from gridmgmt.db.queries import in_township
from gridmgmt.services.grids.allocation import find_plan

# Slivers below this many square metres are digitising noise, not overlaps or gaps.
MIN_AREA_M2 = 1.0


@dataclass
class GridCheck:
    """What a plan lacks: households in no cell or covered by two; cells reaching outside their village;
    overlapping cell pairs and uncovered village parts, with their area in m²."""

    plan_id: int
    cells: int = 0
    households: int = 0
    unassigned: list[str] = field(default_factory=list)  # household codes in no cell of the plan (publish refuses)
    uncovered: list[str] = field(default_factory=list)  # household codes no cell's polygon covers
    doubled: list[tuple[str, str]] = field(default_factory=list)  # household code, cell codes
    outside: list[tuple[str, float]] = field(default_factory=list)  # cell code, m² outside its village
    overlaps: list[tuple[str, str, float]] = field(default_factory=list)
    gaps: list[tuple[str, float]] = field(default_factory=list)  # village name, m² in no cell

    @property
    def clean(self) -> bool:
        """True when the plan has none of the problems the check looks for."""
        return not (self.unassigned or self.uncovered or self.doubled or self.outside or self.overlaps or self.gaps)


def _m2(geom: ColumnElement) -> ColumnElement:
    return func.ST_Area(cast(geom, Geography(srid=4326)))


def _household_problems(session: Session, plan) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """Households in no cell of the plan, covered by no cell's polygon, and covered by two or more."""
    c, h = GridCell, Household
    member = select(GridMembership.household_id).where(GridMembership.plan_id == plan.id)
    mine = in_township(plan.township_id)
    unassigned = list(session.scalars(select(h.code).where(mine, h.id.not_in(member)).order_by(h.code)))
    covering = select(c.id).where(c.plan_id == plan.id, func.ST_Covers(c.geom, h.geom)).exists()
    uncovered = list(session.scalars(select(h.code).where(mine, ~covering).order_by(h.code)))
    doubled = session.execute(
        select(h.code, func.string_agg(c.code, aggregate_order_by(literal("、"), c.code)))
        .join(c, func.ST_Covers(c.geom, h.geom))
        .where(c.plan_id == plan.id)
        .group_by(h.code)
        .having(func.count() > 1)
        .order_by(h.code)
    )
    return unassigned, uncovered, [tuple(r) for r in doubled]


def _cell_problems(session: Session, plan) -> tuple[list, list, list]:
    """Cells reaching outside their village, overlapping cell pairs, and villages' parts in no cell (m²)."""
    c, v, other = GridCell, Village, aliased(GridCell)
    outside = _m2(func.ST_Difference(c.geom, v.geom))
    outside_rows = session.execute(
        select(c.code, outside).join(v, v.id == c.village_id).where(c.plan_id == plan.id, outside > MIN_AREA_M2)
    )
    overlap = _m2(func.ST_Intersection(c.geom, other.geom))
    overlap_rows = session.execute(
        select(c.code, other.code, overlap)
        .join(other, and_(other.plan_id == c.plan_id, other.id > c.id, func.ST_Intersects(c.geom, other.geom)))
        .where(c.plan_id == plan.id, overlap > MIN_AREA_M2)
    )
    covered = select(func.ST_Union(c.geom)).where(c.plan_id == plan.id, c.village_id == v.id).scalar_subquery()
    gap = _m2(func.coalesce(func.ST_Difference(v.geom, covered), v.geom))
    gap_rows = session.execute(
        select(v.name, gap).where(v.township_id == plan.township_id, gap > MIN_AREA_M2).order_by(v.code)
    )
    return (
        sorted((code, round(area, 1)) for code, area in outside_rows),
        sorted((a, b, round(area, 1)) for a, b, area in overlap_rows),
        [(name, round(area, 1)) for name, area in gap_rows],
    )


def check_plan(session: Session, plan_id: int) -> GridCheck:
    """The check of plan PLAN_ID; PlanNotFound when there is none."""
    plan = find_plan(session, plan_id)
    found = GridCheck(plan.id)
    found.cells = session.scalar(select(func.count()).where(GridCell.plan_id == plan.id))
    found.households = session.scalar(select(func.count()).select_from(Household).where(in_township(plan.township_id)))
    found.unassigned, found.uncovered, found.doubled = _household_problems(session, plan)
    found.outside, found.overlaps, found.gaps = _cell_problems(session, plan)
    return found
