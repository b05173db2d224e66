"""The CLI on the test database, and app users that command-line tests name with --as (they never log in,
so no real password hash)."""

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from gridmgmt.config import get_settings
from gridmgmt.db.models import AppUser, Township

ADMIN = "cli_admin"


def add_actor(session, username: str = ADMIN, role: str = "admin", township_code: str | None = None) -> int:
    """Add and commit an active user USERNAME with ROLE (in TOWNSHIP_CODE), unless present; returns its id."""
    found = session.scalar(select(AppUser.id).where(AppUser.username == username))
    if found:
        return found
    township_id = session.scalar(select(Township.id).where(Township.code == township_code)) if township_code else None
    user = AppUser(username=username, role=role, password_hash="-", township_id=township_id)
    session.add(user)
    session.commit()
    return user.id


@pytest.fixture
def cli(db_url, monkeypatch):
    """A CliRunner whose commands use the test database, with no actor in the environment."""
    monkeypatch.setenv("GRIDMGMT_DB_NAME", get_settings().test_db_name)
    monkeypatch.delenv("GRIDMGMT_ACTOR", raising=False)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()
