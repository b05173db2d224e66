"""Data versions raised at commit, in table-name order: no deadlock, and no queue behind a long writer.

Until now each write statement raised its table's version row at once and held that row locked until
commit, so two transactions writing two versioned tables in opposite orders deadlocked, and every writer
of a table waited for the one before it to commit. Now a write statement only notes its table in the
transaction (a transaction-local setting) and, the first time, inserts a row into data_version_due whose
deferred trigger raises every noted table's version at commit, in table-name order. A savepoint rolled
back takes its notes and its row with it. The new versions become visible with the commit, as before.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 11:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

NOTE = """
CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    noted text := coalesce(current_setting('gridmgmt.changed_tables', true), '');
BEGIN
    IF noted = '' THEN
        INSERT INTO data_version_due DEFAULT VALUES;
    END IF;
    IF NOT TG_TABLE_NAME = ANY (string_to_array(noted, ',')) THEN
        PERFORM set_config('gridmgmt.changed_tables', concat_ws(',', nullif(noted, ''), TG_TABLE_NAME), true);
    END IF;
    RETURN NULL;
END $$
"""
# Microseconds since 1970, and never below the old version plus one (as 0011); rows locked in name order.
APPLY = """
CREATE FUNCTION apply_data_versions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO data_version (table_name, version)
    SELECT noted, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint
    FROM unnest(string_to_array(current_setting('gridmgmt.changed_tables', true), ',')) AS noted
    ORDER BY noted
    ON CONFLICT (table_name) DO UPDATE
    SET version = greatest(data_version.version + 1, EXCLUDED.version);
    PERFORM set_config('gridmgmt.changed_tables', '', true);
    DELETE FROM data_version_due WHERE txid = NEW.txid;
    RETURN NULL;
END $$
"""
OLD_BUMP = """
CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
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
        "data_version_due",
        sa.Column("txid", sa.BigInteger(), server_default=sa.text("txid_current()"), nullable=False),
        sa.PrimaryKeyConstraint("txid", name=op.f("pk_data_version_due")),
    )
    op.execute(APPLY)
    op.execute(
        "CREATE CONSTRAINT TRIGGER data_version_due_apply AFTER INSERT ON data_version_due "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION apply_data_versions()"
    )
    op.execute(NOTE)


def downgrade() -> None:
    op.execute(OLD_BUMP)
    op.execute("DROP TRIGGER data_version_due_apply ON data_version_due")
    op.execute("DROP FUNCTION apply_data_versions()")
    op.drop_table("data_version_due")
