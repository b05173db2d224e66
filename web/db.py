"""One SQLAlchemy session per request, opened on first use and closed at teardown."""
from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from gridmgmt.db.session import make_session


def get_session() -> Session:
    """The current request's session."""
    if "db_session" not in g:
        g.db_session = make_session(current_app.config["DATABASE_URL"])
    return g.db_session


def close_session(_error: BaseException | None = None) -> None:
    """Close the request's session, if one was opened."""
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    """Close the session at the end of every request."""
    app.teardown_appcontext(close_session)
