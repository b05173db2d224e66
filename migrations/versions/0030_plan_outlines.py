"""A plan says how its cells' outlines were drawn, so the plan page can offer to redraw old ones.

Plans stored before this revision were drawn with each household's region over the whole village
("households"), whose lines cross the 村民小组 lines; plans imported from a file of cell polygons keep
the file's outlines ("file", found from their import_grid_plan audit rows). New plans are drawn along
the groups' lines ("groups").

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 23:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("grid_plan", sa.Column("outlines", sa.String(16), server_default="households", nullable=False))
    op.alter_column("grid_plan", "outlines", server_default="groups")
    op.execute(
        "UPDATE grid_plan SET outlines = 'file' WHERE id IN (SELECT (detail->>'plan_id')::int FROM audit_log "
        "WHERE action = 'import_grid_plan' AND detail->>'kind' = 'grid_cells')"
    )
    op.create_check_constraint(
        op.f("ck_grid_plan_outlines_allowed"), "grid_plan", "outlines IN ('groups', 'households', 'file')"
    )


def downgrade() -> None:
    op.drop_column("grid_plan", "outlines")
