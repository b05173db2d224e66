"""Visit duties (duty): who visits which households or groups, in what scope, how often.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 08:40:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "duty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("cadre_roles", postgresql.ARRAY(sa.String(length=24)), server_default="{}", nullable=False),
        sa.Column("cadre_id", sa.Integer(), nullable=True),
        sa.Column("scope", sa.String(length=24), nullable=False),
        sa.Column("target", sa.String(length=24), nullable=False),
        sa.Column("flags", postgresql.ARRAY(sa.String(length=24)), server_default="{}", nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("scope IN ('posted_villages', 'own_grid', 'township')", name=op.f("ck_duty_scope_allowed")),
        sa.CheckConstraint(
            "target IN ('households', 'flagged_households', 'village_groups')", name=op.f("ck_duty_target_allowed")
        ),
        sa.CheckConstraint("period IN ('month', 'quarter', 'year', 'term')", name=op.f("ck_duty_period_allowed")),
        sa.CheckConstraint("cardinality(cadre_roles) > 0 OR cadre_id IS NOT NULL", name=op.f("ck_duty_who")),
        sa.ForeignKeyConstraint(["cadre_id"], ["cadre.id"], name=op.f("fk_duty_cadre_id_cadre"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty")),
        sa.UniqueConstraint("code", name=op.f("uq_duty_code")),
    )


def downgrade() -> None:
    op.drop_table("duty")
