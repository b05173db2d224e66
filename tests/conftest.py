"""Shared fixtures: a migrated test database on real PostGIS, cleaned after each test; and a
database on a cluster of its own, for tests that stop or crash it under a running app."""

import os
import secrets
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool

from gridmgmt.config import Settings, get_settings
from gridmgmt.db.cluster import LocalCluster, ensure_database, scratch_cluster
from gridmgmt.db.migrate import upgrade
from gridmgmt.db.session import engine_for
from tests.tables import empty_tables
from tests.web.live import serving
from tests.web.people import add_people
from tests.web.sample import add_small_township
from web import create_app


def pytest_configure(config):
    """Each pytest-xdist worker tests against a database of its own (gridmgmt_test_gw0, …): every test
    empties the tables afterwards, which would pull them from under another worker's test."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        os.environ["GRIDMGMT_TEST_DB_NAME"] = f"{Settings().test_db_name}_{worker}"


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
    """Engine on the test database; pre-ping, as the app's, since a test may terminate its backends. The
    tables start empty: a run stopped midway leaves its rows behind."""
    eng = create_engine(db_url, pool_pre_ping=True)
    empty_tables(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine):
    """A session on an empty schema; every table is emptied afterwards."""
    with sessionmaker(engine, expire_on_commit=False)() as sess:
        yield sess
    empty_tables(engine)


@pytest.fixture(scope="session")
def scratch_db(tmp_path_factory):
    """A migrated database on a PostgreSQL cluster of its own (a free port), for tests that stop
    it: the LocalCluster. Fails (never skips) when it cannot be made."""
    cluster = scratch_cluster(tmp_path_factory.mktemp("scratch"))
    try:
        cluster.up()
        upgrade(cluster.settings.url_for())
    except Exception as exc:  # noqa: BLE001 - any failure here means no database
        pytest.fail(f"scratch PostGIS cluster unavailable: {exc}", pytrace=False)
    yield cluster
    cluster.remove()


@dataclass(frozen=True)
class Scratch:
    """The app serving the scratch database: its base URL, the database URL, the cluster, user ids."""

    base: str
    url: str
    cluster: LocalCluster
    people: dict[str, int]


@pytest.fixture
def scratch_server(scratch_db):
    """The app on the scratch database with the sample township and people, served from a thread;
    afterwards the cluster runs again and its tables are empty."""
    scratch_db.up()  # an earlier test may have left it stopped
    url = scratch_db.settings.url_for()
    engine = create_engine(url, poolclass=NullPool)  # no pooled connection to outlive a stop
    with sessionmaker(engine)() as sess:
        add_small_township(sess)
        people = add_people(sess)
    try:
        with serving(create_app({"TESTING": True, "DATABASE_URL": url, "TIANDITU_KEY": None})) as base:
            yield Scratch(base, url, scratch_db, people)
    finally:
        scratch_db.up()
        empty_tables(engine)
        engine_for(url).dispose()
