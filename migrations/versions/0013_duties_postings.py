"""Duties and postings (issue 14): week and half-year periods, the home-village scope, the
村党组织书记 role, and check-ins (在村签到) as evidence of days worked in a village.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 19:00:00
"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

ROLES_BEFORE = (
    "township_secretary",
    "township_leader",
    "township_cadre",
    "village_cadre",
    "first_secretary",
    "work_team",
    "grid_worker",
)
ROLES_AFTER = (*ROLES_BEFORE[:3], "village_secretary", *ROLES_BEFORE[3:])
PERIODS_BEFORE = ("month", "quarter", "year", "term")
PERIODS_AFTER = ("week", "month", "quarter", "half_year", "year", "term")
SCOPES_BEFORE = ("posted_villages", "own_grid", "township")
SCOPES_AFTER = ("posted_villages", "home_village", "own_grid", "township")


def _allowed(table: str, column: str, values: tuple[str, ...]) -> None:
    """Replace the check constraint that keeps TABLE.COLUMN among VALUES."""
    name = f"ck_{table}_{column}_allowed"
    op.drop_constraint(op.f(name), table, type_="check")
    listed = ", ".join(f"'{v}'" for v in values)
    op.create_check_constraint(op.f(name), table, f"{column} IN ({listed})")


def upgrade() -> None:
    _allowed("cadre", "cadre_role", ROLES_AFTER)
    _allowed("duty", "period", PERIODS_AFTER)
    _allowed("duty", "scope", SCOPES_AFTER)
    op.create_geospatial_table(
        "checkin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("cadre_id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
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
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("ST_IsValid(geom)", name=op.f("ck_checkin_geom_valid")),
        sa.ForeignKeyConstraint(["cadre_id"], ["cadre.id"], name=op.f("fk_checkin_cadre_id_cadre"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["village_id"], ["village.id"], name=op.f("fk_checkin_village_id_village")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin")),
        sa.UniqueConstraint("client_id", name=op.f("uq_checkin_client_id")),
    )
    op.create_geospatial_index(
        "idx_checkin_geom", "checkin", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_index(op.f("ix_checkin_cadre_id"), "checkin", ["cadre_id"], unique=False)
    op.create_index(op.f("ix_checkin_village_id"), "checkin", ["village_id"], unique=False)
    op.create_index(op.f("ix_checkin_checked_at"), "checkin", ["checked_at"], unique=False)


def downgrade() -> None:
    op.drop_geospatial_index("idx_checkin_geom", table_name="checkin", postgresql_using="gist", column_name="geom")
    op.drop_geospatial_table("checkin")
    # Values the older schema cannot hold: the secretaries become village cadres, the new duties go.
    op.execute("UPDATE cadre SET cadre_role = 'village_cadre' WHERE cadre_role = 'village_secretary'")
    op.execute("DELETE FROM duty WHERE period IN ('week', 'half_year') OR scope = 'home_village'")
    _allowed("cadre", "cadre_role", ROLES_BEFORE)
    _allowed("duty", "period", PERIODS_BEFORE)
    _allowed("duty", "scope", SCOPES_BEFORE)
