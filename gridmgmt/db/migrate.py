"""Run Alembic migrations from code (CLI and tests)."""
from alembic import command
from alembic.config import Config
from geoalchemy2 import alembic_helpers

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
