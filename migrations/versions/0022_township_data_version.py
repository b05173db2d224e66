"""The township table's data version too: rendered overview maps are kept per data version of
every table they draw, the township boundary among them.

Revision ID: 0022
Revises: 0019
Create Date: 2026-12-06 22:20:00
"""

from alembic import op

revision = "0022"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE TRIGGER township_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        "ON township FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()"
    )
    op.execute(
        "INSERT INTO data_version VALUES ('township', (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER township_data_version ON township")
    op.execute("DELETE FROM data_version WHERE table_name = 'township'")
