"""Flask test client on the test database, with the small sample township loaded."""

import pytest
from sqlalchemy import create_engine

from gridmgmt.db.session import engine_for
from tests.tables import count_rows
from tests.web.people import add_people, log_in
from tests.web.sample import add_small_township
from web import create_app


@pytest.fixture
def app(db_url):
    """The app on the test database, with no Tianditu key."""
    yield create_app({"TESTING": True, "DATABASE_URL": db_url, "TIANDITU_KEY": None})
    # Pooled connections outlive a test; another test may drop and recreate PostGIS
    # (downgrade/upgrade), which leaves them with stale PostGIS operator caches.
    engine_for(db_url).dispose()


@pytest.fixture
def client(app):
    """A test client, not logged in."""
    return app.test_client()


@pytest.fixture
def township(session):
    """The sample township 示范镇, committed."""
    add_small_township(session)


@pytest.fixture
def people(session, township):
    """The sample township with a grid worker's scope and one user per role: ids by username."""
    return add_people(session)


@pytest.fixture
def as_user(app, people):
    """as_user(USERNAME): a test client logged in as that sample user."""

    def client_for(username: str):
        client = app.test_client()
        log_in(client, people[username])
        return client

    return client_for


@pytest.fixture
def admin_client(as_user):
    """A test client logged in as the sample admin."""
    return as_user("admin")


@pytest.fixture
def row_counts(db_url):
    """row_counts(): the rows of every table, counted on a connection of its own that is
    closed after the test (the shared engine's pool keeps the size other tests expect)."""
    engine = create_engine(db_url)
    yield lambda: count_rows(engine)
    engine.dispose()


@pytest.fixture
def worker(app, as_user):
    """The sample grid worker's client, CSRF off for the JSON posts of the phone."""
    app.config["WTF_CSRF_ENABLED"] = False
    return as_user("grid_worker")
