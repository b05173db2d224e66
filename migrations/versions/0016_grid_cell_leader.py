"""网格长 of a grid cell: imported existing grids name one beside the 网格员.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 19:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("grid_cell", sa.Column("leader_id", sa.Integer(), nullable=True))
    op.create_foreign_key(op.f("fk_grid_cell_leader_id_cadre"), "grid_cell", "cadre", ["leader_id"], ["id"])


def downgrade() -> None:
    op.drop_constraint(op.f("fk_grid_cell_leader_id_cadre"), "grid_cell", type_="foreignkey")
    op.drop_column("grid_cell", "leader_id")
