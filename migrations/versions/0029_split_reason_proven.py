"""A split reason says whether it is the proof that the village cannot split fewer groups.

The plan page showed a split the bound proves needed in red, as avoidable, because only the text of
the allocation's kept reason told a proof from the rule's reason. The new column says it; rows kept
before are marked from that text (proven_split_reason's wording, the only proof the allocation keeps).

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("grid_split_reason", sa.Column("proven", sa.Boolean(), server_default="false", nullable=False))
    op.execute("UPDATE grid_split_reason SET proven = true WHERE source = 'allocation' AND reason LIKE '本村任何%'")


def downgrade() -> None:
    op.drop_column("grid_split_reason", "proven")
