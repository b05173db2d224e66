"""Per-plan grid membership and liaisons (grid_membership, grid_liaison).

Revision ID: 0004
Revises: 0006
Create Date: 2026-11-22 08:29:14.274360
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grid_liaison",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("party_member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_grid_liaison_household_id_household"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["party_member_id"],
            ["party_member.id"],
            name=op.f("fk_grid_liaison_party_member_id_party_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["grid_plan.id"], name=op.f("fk_grid_liaison_plan_id_grid_plan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("plan_id", "household_id", name=op.f("pk_grid_liaison")),
    )
    op.create_index(op.f("ix_grid_liaison_party_member_id"), "grid_liaison", ["party_member_id"], unique=False)
    op.create_table(
        "grid_membership",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cell_id"], ["grid_cell.id"], name=op.f("fk_grid_membership_cell_id_grid_cell"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_grid_membership_household_id_household"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["grid_plan.id"], name=op.f("fk_grid_membership_plan_id_grid_plan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("plan_id", "household_id", name=op.f("pk_grid_membership")),
    )
    op.create_index(op.f("ix_grid_membership_cell_id"), "grid_membership", ["cell_id"], unique=False)
    op.create_index(op.f("ix_grid_membership_household_id"), "grid_membership", ["household_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_grid_membership_household_id"), table_name="grid_membership")
    op.drop_index(op.f("ix_grid_membership_cell_id"), table_name="grid_membership")
    op.drop_table("grid_membership")
    op.drop_index(op.f("ix_grid_liaison_party_member_id"), table_name="grid_liaison")
    op.drop_table("grid_liaison")
