"""Emptying the test database: after each test, and after a module's shared data."""

import time

from psycopg import errors
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from gridmgmt.db.models import Base


def empty_tables(engine, tries: int = 3) -> None:
    """Remove every row of every table and restart the ids. A request a live server was still answering
    may hold a table the TRUNCATE needs while waiting for one it took (a deadlock, which the server resolves
    by failing the TRUNCATE): then try again once the request is through."""
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    for attempt in range(tries):
        try:
            with engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            return
        except OperationalError as exc:
            if not isinstance(exc.orig, errors.DeadlockDetected) or attempt == tries - 1:
                raise
            time.sleep(1)


def count_rows(engine) -> tuple[int, ...]:
    """The number of rows of every table, in one query."""
    sql = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t.name})" for t in Base.metadata.sorted_tables)
    with engine.connect() as conn:
        return tuple(conn.execute(text(sql)).one())


def fingerprints(conn) -> dict:
    """Every table's row count and an md5 of its content, read on CONN (a session or connection)."""
    return {
        t.name: tuple(
            conn.execute(text(f"SELECT count(*), md5(string_agg(x::text, '|' ORDER BY x::text)) FROM {t.name} x")).one()
        )
        for t in Base.metadata.sorted_tables
    }
