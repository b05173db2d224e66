"""Flask test client on the test database, with the small sample township loaded."""
import pytest

from gridmgmt.db.session import engine_for
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
    """A test client."""
    return app.test_client()


@pytest.fixture
def township(session):
    """The sample township 示范镇, committed."""
    add_small_township(session)
