"""水系: the water table (rivers, canals, ponds, reservoirs, lakes as lines or polygons) and its data version.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 22:30:00
"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision = "0023"
# Given as '0018' by the lead, who re-chains at merge time; 0022 is already on this branch, and two
# heads would stop `upgrade head`.
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_geospatial_table(
        "water",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("township_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column(
            "geom",
            Geometry(geometry_type="GEOMETRY", srid=4326, spatial_index=False, from_text="ST_GeomFromEWKT"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("ST_IsValid(geom)", name=op.f("ck_water_geom_valid")),
        sa.CheckConstraint(
            "kind IN ('river', 'canal', 'pond', 'reservoir', 'lake')", name=op.f("ck_water_kind_allowed")
        ),
        sa.CheckConstraint(
            "ST_GeometryType(geom) IN ('ST_LineString', 'ST_MultiLineString', 'ST_MultiPolygon')",
            name=op.f("ck_water_geom_kind"),
        ),
        sa.ForeignKeyConstraint(["township_id"], ["township.id"], name=op.f("fk_water_township_id_township")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_water")),
        sa.UniqueConstraint("code", name=op.f("uq_water_code")),
    )
    op.create_geospatial_index(
        "idx_water_geom", "water", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_index(op.f("ix_water_township_id"), "water", ["township_id"], unique=False)
    op.execute(
        "CREATE TRIGGER water_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        "ON water FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()"
    )
    op.execute("INSERT INTO data_version VALUES ('water', (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)")


def downgrade() -> None:
    op.execute("DELETE FROM data_version WHERE table_name = 'water'")
    op.drop_index(op.f("ix_water_township_id"), table_name="water")
    op.drop_geospatial_index("idx_water_geom", table_name="water", postgresql_using="gist", column_name="geom")
    op.drop_geospatial_table("water")
