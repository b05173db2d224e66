"""Roads, 四必到 events, visits, grid plans and cells, liaisons, demonstration sites."""

import json
import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gridmgmt.db.models.base import Base, Timestamped, Versioned, geometry_column, one_of, valid_geom, valid_point
from gridmgmt.domain.grid_rules import GridRules
from gridmgmt.domain.vocab import (
    DEMO_SITE_STATUSES,
    DEMO_SITE_THEMES,
    EVENT_STATUSES,
    EVENT_TYPES,
    PLAN_OUTLINES,
    PLAN_STATUSES,
    ROAD_CLASSES,
    VISIT_KINDS,
)


class Road(Timestamped, Versioned, Base):
    """道路 edge; source/target are road_vertex ids so pgRouting can route on it."""

    __tablename__ = "road"
    __table_args__ = (valid_geom(), one_of("road_class", ROAD_CLASSES))

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    township_id: Mapped[int | None] = mapped_column(ForeignKey("township.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str | None] = mapped_column(String(64))
    road_class: Mapped[str] = mapped_column(String(16))
    length_m: Mapped[float | None] = mapped_column(Float)
    source: Mapped[int | None] = mapped_column(BigInteger, index=True)
    target: Mapped[int | None] = mapped_column(BigInteger, index=True)
    geom = geometry_column("LINESTRING")


class RoadVertex(Base):
    """A node of the road network (edge ends shared within a snapping tolerance)."""

    __tablename__ = "road_vertex"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    geom = geometry_column("POINT")


class Event(Timestamped, Base):
    """四必到 event that a cadre must attend by attend_by."""

    __tablename__ = "event"
    __table_args__ = (
        valid_point(),
        one_of("event_type", EVENT_TYPES),
        one_of("status", EVENT_STATUSES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Generated on the phone so that a retried report is not stored twice; the server
    # makes one for reports from the command line or the demo.
    client_id: Mapped[uuid.UUID] = mapped_column(unique=True, server_default=func.gen_random_uuid())
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    event_type: Mapped[str] = mapped_column(String(24))
    description: Mapped[str | None] = mapped_column(Text)
    reported_by: Mapped[int | None] = mapped_column(ForeignKey("cadre.id"))
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attend_by: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), server_default="reported")
    attended_by: Mapped[int | None] = mapped_column(ForeignKey("cadre.id"))
    attended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    geom = geometry_column("POINT")


class Visit(Timestamped, Base):
    """走访: who visited which household (or village group), when and where (GPS)."""

    __tablename__ = "visit"
    __table_args__ = (valid_point(), one_of("kind", VISIT_KINDS))

    id: Mapped[int] = mapped_column(primary_key=True)
    # Generated on the phone so that a retried submission is not stored twice.
    client_id: Mapped[uuid.UUID] = mapped_column(unique=True, default=uuid.uuid4)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadre.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("village_group.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id"))
    visited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    kind: Mapped[str] = mapped_column(String(16), server_default="routine")
    note: Mapped[str | None] = mapped_column(Text)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    flagged: Mapped[bool] = mapped_column(Boolean, server_default="false")
    geom = geometry_column("POINT", nullable=True)


class GridPlan(Timestamped, Versioned, Base):
    """An allocation of households to grid cells: draft, published or archived."""

    __tablename__ = "grid_plan"
    __table_args__ = (one_of("status", PLAN_STATUSES), one_of("outlines", PLAN_OUTLINES))

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), server_default="draft")
    # The GridRules the plan was allocated with (GridRules.as_dict): edits, rebalancing,
    # assignment and the editor's metrics follow them.
    rules: Mapped[dict] = mapped_column(JSONB, server_default=json.dumps(GridRules().as_dict()))
    # In force from published_at until archived_at: compliance credits a visit to whoever
    # held the household's cell on the day of the visit.
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # How the cells' outlines were drawn (PLAN_OUTLINES): the plan page offers to redraw "households".
    outlines: Mapped[str] = mapped_column(String(16), server_default="groups")


class GridCell(Timestamped, Versioned, Base):
    """网格 of a plan, inside one village, with its grid worker."""

    __tablename__ = "grid_cell"
    __table_args__ = (valid_geom(), UniqueConstraint("plan_id", "code"))

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("grid_plan.id", ondelete="CASCADE"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    code: Mapped[str] = mapped_column(String(24))
    name: Mapped[str | None] = mapped_column(String(64))
    grid_worker_id: Mapped[int | None] = mapped_column(ForeignKey("cadre.id"))
    # 网格长, when an imported existing grid names one (allocated plans leave it empty).
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("cadre.id"))
    locked: Mapped[bool] = mapped_column(Boolean, server_default="false")
    geom = geometry_column("MULTIPOLYGON")


class Liaison(Timestamped, Base):
    """党员联户 / 一帮一: a party member linked to a household."""

    __tablename__ = "liaison"
    __table_args__ = (UniqueConstraint("party_member_id", "household_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    party_member_id: Mapped[int] = mapped_column(ForeignKey("party_member.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)


class DemoSite(Timestamped, Base):
    """党建示范点: a party org's venue on its way from candidate to award."""

    __tablename__ = "demo_site"
    __table_args__ = (
        one_of("status", DEMO_SITE_STATUSES),
        one_of("theme", DEMO_SITE_THEMES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    party_org_id: Mapped[int] = mapped_column(ForeignKey("party_org.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16), server_default="applied")
    theme: Mapped[str | None] = mapped_column(String(24))
    # “一支部一亮点”: what the site shows, required from 申报 on.
    highlight: Mapped[str | None] = mapped_column(Text)
    level: Mapped[str | None] = mapped_column(String(8))
    award_year: Mapped[int | None] = mapped_column(Integer)
    is_contact_point: Mapped[bool] = mapped_column(Boolean, server_default="false")
    is_secretary_model: Mapped[bool] = mapped_column(Boolean, server_default="false")
