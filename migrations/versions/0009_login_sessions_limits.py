"""Login sessions (ended by logout, and by any change of a user's password, role, scope or
active flag) and the login rate limit's counters.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Whoever changes these columns (CLI, web, plain SQL) ends the user's sessions.
END_SESSIONS = """
CREATE FUNCTION app_user_end_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.password_hash, NEW.role, NEW.township_id, NEW.cadre_id, NEW.active)
       IS DISTINCT FROM (OLD.password_hash, OLD.role, OLD.township_id, OLD.cadre_id, OLD.active) THEN
        DELETE FROM login_session WHERE user_id = NEW.id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER app_user_end_sessions AFTER UPDATE ON app_user
    FOR EACH ROW EXECUTE FUNCTION app_user_end_sessions();
"""


def upgrade() -> None:
    op.create_table(
        "login_session",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_login_session_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("key_hash", name=op.f("pk_login_session")),
    )
    op.create_index(op.f("ix_login_session_user_id"), "login_session", ["user_id"], unique=False)
    op.create_table(
        "login_limit",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_success", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_limit")),
    )
    op.execute(END_SESSIONS)


def downgrade() -> None:
    op.execute("DROP TRIGGER app_user_end_sessions ON app_user")
    op.execute("DROP FUNCTION app_user_end_sessions()")
    op.drop_table("login_limit")
    op.drop_index(op.f("ix_login_session_user_id"), table_name="login_session")
    op.drop_table("login_session")
