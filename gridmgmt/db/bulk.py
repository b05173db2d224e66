"""Bulk loading with COPY: the fast path for importers and the demo generator."""
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import shapely
from psycopg import sql
from sqlalchemy import text
from sqlalchemy.orm import Session

SRID = 4326


def ewkb_hex(geometries) -> np.ndarray:
    """Hex EWKB with SRID 4326, the text form COPY accepts for geometry columns."""
    with_srid = shapely.set_srid(np.asarray(geometries, dtype=object), SRID)
    return shapely.to_wkb(with_srid, hex=True, include_srid=True)


def copy_rows(session: Session, table: str, columns: Sequence[str], rows: Iterable) -> None:
    """COPY ROWS into TABLE(COLUMNS) inside the session's transaction."""
    raw = session.connection().connection.driver_connection
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with raw.cursor() as cur, cur.copy(statement) as copy:
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
