"""Initial schema: PostGIS and pgRouting, and every table of the glossary.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 07:45:58.603160
"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute("CREATE EXTENSION IF NOT EXISTS pgrouting")
    op.create_geospatial_table(
        "road_vertex",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_road_vertex")),
    )
    op.create_geospatial_index(
        "idx_road_vertex_geom", "road_vertex", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_geospatial_table(
        "township",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("county", sa.String(length=64), nullable=True),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="MULTIPOLYGON",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column(
            "seat",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
            ),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("ST_IsValid(geom)", name=op.f("ck_township_geom_valid")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_township")),
        sa.UniqueConstraint("code", name=op.f("uq_township_code")),
    )
    op.create_geospatial_index(
        "idx_township_geom", "township", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_geospatial_index(
        "idx_township_seat", "township", ["seat"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_table(
        "grid_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("township_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="draft", nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("status IN ('draft', 'published', 'archived')", name=op.f("ck_grid_plan_status_allowed")),
        sa.ForeignKeyConstraint(["township_id"], ["township.id"], name=op.f("fk_grid_plan_township_id_township")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grid_plan")),
    )
    op.create_index(op.f("ix_grid_plan_township_id"), "grid_plan", ["township_id"], unique=False)
    op.create_geospatial_table(
        "road",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("township_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=True),
        sa.Column("road_class", sa.String(length=16), nullable=False),
        sa.Column("length_m", sa.Float(), nullable=True),
        sa.Column("source", sa.BigInteger(), nullable=True),
        sa.Column("target", sa.BigInteger(), nullable=True),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="LINESTRING",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "road_class IN ('national', 'provincial', 'county', 'township', 'village')",
            name=op.f("ck_road_road_class_allowed"),
        ),
        sa.CheckConstraint("ST_IsValid(geom)", name=op.f("ck_road_geom_valid")),
        sa.ForeignKeyConstraint(["township_id"], ["township.id"], name=op.f("fk_road_township_id_township")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_road")),
        sa.UniqueConstraint("code", name=op.f("uq_road_code")),
    )
    op.create_geospatial_index(
        "idx_road_geom", "road", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_index(op.f("ix_road_source"), "road", ["source"], unique=False)
    op.create_index(op.f("ix_road_target"), "road", ["target"], unique=False)
    op.create_index(op.f("ix_road_township_id"), "road", ["township_id"], unique=False)
    op.create_geospatial_table(
        "village",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("township_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("is_community", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("is_poverty_alleviated", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("is_revitalization_focus", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("is_weak_org", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="MULTIPOLYGON",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("ST_IsValid(geom)", name=op.f("ck_village_geom_valid")),
        sa.ForeignKeyConstraint(["township_id"], ["township.id"], name=op.f("fk_village_township_id_township")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_village")),
        sa.UniqueConstraint("code", name=op.f("uq_village_code")),
    )
    op.create_geospatial_index(
        "idx_village_geom", "village", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_index(op.f("ix_village_township_id"), "village", ["township_id"], unique=False)
    op.create_geospatial_table(
        "party_org",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("township_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("village_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("org_type", sa.String(length=24), nullable=False),
        sa.Column("field", sa.String(length=24), server_default="rural", nullable=False),
        sa.Column("committee_size", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "venue",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
            ),
            nullable=True,
        ),
        sa.Column("venue_area_m2", sa.Numeric(precision=8, scale=1), nullable=True),
        sa.Column("has_standard_venue", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("has_signage", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("has_activity_room", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("has_service_center", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("has_office", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("has_library", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("has_outdoor_space", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("has_notice_board", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "field IN ('rural', 'community', 'enterprise', 'agency', 'school_hospital')",
            name=op.f("ck_party_org_field_allowed"),
        ),
        sa.CheckConstraint(
            "org_type IN ('party_committee', 'general_branch', 'branch', 'party_group', 'temporary_branch')",
            name=op.f("ck_party_org_org_type_allowed"),
        ),
        sa.CheckConstraint("ST_IsValid(venue)", name=op.f("ck_party_org_venue_valid")),
        sa.ForeignKeyConstraint(["parent_id"], ["party_org.id"], name=op.f("fk_party_org_parent_id_party_org")),
        sa.ForeignKeyConstraint(["township_id"], ["township.id"], name=op.f("fk_party_org_township_id_township")),
        sa.ForeignKeyConstraint(["village_id"], ["village.id"], name=op.f("fk_party_org_village_id_village")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_org")),
        sa.UniqueConstraint("code", name=op.f("uq_party_org_code")),
    )
    op.create_geospatial_index(
        "idx_party_org_venue", "party_org", ["venue"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_index(op.f("ix_party_org_parent_id"), "party_org", ["parent_id"], unique=False)
    op.create_index(op.f("ix_party_org_township_id"), "party_org", ["township_id"], unique=False)
    op.create_index(op.f("ix_party_org_village_id"), "party_org", ["village_id"], unique=False)
    op.create_geospatial_table(
        "village_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("ST_IsValid(geom)", name=op.f("ck_village_group_geom_valid")),
        sa.ForeignKeyConstraint(["village_id"], ["village.id"], name=op.f("fk_village_group_village_id_village")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_village_group")),
        sa.UniqueConstraint("code", name=op.f("uq_village_group_code")),
    )
    op.create_geospatial_index(
        "idx_village_group_geom", "village_group", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_index(op.f("ix_village_group_village_id"), "village_group", ["village_id"], unique=False)
    op.create_table(
        "demo_site",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("party_org_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="applied", nullable=False),
        sa.Column("theme", sa.String(length=24), nullable=True),
        sa.Column("level", sa.String(length=8), nullable=True),
        sa.Column("award_year", sa.Integer(), nullable=True),
        sa.Column("is_contact_point", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("is_secretary_model", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "status IN ('applied', 'preliminary', 'inspected', 'awarded', 'rectifying', 'revoked')",
            name=op.f("ck_demo_site_status_allowed"),
        ),
        sa.CheckConstraint(
            "theme IN ('industry', 'beautiful_village', 'safety', 'service')", name=op.f("ck_demo_site_theme_allowed")
        ),
        sa.ForeignKeyConstraint(["party_org_id"], ["party_org.id"], name=op.f("fk_demo_site_party_org_id_party_org")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demo_site")),
        sa.UniqueConstraint("party_org_id", name=op.f("uq_demo_site_party_org_id")),
    )
    op.create_geospatial_table(
        "economic_org",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("township_id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=True),
        sa.Column("party_org_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("above_scale", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("employees", sa.Integer(), nullable=True),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("kind IN ('enterprise', 'cooperative')", name=op.f("ck_economic_org_kind_allowed")),
        sa.CheckConstraint("ST_IsValid(geom)", name=op.f("ck_economic_org_geom_valid")),
        sa.ForeignKeyConstraint(
            ["party_org_id"], ["party_org.id"], name=op.f("fk_economic_org_party_org_id_party_org")
        ),
        sa.ForeignKeyConstraint(["township_id"], ["township.id"], name=op.f("fk_economic_org_township_id_township")),
        sa.ForeignKeyConstraint(["village_id"], ["village.id"], name=op.f("fk_economic_org_village_id_village")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_economic_org")),
        sa.UniqueConstraint("code", name=op.f("uq_economic_org_code")),
    )
    op.create_geospatial_index(
        "idx_economic_org_geom", "economic_org", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_index(op.f("ix_economic_org_township_id"), "economic_org", ["township_id"], unique=False)
    op.create_index(op.f("ix_economic_org_village_id"), "economic_org", ["village_id"], unique=False)
    op.create_geospatial_table(
        "household",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("grid_cell_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("head", sa.String(length=32), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("member_count", sa.Integer(), server_default="1", nullable=False),
        sa.Column("hardship", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("critically_ill", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("empty_nest_elderly", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("left_behind_children", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("petitioner", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("is_party_household", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("is_party_center_household", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("ST_IsValid(geom)", name=op.f("ck_household_geom_valid")),
        sa.ForeignKeyConstraint(["group_id"], ["village_group.id"], name=op.f("fk_household_group_id_village_group")),
        sa.ForeignKeyConstraint(["village_id"], ["village.id"], name=op.f("fk_household_village_id_village")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household")),
        sa.UniqueConstraint("code", name=op.f("uq_household_code")),
    )
    op.create_geospatial_index(
        "idx_household_geom", "household", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_index(op.f("ix_household_grid_cell_id"), "household", ["grid_cell_id"], unique=False)
    op.create_index(op.f("ix_household_group_id"), "household", ["group_id"], unique=False)
    op.create_index(op.f("ix_household_village_id"), "household", ["village_id"], unique=False)
    op.create_table(
        "party_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("party_org_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), server_default="full", nullable=False),
        sa.Column("is_mobile", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("status IN ('full', 'probationary')", name=op.f("ck_party_member_status_allowed")),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_party_member_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["party_org_id"], ["party_org.id"], name=op.f("fk_party_member_party_org_id_party_org")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_member")),
        sa.UniqueConstraint("code", name=op.f("uq_party_member_code")),
    )
    op.create_index(op.f("ix_party_member_household_id"), "party_member", ["household_id"], unique=False)
    op.create_index(op.f("ix_party_member_party_org_id"), "party_member", ["party_org_id"], unique=False)
    op.create_geospatial_table(
        "cadre",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("township_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("party_member_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("cadre_role", sa.String(length=24), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column(
            "home",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
            ),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "cadre_role IN ('township_secretary', 'township_leader', 'township_cadre', 'village_cadre', 'first_secretary', 'work_team', 'grid_worker')",
            name=op.f("ck_cadre_cadre_role_allowed"),
        ),
        sa.CheckConstraint("ST_IsValid(home)", name=op.f("ck_cadre_home_valid")),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"], name=op.f("fk_cadre_household_id_household")),
        sa.ForeignKeyConstraint(
            ["party_member_id"], ["party_member.id"], name=op.f("fk_cadre_party_member_id_party_member")
        ),
        sa.ForeignKeyConstraint(["township_id"], ["township.id"], name=op.f("fk_cadre_township_id_township")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cadre")),
        sa.UniqueConstraint("code", name=op.f("uq_cadre_code")),
    )
    op.create_geospatial_index(
        "idx_cadre_home", "cadre", ["home"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_index(op.f("ix_cadre_township_id"), "cadre", ["township_id"], unique=False)
    op.create_table(
        "liaison",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("party_member_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_liaison_household_id_household"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["party_member_id"],
            ["party_member.id"],
            name=op.f("fk_liaison_party_member_id_party_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_liaison")),
        sa.UniqueConstraint("party_member_id", "household_id", name=op.f("uq_liaison_party_member_id")),
    )
    op.create_index(op.f("ix_liaison_household_id"), "liaison", ["household_id"], unique=False)
    op.create_index(op.f("ix_liaison_party_member_id"), "liaison", ["party_member_id"], unique=False)
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=256), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("cadre_id", sa.Integer(), nullable=True),
        sa.Column("township_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "role IN ('admin', 'planner', 'reviewer', 'grid_worker', 'leader')", name=op.f("ck_app_user_role_allowed")
        ),
        sa.ForeignKeyConstraint(["cadre_id"], ["cadre.id"], name=op.f("fk_app_user_cadre_id_cadre")),
        sa.ForeignKeyConstraint(["township_id"], ["township.id"], name=op.f("fk_app_user_township_id_township")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_table(
        "cadre_village",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cadre_id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=False),
        sa.Column("assignment", sa.String(length=24), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "assignment IN ('bao_cun', 'gua_dian', 'first_secretary', 'work_team')",
            name=op.f("ck_cadre_village_assignment_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["cadre_id"], ["cadre.id"], name=op.f("fk_cadre_village_cadre_id_cadre"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["village_id"], ["village.id"], name=op.f("fk_cadre_village_village_id_village")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cadre_village")),
    )
    op.create_index(op.f("ix_cadre_village_cadre_id"), "cadre_village", ["cadre_id"], unique=False)
    op.create_index(op.f("ix_cadre_village_village_id"), "cadre_village", ["village_id"], unique=False)
    op.create_geospatial_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("event_type", sa.String(length=24), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("reported_by", sa.Integer(), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attend_by", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="reported", nullable=False),
        sa.Column("attended_by", sa.Integer(), nullable=True),
        sa.Column("attended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "event_type IN ('grievance', 'emergency', 'dispute', 'bereavement_hardship')",
            name=op.f("ck_event_event_type_allowed"),
        ),
        sa.CheckConstraint("status IN ('reported', 'attended', 'closed')", name=op.f("ck_event_status_allowed")),
        sa.CheckConstraint("ST_IsValid(geom)", name=op.f("ck_event_geom_valid")),
        sa.ForeignKeyConstraint(["attended_by"], ["cadre.id"], name=op.f("fk_event_attended_by_cadre")),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"], name=op.f("fk_event_household_id_household")),
        sa.ForeignKeyConstraint(["reported_by"], ["cadre.id"], name=op.f("fk_event_reported_by_cadre")),
        sa.ForeignKeyConstraint(["village_id"], ["village.id"], name=op.f("fk_event_village_id_village")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    op.create_geospatial_index(
        "idx_event_geom", "event", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_index(op.f("ix_event_household_id"), "event", ["household_id"], unique=False)
    op.create_index(op.f("ix_event_village_id"), "event", ["village_id"], unique=False)
    op.create_geospatial_table(
        "grid_cell",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=True),
        sa.Column("grid_worker_id", sa.Integer(), nullable=True),
        sa.Column("locked", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="MULTIPOLYGON",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("ST_IsValid(geom)", name=op.f("ck_grid_cell_geom_valid")),
        sa.ForeignKeyConstraint(["grid_worker_id"], ["cadre.id"], name=op.f("fk_grid_cell_grid_worker_id_cadre")),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["grid_plan.id"], name=op.f("fk_grid_cell_plan_id_grid_plan"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["village_id"], ["village.id"], name=op.f("fk_grid_cell_village_id_village")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grid_cell")),
        sa.UniqueConstraint("plan_id", "code", name=op.f("uq_grid_cell_plan_id")),
    )
    op.create_geospatial_index(
        "idx_grid_cell_geom", "grid_cell", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_index(op.f("ix_grid_cell_plan_id"), "grid_cell", ["plan_id"], unique=False)
    op.create_index(op.f("ix_grid_cell_village_id"), "grid_cell", ["village_id"], unique=False)
    # household <-> grid_cell is a cycle: the FK is added once both tables exist.
    op.create_foreign_key(
        op.f("fk_household_grid_cell_id_grid_cell"),
        "household",
        "grid_cell",
        ["grid_cell_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.Text(), nullable=True),
        sa.Column("remote_addr", sa.String(length=64), nullable=True),
        sa.Column("detail", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_audit_log_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)
    op.create_geospatial_table(
        "visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("cadre_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("visited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=16), server_default="routine", nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("flagged", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
            ),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("kind IN ('routine', 'must_visit', 'event')", name=op.f("ck_visit_kind_allowed")),
        sa.CheckConstraint("ST_IsValid(geom)", name=op.f("ck_visit_geom_valid")),
        sa.ForeignKeyConstraint(["cadre_id"], ["cadre.id"], name=op.f("fk_visit_cadre_id_cadre")),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_visit_event_id_event")),
        sa.ForeignKeyConstraint(["group_id"], ["village_group.id"], name=op.f("fk_visit_group_id_village_group")),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"], name=op.f("fk_visit_household_id_household")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
        sa.UniqueConstraint("client_id", name=op.f("uq_visit_client_id")),
    )
    op.create_geospatial_index(
        "idx_visit_geom", "visit", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_index(op.f("ix_visit_cadre_id"), "visit", ["cadre_id"], unique=False)
    op.create_index(op.f("ix_visit_group_id"), "visit", ["group_id"], unique=False)
    op.create_index(op.f("ix_visit_household_id"), "visit", ["household_id"], unique=False)
    op.create_index(op.f("ix_visit_visited_at"), "visit", ["visited_at"], unique=False)


def downgrade() -> None:
    op.drop_constraint(op.f("fk_household_grid_cell_id_grid_cell"), "household", type_="foreignkey")
    op.drop_index(op.f("ix_visit_visited_at"), table_name="visit")
    op.drop_index(op.f("ix_visit_household_id"), table_name="visit")
    op.drop_index(op.f("ix_visit_group_id"), table_name="visit")
    op.drop_index(op.f("ix_visit_cadre_id"), table_name="visit")
    op.drop_geospatial_index("idx_visit_geom", table_name="visit", postgresql_using="gist", column_name="geom")
    op.drop_geospatial_table("visit")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index(op.f("ix_grid_cell_village_id"), table_name="grid_cell")
    op.drop_index(op.f("ix_grid_cell_plan_id"), table_name="grid_cell")
    op.drop_geospatial_index("idx_grid_cell_geom", table_name="grid_cell", postgresql_using="gist", column_name="geom")
    op.drop_geospatial_table("grid_cell")
    op.drop_index(op.f("ix_event_village_id"), table_name="event")
    op.drop_index(op.f("ix_event_household_id"), table_name="event")
    op.drop_geospatial_index("idx_event_geom", table_name="event", postgresql_using="gist", column_name="geom")
    op.drop_geospatial_table("event")
    op.drop_index(op.f("ix_cadre_village_village_id"), table_name="cadre_village")
    op.drop_index(op.f("ix_cadre_village_cadre_id"), table_name="cadre_village")
    op.drop_table("cadre_village")
    op.drop_table("app_user")
    op.drop_index(op.f("ix_liaison_party_member_id"), table_name="liaison")
    op.drop_index(op.f("ix_liaison_household_id"), table_name="liaison")
    op.drop_table("liaison")
    op.drop_index(op.f("ix_cadre_township_id"), table_name="cadre")
    op.drop_geospatial_index("idx_cadre_home", table_name="cadre", postgresql_using="gist", column_name="home")
    op.drop_geospatial_table("cadre")
    op.drop_index(op.f("ix_party_member_party_org_id"), table_name="party_member")
    op.drop_index(op.f("ix_party_member_household_id"), table_name="party_member")
    op.drop_table("party_member")
    op.drop_index(op.f("ix_household_village_id"), table_name="household")
    op.drop_index(op.f("ix_household_group_id"), table_name="household")
    op.drop_index(op.f("ix_household_grid_cell_id"), table_name="household")
    op.drop_geospatial_index("idx_household_geom", table_name="household", postgresql_using="gist", column_name="geom")
    op.drop_geospatial_table("household")
    op.drop_index(op.f("ix_economic_org_village_id"), table_name="economic_org")
    op.drop_index(op.f("ix_economic_org_township_id"), table_name="economic_org")
    op.drop_geospatial_index(
        "idx_economic_org_geom", table_name="economic_org", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("economic_org")
    op.drop_table("demo_site")
    op.drop_index(op.f("ix_village_group_village_id"), table_name="village_group")
    op.drop_geospatial_index(
        "idx_village_group_geom", table_name="village_group", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("village_group")
    op.drop_index(op.f("ix_party_org_village_id"), table_name="party_org")
    op.drop_index(op.f("ix_party_org_township_id"), table_name="party_org")
    op.drop_index(op.f("ix_party_org_parent_id"), table_name="party_org")
    op.drop_geospatial_index(
        "idx_party_org_venue", table_name="party_org", postgresql_using="gist", column_name="venue"
    )
    op.drop_geospatial_table("party_org")
    op.drop_index(op.f("ix_village_township_id"), table_name="village")
    op.drop_geospatial_index("idx_village_geom", table_name="village", postgresql_using="gist", column_name="geom")
    op.drop_geospatial_table("village")
    op.drop_index(op.f("ix_road_township_id"), table_name="road")
    op.drop_index(op.f("ix_road_target"), table_name="road")
    op.drop_index(op.f("ix_road_source"), table_name="road")
    op.drop_geospatial_index("idx_road_geom", table_name="road", postgresql_using="gist", column_name="geom")
    op.drop_geospatial_table("road")
    op.drop_index(op.f("ix_grid_plan_township_id"), table_name="grid_plan")
    op.drop_table("grid_plan")
    op.drop_geospatial_index("idx_township_seat", table_name="township", postgresql_using="gist", column_name="seat")
    op.drop_geospatial_index("idx_township_geom", table_name="township", postgresql_using="gist", column_name="geom")
    op.drop_geospatial_table("township")
    op.drop_geospatial_index(
        "idx_road_vertex_geom", table_name="road_vertex", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("road_vertex")
    # Only extensions this role created: on the local cluster the superuser created them and
    # the app's role may not drop them.
    owned = set(
        op.get_bind()
        .execute(sa.text("SELECT extname FROM pg_extension WHERE pg_has_role(extowner, 'USAGE')"))
        .scalars()
    )
    for name in ("pgrouting", "postgis"):
        if name in owned:
            op.execute(f"DROP EXTENSION {name}")
