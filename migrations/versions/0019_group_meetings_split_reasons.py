"""党小组会 as a 组织生活 meeting type (held by a 党小组, 002 二(三)1), and the reasons given when a
grid plan splits a cell or a 村民小组 (grid_split_reason).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 22:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

OLD_TYPES = ("general_meeting", "committee_meeting", "theme_day", "party_lecture")
NEW_TYPES = ("general_meeting", "committee_meeting", "group_meeting", "theme_day", "party_lecture")
CHECK = "ck_org_meeting_meeting_type_allowed"


def _allow(types) -> None:
    op.drop_constraint(op.f(CHECK), "org_meeting", type_="check")
    listed = ", ".join(f"'{t}'" for t in types)
    op.create_check_constraint(op.f(CHECK), "org_meeting", f"meeting_type IN ({listed})")


def upgrade() -> None:
    _allow(NEW_TYPES)
    op.create_table(
        "grid_split_reason",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("cells", sa.ARRAY(sa.String(length=64)), server_default="{}", nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("given_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("kind IN ('cell', 'group')", name=op.f("ck_grid_split_reason_kind_allowed")),
        sa.CheckConstraint("source IN ('allocation', 'planner')", name=op.f("ck_grid_split_reason_source_allowed")),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["grid_plan.id"], name=op.f("fk_grid_split_reason_plan_id_grid_plan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grid_split_reason")),
        sa.UniqueConstraint("plan_id", "kind", "subject", name=op.f("uq_grid_split_reason_plan_id")),
    )
    op.create_index(op.f("ix_grid_split_reason_plan_id"), "grid_split_reason", ["plan_id"])


def downgrade() -> None:
    op.drop_table("grid_split_reason")
    op.execute("DELETE FROM org_meeting WHERE meeting_type = 'group_meeting'")
    _allow(OLD_TYPES)
