"""Engines and sessions; created on demand, never at import time."""
from functools import lru_cache

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from gridmgmt.config import get_settings


@lru_cache
def engine_for(url: str) -> Engine:
    """One pooled engine per database URL."""
    return create_engine(url, pool_pre_ping=True)


def default_url() -> str:
    """URL of the application database."""
    return get_settings().url_for()


def make_session(url: str | None = None) -> Session:
    """A new session on URL (default: the application database)."""
    return sessionmaker(engine_for(url or default_url()), expire_on_commit=False)()
