"""Emptying the test database: after each test, and after a module's shared data."""

from sqlalchemy import text

from gridmgmt.db.models import Base


def empty_tables(engine) -> None:
    """Remove every row of every table and restart the ids."""
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def count_rows(engine) -> tuple[int, ...]:
    """The number of rows of every table, in one query."""
    sql = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t.name})" for t in Base.metadata.sorted_tables)
    with engine.connect() as conn:
        return tuple(conn.execute(text(sql)).one())
