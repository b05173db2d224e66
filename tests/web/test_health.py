"""/healthz (the process, no database) and /readyz (the database reachable and migrated)."""

import pytest
from sqlalchemy import text

from gridmgmt.db.migrate import head_revision
from web import create_app

NOWHERE = "postgresql+psycopg://gridmgmt@127.0.0.1:1/gridmgmt"


@pytest.fixture
def down_client():
    """A client of the app whose database cannot be reached."""
    return create_app({"TESTING": True, "DATABASE_URL": NOWHERE}).test_client()


def test_healthz_needs_no_database(down_client):
    response = down_client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_at_the_newest_revision(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "revision": head_revision()}


def test_readyz_without_the_database_is_503(down_client):
    response = down_client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.get_json()["reason"] == "数据库无法连接"


def test_readyz_behind_the_newest_revision_is_503(client, engine):
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    try:
        response = client.get("/readyz")
    finally:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head_revision()})
    assert response.status_code == 503
    assert "gridmgmt db migrate" in response.get_json()["reason"]
