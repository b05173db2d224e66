"""The fast path of a clean households file: COPY its rows straight into the table, no stage.

Taken only when the checks the stage would run are known, in Python, to find nothing: no row error
from reading, every point valid and inside a village, no text too long, no code already stored.
Any doubt and the file goes through the stage (steps.check), which reports every error as always.
The rows go as one Arrow table, formatted as CSV in C batch by batch, not row by row in Python.
"""

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import ARRAY, Text, any_, exists, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import TableClause

from geodata.prepare import Prepared
from gridmgmt.db.bulk import copy_table, point_ewkb_hex
from gridmgmt.services.imports.places import NONE
from gridmgmt.services.imports.staging import Progress
from gridmgmt.services.imports.writing import bulk_load

# Layers whose clean files may skip the stage: located points that resolve no other code.
DIRECT = {"households"}
# The Arrow type each kind of field is sent as; the server casts its CSV text to the column's own type.
_TYPES = {
    "text": pa.string(),
    "enum": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
}


@dataclass
class Direct:
    """A clean file (PREPARED) to COPY into TARGET: its ROWS as an Arrow table of the target's columns in file
    order, and the PROGRESS display its codes are shown to."""

    prepared: Prepared
    target: TableClause
    rows: pa.Table
    progress: Progress | None


def _rows(prepared: Prepared, target: TableClause, xy: np.ndarray, places: dict[str, np.ndarray]) -> pa.Table:
    """PREPARED's stored columns the target has, its village and group, EWKB of its points XY and version 1."""
    columns = [c for c in prepared.stored_columns() if c in target.c]
    arrays = {c: pa.array(prepared.values[c].to_numpy(), _TYPES[prepared.layer.field(c).kind]) for c in columns}
    arrays["village_id"] = pa.array(places["place_village_id"], pa.int64())
    groups = places["place_group_id"]
    arrays["group_id"] = pa.array(groups, pa.int64(), mask=groups == NONE)
    arrays[prepared.layer.geom_column] = point_ewkb_hex(xy)
    arrays["version"] = pa.array(np.ones(len(prepared), dtype=np.int32))
    return pa.table(arrays)


def _too_long(rows: pa.Table, target: TableClause) -> bool:
    """Whether any text is longer than its column allows (length_errors would report it)."""
    for name in rows.column_names:
        limit = getattr(target.c[name].type, "length", None)
        if limit and pa.types.is_string(rows[name].type) and (pc.max(pc.utf8_length(rows[name])).as_py() or 0) > limit:
            return True
    return False


def _codes_stored(session: Session, prepared: Prepared, target: TableClause) -> bool:
    """Whether any of the file's codes is already in TARGET (an empty table needs no look-up)."""
    if not session.scalar(select(exists(select(target.c.code)))):
        return False
    codes = literal(prepared.values["code"].tolist(), ARRAY(Text))
    return session.scalar(select(exists().where(target.c.code == any_(codes))))


def clean_rows(prepared: Prepared, target: TableClause, places: dict[str, np.ndarray] | None) -> pa.Table | None:
    """PREPARED's rows for TARGET as an Arrow table when nothing but a code already stored could make the
    stage report an error (see the module), else None."""
    if prepared.layer.name not in DIRECT or prepared.errors or places is None:
        return None
    # A point layer's rows without errors have points of finite coordinates, or none (NaN) when missing.
    xy = prepared.xy()
    if xy is None or not np.isfinite(xy).all() or np.any(places["place_village_id"] == NONE):
        return None
    rows = _rows(prepared, target, xy, places)
    return None if _too_long(rows, target) else rows


def direct(
    session: Session,
    prepared: Prepared,
    target: TableClause,
    places: dict[str, np.ndarray] | None,
    progress: Progress | None,
) -> Direct | None:
    """A Direct load of PREPARED when it is clean (see the module), else None: stage it."""
    rows = clean_rows(prepared, target, places)
    if rows is None or _codes_stored(session, prepared, target):
        return None
    return Direct(prepared, target, rows, progress)


def copy_direct(session: Session, load: Direct) -> None:
    """COPY the clean rows into the target in file order (ids follow it), indexes rebuilt once when large.

    PROGRESS sees each row as (code,) when its batch is sent."""
    n = len(load.prepared)
    codes = zip(load.prepared.values["code"])
    shown = iter(load.progress(codes, n)) if load.progress else None
    with bulk_load(session, load.target, n, update=False):
        copy_table(session, load.target.name, load.rows, shown)
