"""Bulk loading with COPY: the fast path for importers and the demo generator.

Statements are Core; what only raw SQL can say (COPY, DDL on tables named at run time, DDL the
catalog wrote) is composed with psycopg.sql and run on the session's own connection and transaction.
"""

import io
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain, islice

import numpy as np
import pandas as pd
import shapely
from psycopg import sql
from sqlalchemy import BigInteger, Boolean, and_, cast, column, exists, func, or_, select, table
from sqlalchemy.dialects.postgresql import REGCLASS
from sqlalchemy.orm import Session

SRID = 4326
# Index builds after a bulk load sort everything at once: give them room (this transaction only,
# and never less than the server already allows).
REBUILD_MAINTENANCE_KB = 512 * 1024
# Rows formatted per COPY batch: small enough for the server to start early, large enough to amortise.
COPY_BATCH_ROWS = 25_000

_INDEX = table(
    "pg_index", column("indexrelid"), column("indrelid"), column("indisunique", Boolean), schema="pg_catalog"
)
_CLASS = table("pg_class", column("oid"), column("relname"), schema="pg_catalog")
_CONSTRAINT = table(
    "pg_constraint",
    column("oid"),
    column("conname"),
    column("conrelid"),
    column("conindid"),
    column("contype"),
    schema="pg_catalog",
)
# Little-endian EWKB of a point: byte order, type with the SRID flag (0x20000001), SRID; x and y follow.
_POINT_HEADER_HEX = np.frombuffer(("0101000020" + SRID.to_bytes(4, "little").hex().upper()).encode(), dtype=np.uint8)
# Byte value -> its two hex digits, as one 16-bit item.
_HEX_PAIRS = np.frombuffer("".join(f"{i:02X}" for i in range(256)).encode(), dtype="<u2").copy()
_SETTINGS = table("pg_settings", column("name"), column("setting"), schema="pg_catalog")


def run(session: Session, statement: sql.Composable) -> None:
    """Execute a psycopg.sql STATEMENT (no parameters) in the session's transaction."""
    with _driver(session).cursor() as cur:
        cur.execute(statement)


def _driver(session: Session):
    """The psycopg connection under SESSION, in the session's transaction."""
    return session.connection().connection.driver_connection


def ewkb_hex(geometries) -> np.ndarray:
    """Hex EWKB with SRID 4326, the text form COPY accepts for geometry columns."""
    with_srid = shapely.set_srid(np.asarray(geometries, dtype=object), SRID)
    return shapely.to_wkb(with_srid, hex=True, include_srid=True)


def point_ewkb_hex(xy: np.ndarray):
    """Hex EWKB with SRID 4326 of 2D points given as (n, 2) coordinates XY (all finite), as ewkb_hex gives for
    their points, as a pyarrow string array: laid out from the coordinates, no geometry made."""
    import pyarrow as pa

    coords = np.ascontiguousarray(xy, dtype="<f8").view(np.uint8).reshape(len(xy), 16)
    text = np.empty((len(xy), len(_POINT_HEADER_HEX) + 32), dtype=np.uint8)
    text[:, : len(_POINT_HEADER_HEX)] = _POINT_HEADER_HEX
    text[:, len(_POINT_HEADER_HEX) :] = _HEX_PAIRS[coords].view(np.uint8)
    offsets = np.arange(0, text.size + 1, text.shape[1], dtype=np.int32)
    return pa.StringArray.from_buffers(len(xy), pa.py_buffer(offsets), pa.py_buffer(text))


def copy_rows(
    session: Session,
    table_name: str,
    columns: Sequence[str],
    rows: Iterable,
    types: Sequence[str] | None = None,
) -> None:
    """COPY ROWS into TABLE_NAME(COLUMNS) inside the session's transaction, in binary when TYPES (the
    columns' own) are given, else as text."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN{}").format(
        sql.Identifier(table_name),
        sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.SQL(" (FORMAT binary)" if types else ""),
    )
    with _driver(session).cursor() as cur, cur.copy(statement) as copy:
        if types:
            copy.set_types(types)
        for row in rows:
            copy.write_row(row)


def copy_table(session: Session, table_name: str, data, shown: Iterator | None = None) -> None:
    """COPY the pyarrow Table DATA into TABLE_NAME's columns of the same names, in batches (copy_batches)."""
    copy_batches(session, table_name, data.to_batches(max_chunksize=COPY_BATCH_ROWS), shown)


def copy_batches(session: Session, table_name: str, batches: Iterable, shown: Iterator | None = None) -> None:
    """COPY pyarrow BATCHES (tables or record batches, the first's columns named as TABLE_NAME's, the rest
    alike) as CSV written by Arrow batch by batch (the server casts each value to its column's type). BATCHES
    may be produced as they are taken: the server writes one while the next is made. SHOWN, when given, is
    advanced one item per row as each batch is sent (a progress display), and run to its end after the last."""
    from pyarrow import csv

    batches = iter(batches)
    first = next(batches, None)
    if first is None:
        return
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
        sql.Identifier(table_name), sql.SQL(", ").join(map(sql.Identifier, first.column_names))
    )
    options = csv.WriteOptions(include_header=False)
    with _driver(session).cursor() as cur, cur.copy(statement) as copy:
        for batch in chain([first], batches):
            sink = io.BytesIO()
            csv.write_csv(batch, sink, options)
            copy.write(sink.getbuffer())
            if shown is not None:
                deque(islice(shown, batch.num_rows), maxlen=0)
        if shown is not None:
            deque(shown, maxlen=0)  # to its end: a display may report "all sent" only there


def copy_frame(session: Session, table_name: str, frame: pd.DataFrame) -> int:
    """COPY a (Geo)DataFrame whose columns are TABLE_NAME's; shapely columns become EWKB."""
    columns = list(frame.columns)
    values = {}
    for name in columns:
        col = frame[name]
        if len(col) and isinstance(col.iloc[0], shapely.Geometry):
            values[name] = ewkb_hex(col.to_numpy())
        else:
            values[name] = col.astype(object).where(col.notna(), None).to_numpy()
    copy_rows(session, table_name, columns, zip(*(values[c] for c in columns)))
    return len(frame)


def reset_id_sequences(session: Session, tables: Iterable[str]) -> None:
    """After COPY with explicit ids, move each id sequence past the largest id."""
    for name in tables:
        ids = table(name, column("id"))
        next_id = select(func.coalesce(func.max(ids.c.id), 0) + 1).scalar_subquery()
        session.execute(select(func.setval(func.pg_get_serial_sequence(name, "id"), next_id, False)))


def _regclass(table_name: str):
    return cast(table_name, REGCLASS)


def _secondary_indexes(session: Session, table_name: str) -> list[tuple[str, str]]:
    """TABLE_NAME's indexes that no constraint owns (not the primary key, not a UNIQUE): (name, CREATE INDEX)."""
    owned = exists().where(_CONSTRAINT.c.conindid == _INDEX.c.indexrelid)
    return session.execute(
        select(_CLASS.c.relname, func.pg_get_indexdef(_INDEX.c.indexrelid))
        .join_from(_INDEX, _CLASS, _CLASS.c.oid == _INDEX.c.indexrelid)
        .where(_INDEX.c.indrelid == _regclass(table_name), _INDEX.c.indisunique.is_(False), ~owned)
        .order_by(_CLASS.c.relname)
    ).all()


def _constraints(session: Session, table_name: str, unique: bool) -> list[tuple[str, str]]:
    """TABLE_NAME's foreign keys and, with UNIQUE, the UNIQUE constraints that no foreign key relies on:
    (name, definition), UNIQUE first so that re-adding them in this order works."""
    c, f = _CONSTRAINT, _CONSTRAINT.alias("f")
    kinds = c.c.contype == "f"
    if unique:
        relied_on = exists().where(f.c.contype == "f", f.c.conindid == c.c.conindid)
        kinds = or_(kinds, and_(c.c.contype == "u", ~relied_on))
    return session.execute(
        select(c.c.conname, func.pg_get_constraintdef(c.c.oid))
        .where(c.c.conrelid == _regclass(table_name), kinds)
        .order_by(c.c.contype.desc(), c.c.conname)
    ).all()


def _alter(table_name: str, actions: list[sql.Composable]) -> sql.Composable:
    return sql.SQL("ALTER TABLE {} {}").format(sql.Identifier(table_name), sql.SQL(", ").join(actions))


@contextmanager
def indexes_rebuilt(session: Session, table_name: str, unique: bool = True) -> Iterator[None]:
    """Run the block with TABLE_NAME's secondary indexes and foreign keys dropped, then re-create them.

    For loads large relative to the table (what pg_restore does): each index is built once, sorted,
    instead of updated row by row, and each foreign key is checked by one join instead of a trigger
    per row. Re-adding a constraint validates every row, so nothing goes unchecked. With UNIQUE,
    UNIQUE constraints are rebuilt too (keep them for INSERT … ON CONFLICT). It all happens in the
    caller's transaction: on any error the rollback brings back the old indexes and constraints.
    Until it ends, the table and the tables its keys reference are locked exclusively.
    """
    indexes = _secondary_indexes(session, table_name)
    constraints = _constraints(session, table_name, unique)
    if constraints:
        run(
            session,
            _alter(table_name, [sql.SQL("DROP CONSTRAINT {}").format(sql.Identifier(name)) for name, _ in constraints]),
        )
    if indexes:
        run(session, sql.SQL("DROP INDEX {}").format(sql.SQL(", ").join(sql.Identifier(n) for n, _ in indexes)))
    yield
    session.execute(
        select(func.set_config("maintenance_work_mem", f"{REBUILD_MAINTENANCE_KB}kB", True)).where(
            _SETTINGS.c.name == "maintenance_work_mem", cast(_SETTINGS.c.setting, BigInteger) < REBUILD_MAINTENANCE_KB
        )
    )
    # The definitions are the catalog's own SQL for these very objects.
    for _, definition in indexes:
        run(session, sql.SQL(definition))
    if constraints:
        run(
            session,
            _alter(
                table_name,
                [
                    sql.SQL("ADD CONSTRAINT {} {}").format(sql.Identifier(name), sql.SQL(definition))
                    for name, definition in constraints
                ],
            ),
        )
