"""Data versions of the other OGC collections' tables (party_org, demo_site, household), so
collection extents are computed once per version instead of on every request.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 19:10:00
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

TABLES = ("party_org", "demo_site", "household")


def upgrade() -> None:
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
