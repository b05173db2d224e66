"""Postings as data and the 村党组织书记 role.

cadre_village gets a code (how an imported or added posting is named; NULL for older rows)
and a row version (concurrent imports, ending a posting); cadre_role allows village_secretary.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 19:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

OLD_ROLES = (
    "township_secretary",
    "township_leader",
    "township_cadre",
    "village_cadre",
    "first_secretary",
    "work_team",
    "grid_worker",
)
NEW_ROLES = (*OLD_ROLES[:3], "village_secretary", *OLD_ROLES[3:])


def _roles(roles: tuple[str, ...]) -> None:
    op.drop_constraint(op.f("ck_cadre_cadre_role_allowed"), "cadre", type_="check")
    listed = ", ".join(f"'{role}'" for role in roles)
    op.create_check_constraint(op.f("ck_cadre_cadre_role_allowed"), "cadre", f"cadre_role IN ({listed})")


def upgrade() -> None:
    _roles(NEW_ROLES)
    op.add_column("cadre_village", sa.Column("code", sa.String(length=64), nullable=True))
    op.add_column("cadre_village", sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.create_unique_constraint(op.f("uq_cadre_village_code"), "cadre_village", ["code"])


def downgrade() -> None:
    op.drop_constraint(op.f("uq_cadre_village_code"), "cadre_village", type_="unique")
    op.drop_column("cadre_village", "version")
    op.drop_column("cadre_village", "code")
    op.execute("UPDATE cadre SET cadre_role = 'village_cadre' WHERE cadre_role = 'village_secretary'")
    _roles(OLD_ROLES)
