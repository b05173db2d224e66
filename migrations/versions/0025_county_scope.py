"""County scope: a leader or planner may answer for a county (the 6-digit code prefixing its
townships' codes) instead of one township; changing it ends the user's login sessions.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 02:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def _end_sessions(columns: str) -> str:
    """The trigger function ending a user's sessions when any of COLUMNS changes."""
    return f"""
CREATE OR REPLACE FUNCTION app_user_end_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF ({", ".join(f"NEW.{c}" for c in columns.split())})
       IS DISTINCT FROM ({", ".join(f"OLD.{c}" for c in columns.split())}) THEN
        DELETE FROM login_session WHERE user_id = NEW.id;
    END IF;
    RETURN NEW;
END $$;
"""


BEFORE = "password_hash role township_id cadre_id active"


def upgrade() -> None:
    op.add_column("app_user", sa.Column("county_code", sa.String(length=6), nullable=True))
    op.create_check_constraint(op.f("ck_app_user_county_code_digits"), "app_user", "county_code ~ '^[0-9]{6}$'")
    op.create_check_constraint(op.f("ck_app_user_one_place"), "app_user", "county_code IS NULL OR township_id IS NULL")
    op.execute(_end_sessions(BEFORE + " county_code"))


def downgrade() -> None:
    op.execute(_end_sessions(BEFORE))
    op.drop_constraint(op.f("ck_app_user_one_place"), "app_user", type_="check")
    op.drop_constraint(op.f("ck_app_user_county_code_digits"), "app_user", type_="check")
    op.drop_column("app_user", "county_code")
