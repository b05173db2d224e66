"""Review record of demonstration sites (demo_site_review): every status change kept.

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-22 08:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "demo_site_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("demo_site_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "step IN ('apply', 'preliminary', 'inspect', 'award', 'keep', 'rectify', 'revoke')",
            name=op.f("ck_demo_site_review_step_allowed"),
        ),
        sa.CheckConstraint("level IN ('township', 'county', 'city')", name=op.f("ck_demo_site_review_level_allowed")),
        sa.ForeignKeyConstraint(["decided_by"], ["app_user.id"], name=op.f("fk_demo_site_review_decided_by_app_user")),
        sa.ForeignKeyConstraint(
            ["demo_site_id"], ["demo_site.id"], name=op.f("fk_demo_site_review_demo_site_id_demo_site")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demo_site_review")),
    )
    op.create_index(op.f("ix_demo_site_review_decided_at"), "demo_site_review", ["decided_at"], unique=False)
    op.create_index(op.f("ix_demo_site_review_demo_site_id"), "demo_site_review", ["demo_site_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_demo_site_review_demo_site_id"), table_name="demo_site_review")
    op.drop_index(op.f("ix_demo_site_review_decided_at"), table_name="demo_site_review")
    op.drop_table("demo_site_review")
