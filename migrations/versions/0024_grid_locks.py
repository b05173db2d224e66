"""Hand edits kept: grid_lock holds the households a planner placed by hand in a draft plan,
which rebalance keeps in their cell until the planner unlocks them.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 01:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grid_lock",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("edit", sa.String(length=8), nullable=False),
        sa.Column("locked_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("edit IN ('move', 'group', 'redraw')", name=op.f("ck_grid_lock_edit_allowed")),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["grid_plan.id"], name=op.f("fk_grid_lock_plan_id_grid_plan"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_grid_lock_household_id_household"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("plan_id", "household_id", name=op.f("pk_grid_lock")),
    )


def downgrade() -> None:
    op.drop_table("grid_lock")
