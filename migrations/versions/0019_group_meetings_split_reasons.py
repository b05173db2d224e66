"""党小组会 as a 组织生活 meeting type (held by a 党小组, 002 二(三)1).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 22:10:00
"""

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


def downgrade() -> None:
    op.execute("DELETE FROM org_meeting WHERE meeting_type = 'group_meeting'")
    _allow(OLD_TYPES)
