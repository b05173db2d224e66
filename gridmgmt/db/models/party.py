"""Party organisations, members, economic organisations and cadres."""

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from gridmgmt.db.models.base import Base, Timestamped, Versioned, geometry_column, one_of, valid_point
from gridmgmt.domain.vocab import (
    ASSIGNMENTS,
    CADRE_ROLES,
    ECONOMIC_ORG_KINDS,
    MEMBER_STATUSES,
    ORG_FIELDS,
    ORG_TYPES,
)


class PartyOrg(Timestamped, Versioned, Base):
    """党组织 in a tree (parent_id); venue is its 活动场所."""

    __tablename__ = "party_org"
    __table_args__ = (
        valid_point("venue"),
        one_of("org_type", ORG_TYPES),
        one_of("field", ORG_FIELDS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("party_org.id"), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"), index=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    org_type: Mapped[str] = mapped_column(String(24))
    field: Mapped[str] = mapped_column(String(24), server_default="rural")
    # 0 means a secretary only, no committee (002 第一篇 二(二)4).
    committee_size: Mapped[int] = mapped_column(Integer, server_default="0")
    venue = geometry_column("POINT", nullable=True)
    venue_area_m2: Mapped[float | None] = mapped_column(Numeric(8, 1))
    has_standard_venue: Mapped[bool] = mapped_column(Boolean, server_default="false")
    has_signage: Mapped[bool] = mapped_column(Boolean, server_default="false")
    has_activity_room: Mapped[bool] = mapped_column(Boolean, server_default="false")
    has_service_center: Mapped[bool] = mapped_column(Boolean, server_default="false")
    has_office: Mapped[bool] = mapped_column(Boolean, server_default="false")
    has_library: Mapped[bool] = mapped_column(Boolean, server_default="false")
    has_outdoor_space: Mapped[bool] = mapped_column(Boolean, server_default="false")
    has_notice_board: Mapped[bool] = mapped_column(Boolean, server_default="false")
    # 六有, the 机关 venue standard (002 第四篇; vocab.SIX_HAVES).
    has_flag_and_rules: Mapped[bool] = mapped_column(Boolean, server_default="false")
    has_furniture: Mapped[bool] = mapped_column(Boolean, server_default="false")
    has_archives: Mapped[bool] = mapped_column(Boolean, server_default="false")
    has_study_corner: Mapped[bool] = mapped_column(Boolean, server_default="false")
    has_av_equipment: Mapped[bool] = mapped_column(Boolean, server_default="false")
    has_study_materials: Mapped[bool] = mapped_column(Boolean, server_default="false")
    # 换届 (001 §18): the last election, and the term when it is not the configured one.
    elected_on: Mapped[date | None] = mapped_column(Date)
    term_years: Mapped[int | None] = mapped_column(Integer)


class PartyMember(Timestamped, Versioned, Base):
    """党员 (正式/预备), who lives in a household and belongs to one org."""

    __tablename__ = "party_member"
    __table_args__ = (one_of("status", MEMBER_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    party_org_id: Mapped[int] = mapped_column(ForeignKey("party_org.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(32))
    gender: Mapped[str | None] = mapped_column(String(1))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    joined_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), server_default="full")
    is_mobile: Mapped[bool] = mapped_column(Boolean, server_default="false")


class EconomicOrg(Timestamped, Versioned, Base):
    """企业/合作社; above_scale = 规模以上; party_org_id is null where none exists."""

    __tablename__ = "economic_org"
    __table_args__ = (valid_point(), one_of("kind", ECONOMIC_ORG_KINDS))

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"), index=True)
    party_org_id: Mapped[int | None] = mapped_column(ForeignKey("party_org.id"))
    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))
    above_scale: Mapped[bool] = mapped_column(Boolean, server_default="false")
    employees: Mapped[int | None] = mapped_column(Integer)
    # Full party members working there (null: not recorded): 3 or more can form a branch.
    full_members: Mapped[int | None] = mapped_column(Integer)
    geom = geometry_column("POINT")


class Cadre(Timestamped, Versioned, Base):
    """干部 with a cadre_role; lives in a household or at a point."""

    __tablename__ = "cadre"
    __table_args__ = (valid_point("home"), one_of("cadre_role", CADRE_ROLES))

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"))
    party_member_id: Mapped[int | None] = mapped_column(ForeignKey("party_member.id"))
    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(32))
    cadre_role: Mapped[str] = mapped_column(String(24))
    phone: Mapped[str | None] = mapped_column(String(20))
    home = geometry_column("POINT", nullable=True)


class CadreVillage(Timestamped, Versioned, Base):
    """包村/挂点 and first-secretary or work-team posting of a cadre to a village; in force from
    start_date to end_date, both included (empty: open). CODE names an imported or added posting."""

    __tablename__ = "cadre_village"
    __table_args__ = (one_of("assignment", ASSIGNMENTS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(64), unique=True)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadre.id", ondelete="CASCADE"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    assignment: Mapped[str] = mapped_column(String(24))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
