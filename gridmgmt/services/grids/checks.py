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


def check_plan(session: Session, plan_id: int) -> GridCheck:
    """The check of plan PLAN_ID; PlanNotFound when there is none."""
    plan = find_plan(session, plan_id)
    c, h, v = GridCell, Household, Village
    found = GridCheck(plan.id)
    found.cells = session.scalar(select(func.count()).where(c.plan_id == plan.id))
    found.households = session.scalar(select(func.count()).select_from(h).where(in_township(plan.township_id)))
    member = select(GridMembership.household_id).where(GridMembership.plan_id == plan.id)
    found.unassigned = list(
        session.scalars(select(h.code).where(in_township(plan.township_id), h.id.not_in(member)).order_by(h.code))
    )
    covering = select(c.id).where(c.plan_id == plan.id, func.ST_Covers(c.geom, h.geom)).exists()
    found.uncovered = list(
        session.scalars(select(h.code).where(in_township(plan.township_id), ~covering).order_by(h.code))
    )
    found.doubled = [
        tuple(r)
        for r in session.execute(
            select(h.code, func.string_agg(c.code, aggregate_order_by(literal("、"), c.code)))
            .join(c, func.ST_Covers(c.geom, h.geom))
            .where(c.plan_id == plan.id)
            .group_by(h.code)
            .having(func.count() > 1)
            .order_by(h.code)
        )
    ]
    outside = _m2(func.ST_Difference(c.geom, v.geom))
    found.outside = [
        (code, round(area, 1))
        for code, area in session.execute(
            select(c.code, outside)
            .join(v, v.id == c.village_id)
            .where(c.plan_id == plan.id, outside > MIN_AREA_M2)
            .order_by(c.code)
        )
    ]
    other = aliased(GridCell)
    overlap = _m2(func.ST_Intersection(c.geom, other.geom))
    found.overlaps = [
        (a, b, round(area, 1))
        for a, b, area in session.execute(
            select(c.code, other.code, overlap)
            .join(other, and_(other.plan_id == c.plan_id, other.id > c.id, func.ST_Intersects(c.geom, other.geom)))
            .where(c.plan_id == plan.id, overlap > MIN_AREA_M2)
            .order_by(c.code, other.code)
        )
    ]
    covered = select(func.ST_Union(c.geom)).where(c.plan_id == plan.id, c.village_id == v.id).scalar_subquery()
    gap = _m2(func.coalesce(func.ST_Difference(v.geom, covered), v.geom))
    found.gaps = [
        (name, round(area, 1))
        for name, area in session.execute(
            select(v.name, gap).where(v.township_id == plan.township_id, gap > MIN_AREA_M2).order_by(v.code)
        )
    ]
    return found
