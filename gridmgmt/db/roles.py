"""The local cluster's roles: passwords, the app's non-superuser role, ownership of its objects."""

import psycopg
from psycopg import sql

from gridmgmt.config import Settings
from gridmgmt.keys import ensure_secret

APP_ROLE = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
# Relations an earlier version's superuser created: not those of an extension ('e') nor
# sequences and indexes that follow their table ('a', 'i').
OWN_RELATIONS = """
SELECT c.relkind, c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname NOT LIKE 'pg\\_%%'
  AND n.nspname <> 'information_schema' AND c.relowner <> %s::regrole
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                  AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
"""
KINDS = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE"}


def connect(url: str) -> psycopg.Connection:
    """An autocommit psycopg connection to the SQLAlchemy URL."""
    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def secure_roles(settings: Settings, options: dict[str, str], hand_over: bool) -> None:
    """Set both roles' passwords from their files (generated when missing) and the server OPTIONS.

    HAND_OVER: give the app's role every database and its objects (a cluster of earlier
    versions, where the superuser owned them).
    """
    admin, app = settings.pg_admin_user, settings.pg_user
    passwords = {role: ensure_secret(settings.password_file(role)) for role in (admin, app)}
    with connect(settings.admin_url_for()) as conn:
        _set_role(conn, admin, "SUPERUSER", passwords[admin])
        _set_role(conn, app, APP_ROLE, passwords[app])
        for name, value in options.items():
            conn.execute(sql.SQL("ALTER SYSTEM SET {} = {}").format(sql.Identifier(name), sql.SQL(value)))
        databases = conn.execute(
            "SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> 'postgres'"
        ).fetchall()
    if hand_over:
        for (name,) in databases:
            _hand_over(settings, name)


def _set_role(conn: psycopg.Connection, role: str, attributes: str, password: str) -> None:
    # Only the SCRAM verifier reaches the server: no plain password in its logs.
    verifier = conn.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256").decode()
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    conn.execute(
        sql.SQL("{} ROLE {} LOGIN {} PASSWORD {}").format(
            sql.SQL("ALTER" if exists else "CREATE"), sql.Identifier(role), sql.SQL(attributes), sql.Literal(verifier)
        )
    )


def _hand_over(settings: Settings, database: str) -> None:
    owner = sql.Identifier(settings.pg_user)
    with connect(settings.admin_url_for(database)) as conn:
        conn.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(database), owner))
        for kind, name in conn.execute(OWN_RELATIONS, (settings.pg_user,)).fetchall():
            conn.execute(sql.SQL("ALTER {} {} OWNER TO {}").format(sql.SQL(KINDS[kind]), sql.SQL(name), owner))
