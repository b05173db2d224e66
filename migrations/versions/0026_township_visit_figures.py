"""Township visit figures kept for the county overview: each township's duties done, overdue and
due in all, with the digest of the day, settings and township data they were worked out from, and
of the data versions of every table they are made from when that was last checked; data versions
(triggers) for those tables that had none, so that one cheap look says nothing changed.

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

# The tables a township's compliance reads that had no data version yet (the others: 0011, 0018).
TABLES = ("visit", "cadre", "cadre_village", "event", "grid_membership", "duty")


def upgrade() -> None:
    op.create_table(
        "township_visit_figures",
        sa.Column("township_id", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(length=64), nullable=False),
        sa.Column("checked", sa.String(length=64), nullable=False),
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
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()"
        )
        op.execute(
            f"INSERT INTO data_version VALUES ('{table}', (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_data_version ON {table}")
        op.execute(f"DELETE FROM data_version WHERE table_name = '{table}'")
    op.drop_table("township_visit_figures")
