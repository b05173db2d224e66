"""Plans keep their rules and when they were archived; events get a client id.

grid_plan.rules: the GridRules a plan was allocated with (existing plans get the
defaults the editor used for them). grid_plan.archived_at: with published_at, when a
plan was in force (existing archived plans: their last update). event.client_id: a
phone-generated id so that a retried report stays one event.

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-01 09:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0004"
branch_labels = None
depends_on = None

DEFAULT_RULES = (
    '{"target": 150.0, "min_workload": 100.0, "max_workload": 200.0, "must_visit_extra": 1.0, '
    '"tolerance": 0.1, "group_cut": 0.25, "barrier_cut": 0.4, "max_cells_per_worker": 1, '
    '"liaison_capacity": 10}'
)


def upgrade() -> None:
    op.add_column("grid_plan", sa.Column("rules", postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.execute(sa.text("UPDATE grid_plan SET rules = CAST(:rules AS jsonb)").bindparams(rules=DEFAULT_RULES))
    op.alter_column("grid_plan", "rules", nullable=False)
    op.add_column("grid_plan", sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE grid_plan SET archived_at = updated_at WHERE status = 'archived'")
    op.add_column(
        "event", sa.Column("client_id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False)
    )
    op.create_unique_constraint(op.f("uq_event_client_id"), "event", ["client_id"])


def downgrade() -> None:
    op.drop_constraint(op.f("uq_event_client_id"), "event", type_="unique")
    op.drop_column("event", "client_id")
    op.drop_column("grid_plan", "archived_at")
    op.drop_column("grid_plan", "rules")
