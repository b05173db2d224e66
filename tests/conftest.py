"""Shared fixtures: a migrated test database on real PostGIS, cleaned after each test."""
import secrets

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from gridmgmt.config import get_settings
from gridmgmt.db.cluster import LocalCluster, ensure_database
from gridmgmt.db.migrate import upgrade
from tests.tables import empty_tables


@pytest.fixture(scope="session", autouse=True)
def session_key():
    """A random session key for every app and command the tests start: there is no default."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRIDMGMT_SECRET_KEY", secrets.token_urlsafe(32))
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def db_url():
    """URL of the migrated test database; fails (never skips) when PostGIS is unreachable."""
    settings = get_settings()
    try:
        if not settings.database_url:
            LocalCluster(settings).up()
        ensure_database(settings, settings.test_db_name)
        url = settings.url_for(settings.test_db_name)
        upgrade(url)
    except Exception as exc:  # noqa: BLE001 - any failure here means no database
        pytest.fail(f"PostGIS test database unavailable: {exc}", pytrace=False)
    return url


@pytest.fixture(scope="session")
def engine(db_url):
    """Engine on the test database."""
    eng = create_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine):
    """A session on an empty schema; every table is emptied afterwards."""
    with sessionmaker(engine, expire_on_commit=False)() as sess:
        yield sess
    empty_tables(engine)
