"""Data versions of the public layers' tables, kept by statement-level triggers (tile ETags).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-10 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TABLES = ("village", "village_group", "road", "grid_plan", "grid_cell")

# Microseconds since 1970, and never below the old version plus one: unique across restores.
BUMP = """
CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO data_version (table_name, version)
    VALUES (TG_TABLE_NAME, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
    ON CONFLICT (table_name) DO UPDATE
    SET version = greatest(data_version.version + 1, EXCLUDED.version);
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("table_name", sa.String(length=63), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", name=op.f("pk_data_version")),
    )
    op.execute(BUMP)
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
    op.execute("DROP FUNCTION bump_data_version()")
    op.drop_table("data_version")
