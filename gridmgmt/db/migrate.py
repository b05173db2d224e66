"""Run Alembic migrations from code (CLI and tests)."""

from functools import lru_cache

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from geoalchemy2 import alembic_helpers
from sqlalchemy import Connection, text

from gridmgmt.config import PROJECT_ROOT

# Tables that the PostGIS extension owns; autogenerate must leave them alone.
EXTENSION_TABLES = {"spatial_ref_sys"}


def include_object(obj, name, type_, reflected, compare_to):
    """Skip extension tables, then defer to GeoAlchemy2's filter."""
    if type_ == "table" and name in EXTENSION_TABLES:
        return False
    return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)


def alembic_config(url: str) -> Config:
    """Alembic config pointing at migrations/ and URL."""
    cfg = Config()
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at URL to REVISION."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    """Take the database at URL back to REVISION."""
    command.downgrade(alembic_config(url), revision)


@lru_cache
def head_revision() -> str:
    """The newest revision in migrations/."""
    return ScriptDirectory.from_config(alembic_config("")).get_current_head()


def database_revision(connection: Connection) -> str | None:
    """The revision the database on CONNECTION is at; None before the first migration."""
    # Read directly: alembic's MigrationContext logs two INFO lines per call (every probe).
    if connection.scalar(text("SELECT to_regclass('alembic_version')")) is None:
        return None
    return connection.scalar(text("SELECT version_num FROM alembic_version"))
