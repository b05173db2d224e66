"""Township, village, village group and household: the places people live in."""

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gridmgmt.db.models.base import Base, Timestamped, Versioned, geometry_column, valid_geom, valid_point
from gridmgmt.domain.vocab import MUST_VISIT_FLAGS


class Township(Timestamped, Versioned, Base):
    """镇/乡, with its boundary and the seat point (镇政府驻地)."""

    __tablename__ = "township"
    __table_args__ = (valid_geom(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    county: Mapped[str | None] = mapped_column(String(64))
    geom = geometry_column("MULTIPOLYGON")
    seat = geometry_column("POINT", nullable=True)


class Village(Timestamped, Versioned, Base):
    """行政村/社区 with its 12-digit 统计用区划代码."""

    __tablename__ = "village"
    __table_args__ = (valid_geom(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    is_community: Mapped[bool] = mapped_column(Boolean, server_default="false")
    # Designations that call for a first secretary (003 二.1).
    is_poverty_alleviated: Mapped[bool] = mapped_column(Boolean, server_default="false")
    is_revitalization_focus: Mapped[bool] = mapped_column(Boolean, server_default="false")
    is_weak_org: Mapped[bool] = mapped_column(Boolean, server_default="false")
    geom = geometry_column("MULTIPOLYGON")


class VillageGroup(Timestamped, Versioned, Base):
    """村民小组/自然村: a polygon, or a point where no boundary is surveyed."""

    __tablename__ = "village_group"
    __table_args__ = (valid_geom(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    geom = geometry_column("GEOMETRY")


class Household(Timestamped, Versioned, Base):
    """农户: a point with the 必访 flags (sensitive) and the party-household flags."""

    __tablename__ = "household"
    __table_args__ = (valid_point(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("village_group.id"), index=True)
    grid_cell_id: Mapped[int | None] = mapped_column(
        ForeignKey("grid_cell.id", ondelete="SET NULL", use_alter=True), index=True
    )
    code: Mapped[str] = mapped_column(String(24), unique=True)
    head: Mapped[str] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(Text)
    member_count: Mapped[int] = mapped_column(Integer, server_default="1")
    hardship: Mapped[bool] = mapped_column(Boolean, server_default="false")
    critically_ill: Mapped[bool] = mapped_column(Boolean, server_default="false")
    empty_nest_elderly: Mapped[bool] = mapped_column(Boolean, server_default="false")
    left_behind_children: Mapped[bool] = mapped_column(Boolean, server_default="false")
    petitioner: Mapped[bool] = mapped_column(Boolean, server_default="false")
    is_party_household: Mapped[bool] = mapped_column(Boolean, server_default="false")
    is_party_center_household: Mapped[bool] = mapped_column(Boolean, server_default="false")
    geom = geometry_column("POINT")


SENSITIVE_HOUSEHOLD_COLUMNS = tuple(MUST_VISIT_FLAGS)
