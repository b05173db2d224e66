"""One SQLAlchemy session per request, opened on first use and closed at teardown."""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g, request
from sqlalchemy.orm import Session

from gridmgmt.db.session import engine_for, make_session


def read_only(view):
    """Mark VIEW as writing nothing: its requests' statements run without a transaction."""
    view.read_only = True
    return view


def _read_only_request() -> bool:
    view = current_app.view_functions.get(request.endpoint) if request else None
    return getattr(view, "read_only", False)


def get_session() -> Session:
    """The current request's session."""
    if "db_session" not in g:
        # Without a transaction psycopg sends no BEGIN and the pool no ROLLBACK: two
        # round trips fewer on small, frequent reads such as tiles.
        g.db_session = make_session(current_app.config["DATABASE_URL"], autocommit=_read_only_request())
    return g.db_session


def close_session(_error: BaseException | None = None) -> None:
    """Close the request's session, if one was opened."""
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


@contextmanager
def one_transaction() -> Iterator[Session]:
    """Within the block the request's session writes in one database transaction, committed at
    its end: a service's commit releases a savepoint and its rollback returns to one, so each
    item of a batch stands or falls alone, yet the disk is flushed once for the batch."""
    close_session()
    with engine_for(current_app.config["DATABASE_URL"]).connect() as connection, connection.begin():
        g.db_session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            yield g.db_session
        finally:
            close_session()


def init_app(app: Flask) -> None:
    """Close the session at the end of every request."""
    app.teardown_appcontext(close_session)
