"""示范点 standards (issue 14, seed 002): 六有 items of a venue, a site's 亮点, review steps that
return, fail or undo (undone_by), and the statuses they lead to.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 19:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

SIX_HAVES = (
    "has_flag_and_rules",
    "has_furniture",
    "has_archives",
    "has_study_corner",
    "has_av_equipment",
    "has_study_materials",
)
OLD_STATUSES = "'applied', 'preliminary', 'inspected', 'awarded', 'rectifying', 'revoked'"
NEW_STATUSES = OLD_STATUSES + ", 'returned', 'failed', 'withdrawn'"
OLD_STEPS = "'apply', 'preliminary', 'inspect', 'award', 'keep', 'rectify', 'revoke'"
NEW_STEPS = OLD_STEPS + ", 'return', 'fail', 'undo'"


def _checks(statuses: str, steps: str) -> None:
    op.drop_constraint(op.f("ck_demo_site_status_allowed"), "demo_site", type_="check")
    op.create_check_constraint(op.f("ck_demo_site_status_allowed"), "demo_site", f"status IN ({statuses})")
    op.drop_constraint(op.f("ck_demo_site_review_step_allowed"), "demo_site_review", type_="check")
    op.create_check_constraint(op.f("ck_demo_site_review_step_allowed"), "demo_site_review", f"step IN ({steps})")


def upgrade() -> None:
    for column in SIX_HAVES:
        op.add_column("party_org", sa.Column(column, sa.Boolean(), server_default="false", nullable=False))
    op.add_column("demo_site", sa.Column("highlight", sa.Text(), nullable=True))
    op.add_column("demo_site_review", sa.Column("undone_by", sa.Integer(), nullable=True))
    op.create_foreign_key(
        op.f("fk_demo_site_review_undone_by_demo_site_review"),
        "demo_site_review",
        "demo_site_review",
        ["undone_by"],
        ["id"],
    )
    _checks(NEW_STATUSES, NEW_STEPS)


def downgrade() -> None:
    op.execute("UPDATE demo_site_review SET undone_by = NULL")
    op.execute("DELETE FROM demo_site_review WHERE step IN ('return', 'fail', 'undo')")
    op.execute("UPDATE demo_site SET status = 'revoked' WHERE status IN ('returned', 'failed', 'withdrawn')")
    _checks(OLD_STATUSES, OLD_STEPS)
    op.drop_constraint(op.f("fk_demo_site_review_undone_by_demo_site_review"), "demo_site_review", type_="foreignkey")
    op.drop_column("demo_site_review", "undone_by")
    op.drop_column("demo_site", "highlight")
    for column in SIX_HAVES:
        op.drop_column("party_org", column)
