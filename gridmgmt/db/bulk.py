"""Bulk loading with COPY: the fast path for importers and the demo generator."""
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import pandas as pd
import shapely
from psycopg import sql
from sqlalchemy import text
from sqlalchemy.orm import Session

SRID = 4326
# Index builds after a bulk load sort everything at once: give them room (this transaction only,
# and never less than the server already allows).
REBUILD_MAINTENANCE_KB = 512 * 1024

# Indexes that no constraint owns (not the primary key, not a UNIQUE): safe to drop and rebuild.
_SECONDARY_INDEXES = """
    SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
    WHERE i.indrelid = CAST(:t AS regclass) AND NOT i.indisunique
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
    ORDER BY 1"""
# Foreign keys, and (with :u) UNIQUE constraints that no foreign key relies on; UNIQUE first, so
# that re-adding them in this order works.
_CONSTRAINTS = """
    SELECT quote_ident(c.conname), pg_get_constraintdef(c.oid) FROM pg_constraint c
    WHERE c.conrelid = CAST(:t AS regclass) AND (c.contype = 'f' OR (:u AND c.contype = 'u' AND NOT EXISTS (
        SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid)))
    ORDER BY c.contype DESC, 1"""


def ewkb_hex(geometries) -> np.ndarray:
    """Hex EWKB with SRID 4326, the text form COPY accepts for geometry columns."""
    with_srid = shapely.set_srid(np.asarray(geometries, dtype=object), SRID)
    return shapely.to_wkb(with_srid, hex=True, include_srid=True)


def copy_rows(session: Session, table: str, columns: Sequence[str], rows: Iterable,
              types: Sequence[str] | None = None) -> None:
    """COPY ROWS into TABLE(COLUMNS) inside the session's transaction; binary when given the TYPES to send."""
    raw = session.connection().connection.driver_connection
    statement = sql.SQL("COPY {} ({}) FROM STDIN{}").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.SQL(" (FORMAT binary)" if types else ""))
    with raw.cursor() as cur, cur.copy(statement) as copy:
        if types:
            copy.set_types(types)
        for row in rows:
            copy.write_row(row)


def copy_frame(session: Session, table: str, frame: pd.DataFrame) -> int:
    """COPY a (Geo)DataFrame whose columns are TABLE's; shapely columns become EWKB."""
    columns = list(frame.columns)
    values = {}
    for name in columns:
        col = frame[name]
        if len(col) and isinstance(col.iloc[0], shapely.Geometry):
            values[name] = ewkb_hex(col.to_numpy())
        else:
            values[name] = col.astype(object).where(col.notna(), None).to_numpy()
    copy_rows(session, table, columns, zip(*(values[c] for c in columns)))
    return len(frame)


def reset_id_sequences(session: Session, tables: Iterable[str]) -> None:
    """After COPY with explicit ids, move each id sequence past the largest id."""
    for table in tables:
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
        ))


@contextmanager
def indexes_rebuilt(session: Session, table: str, unique: bool = True) -> Iterator[None]:
    """Run the block with TABLE's secondary indexes and foreign keys dropped, then re-create them.

    For loads large relative to the table (what pg_restore does): each index is built once, sorted,
    instead of updated row by row, and each foreign key is checked by one join instead of a trigger
    per row. Re-adding a constraint validates every row, so nothing goes unchecked. With UNIQUE,
    UNIQUE constraints are rebuilt too (keep them for INSERT … ON CONFLICT). It all happens in the
    caller's transaction: on any error the rollback brings back the old indexes and constraints.
    Until it ends, TABLE and the tables its keys reference are locked exclusively.
    """
    indexes = session.execute(text(_SECONDARY_INDEXES), {"t": table}).all()
    constraints = session.execute(text(_CONSTRAINTS), {"t": table, "u": unique}).all()
    if constraints:
        session.execute(text(f"ALTER TABLE {table} "
                             + ", ".join(f"DROP CONSTRAINT {name}" for name, _ in constraints)))
    if indexes:
        session.execute(text(f"DROP INDEX {', '.join(name for name, _ in indexes)}"))
    yield
    session.execute(text("SELECT set_config('maintenance_work_mem', :kb || 'kB', true) FROM pg_settings "
                         "WHERE name = 'maintenance_work_mem' AND setting::bigint < :kb"),
                    {"kb": REBUILD_MAINTENANCE_KB})
    for _, definition in indexes:
        session.execute(text(definition))
    if constraints:
        session.execute(text(f"ALTER TABLE {table} " + ", ".join(
            f"ADD CONSTRAINT {name} {definition}" for name, definition in constraints)))
