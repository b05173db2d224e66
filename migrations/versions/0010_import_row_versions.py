"""Every importable layer gets a row version, so a concurrent `import --update` of the same rows is refused.

Roads, party organisations, party members, economic organisations and cadres had none (townships,
villages, groups and households had one since 0001). Existing rows start at version 1.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 15:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLES = ("road", "party_org", "party_member", "economic_org", "cadre")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "version")
