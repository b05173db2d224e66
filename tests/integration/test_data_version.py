"""Data versions (migration 0011): every statement writing a public layer's table raises its
version, visibly only once the writing transaction commits."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text

from gridmgmt.db.models.data_version import VERSIONED_TABLES
from gridmgmt.services.county.fingerprint import COMPLIANCE_TABLES
from tests.web.sample import add_small_township


def _version(conn, table: str) -> int:
    return conn.execute(text("SELECT version FROM data_version WHERE table_name = :t"), {"t": table}).scalar_one()


@pytest.mark.parametrize("table", VERSIONED_TABLES)
def test_every_kind_of_write_raises_the_version(session, engine, table):
    add_small_township(session)
    seen = [_version(session, table)]
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table} WHERE false", f"TRUNCATE {table} CASCADE"):
        session.execute(text(statement))
        session.commit()
        seen.append(_version(session, table))
    assert seen == sorted(set(seen)), seen  # strictly increasing


def test_the_new_version_is_seen_only_after_commit(session, engine):
    add_small_township(session)
    before = _version(session, "road")
    session.commit()
    session.execute(text("UPDATE road SET name = name"))
    with engine.connect() as other:
        assert _version(other, "road") == before
    session.commit()
    with engine.connect() as other:
        assert _version(other, "road") > before


def test_other_tables_leave_the_versions_alone(session):
    add_small_township(session)
    versions = session.execute(text("SELECT table_name, version FROM data_version ORDER BY table_name")).all()
    session.execute(text("UPDATE economic_org SET name = name"))
    session.commit()
    assert session.execute(text("SELECT table_name, version FROM data_version ORDER BY table_name")).all() == versions


@pytest.mark.parametrize("table", COMPLIANCE_TABLES)
def test_the_tables_of_the_county_visit_figures_have_versions(session, table):
    """Migration 0026: every table a township's compliance reads has a data version (the county overview's check)."""
    add_small_township(session)
    before = session.execute(text("SELECT version FROM data_version WHERE table_name = :t"), {"t": table}).scalar()
    session.execute(text(f"DELETE FROM {table} WHERE false"))  # a statement writing no row is a write all the same
    session.commit()
    assert _version(session, table) > (before or 0)


def _write(conn, table: str) -> None:
    conn.execute(text(f"UPDATE {table} SET id = id WHERE false"))  # a write all the same (statement trigger)


def test_writers_of_two_tables_in_opposite_orders_both_commit(session, engine):
    """Migration 0027: a writer of road then village and one of village then road do not deadlock (each
    used to hold its first table's version row until commit), and both raise both versions."""
    add_small_township(session)
    session.commit()
    before = {t: _version(session, t) for t in ("road", "village")}
    with engine.connect() as first, engine.connect() as second:
        for conn in (first, second):
            conn.execute(text("SET lock_timeout = '5s'"))
        _write(first, "road")
        _write(second, "village")
        with ThreadPoolExecutor(1) as pool:
            crossing = pool.submit(_write, first, "village")
            _write(second, "road")
            crossing.result(timeout=10)
        second.commit()
        first.commit()
    with engine.connect() as other:
        assert all(_version(other, t) > before[t] for t in before)


def test_a_savepoint_rolled_back_takes_its_version_with_it(session):
    """What a rolled-back savepoint wrote raises no version; what the transaction wrote after it does."""
    add_small_township(session)
    session.commit()
    before = {t: _version(session, t) for t in ("road", "village")}
    savepoint = session.begin_nested()
    _write(session, "road")
    savepoint.rollback()
    _write(session, "village")
    session.commit()
    assert _version(session, "road") == before["road"]
    assert _version(session, "village") > before["village"]
