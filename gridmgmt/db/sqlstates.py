"""PostgreSQL error codes (SQLSTATE) the app answers by name rather than as a failure of its own."""

# A busy database's refusals: a deadlock or serialization failure (class 40), a lock timeout, a statement timeout.
BUSY = ("40", "55P03", "57014")
# A table or column this version expects and the database lacks: not migrated yet (`gridmgmt db migrate`).
SCHEMA_BEHIND = ("42P01", "42703")  # undefined_table, undefined_column


def sqlstate(error: BaseException) -> str | None:
    """The SQLSTATE of ERROR, a psycopg error or SQLAlchemy's wrapper of one; None for any other."""
    return getattr(error, "sqlstate", None) or getattr(getattr(error, "orig", None), "sqlstate", None)
