"""Township visit figures kept for the county overview: each township's duties done, overdue and
due in all, with the digest of the day, settings and township data they were worked out from.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 04:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "township_visit_figures",
        sa.Column("township_id", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(length=64), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("overdue", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["township_id"],
            ["township.id"],
            name=op.f("fk_township_visit_figures_township_id_township"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("township_id", name=op.f("pk_township_visit_figures")),
    )


def downgrade() -> None:
    op.drop_table("township_visit_figures")
