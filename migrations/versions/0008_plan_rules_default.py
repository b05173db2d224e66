"""A plan written without rules (SQL, fixtures) gets the default GridRules.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 09:20:00
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

DEFAULT_RULES = (
    '{"target": 150.0, "min_workload": 100.0, "max_workload": 200.0, "must_visit_extra": 1.0, '
    '"tolerance": 0.1, "group_cut": 0.25, "barrier_cut": 0.4, "max_cells_per_worker": 1, '
    '"liaison_capacity": 10}'
)


def upgrade() -> None:
    op.alter_column("grid_plan", "rules", server_default=DEFAULT_RULES)


def downgrade() -> None:
    op.alter_column("grid_plan", "rules", server_default=None)
