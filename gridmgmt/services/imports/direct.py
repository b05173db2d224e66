"""The fast path of a clean households file: COPY its rows straight into the table, no stage.

Taken only when the checks the stage would run are known, in Python, to find nothing: no row error
from reading, every point valid and inside a village, no text too long, no code already stored.
Any doubt and the file goes through the stage (steps.check), which reports every error as always.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import ARRAY, Text, any_, exists, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import TableClause

from geodata.prepare import Prepared
from gridmgmt.db.bulk import copy_rows
from gridmgmt.services.imports.staging import Progress, ewkb
from gridmgmt.services.imports.writing import bulk_load

# Layers whose clean files may skip the stage: located points that resolve no other code.
DIRECT = {"households"}
# What text COPY sends each kind of field as; the server casts it to the column's own type.
_TYPES = {"text": "text", "enum": "text", "int": "int8", "float": "float8", "bool": "bool", "date": "date"}
_POINT = 0


@dataclass
class Direct:
    """A clean file to COPY into TARGET: its rows, places (stage column -> values) and PROGRESS display."""

    prepared: Prepared
    target: TableClause
    places: dict[str, list]
    progress: Progress | None


def _too_long(prepared: Prepared, target: TableClause) -> bool:
    """Whether any text is longer than its column allows (length_errors would report it)."""
    for name in prepared.stored_columns():
        limit = getattr(target.c[name].type, "length", None) if name in target.c else None
        if limit and (pd.Series(prepared.values[name], dtype=object).dropna().map(len) > limit).any():
            return True
    return False


def _codes_stored(session: Session, prepared: Prepared, target: TableClause) -> bool:
    """Whether any of the file's codes is already in TARGET (an empty table needs no look-up)."""
    if not session.scalar(select(exists(select(target.c.code)))):
        return False
    codes = literal(prepared.values["code"].tolist(), ARRAY(Text))
    return session.scalar(select(exists().where(target.c.code == any_(codes))))


def direct(
    session: Session, prepared: Prepared, target: TableClause, places: dict[str, list] | None, progress: Progress | None
) -> Direct | None:
    """A Direct load of PREPARED when it is clean (see the module), else None: stage it."""
    geoms = prepared.geoms
    if prepared.layer.name not in DIRECT or prepared.errors or geoms is None or places is None:
        return None
    if any(v is None for v in places["place_village_id"]):
        return None
    if not np.all((shapely.get_type_id(geoms) == _POINT) & shapely.is_valid(geoms) & ~shapely.is_empty(geoms)):
        return None
    if _too_long(prepared, target) or _codes_stored(session, prepared, target):
        return None
    return Direct(prepared, target, places, progress)


def copy_direct(session: Session, load: Direct) -> None:
    """COPY the clean rows into the target in file order (ids follow it), indexes rebuilt once when large."""
    prepared, target = load.prepared, load.target
    columns = [c for c in prepared.stored_columns() if c in target.c]
    names = [*columns, "village_id", "group_id", prepared.layer.geom_column, "version"]
    values = [
        *(prepared.values[c].to_numpy() for c in columns),
        load.places["place_village_id"],
        load.places["place_group_id"],
        [wkb.hex() for wkb in ewkb(prepared.geoms)],
        [1] * len(prepared),
    ]
    types = [*(_TYPES[prepared.layer.field(c).kind] for c in columns), "int8", "int8", "text", "int4"]
    rows = zip(*values)
    with bulk_load(session, target, len(prepared), update=False):
        copy_rows(
            session,
            target.name,
            names,
            load.progress(rows, len(prepared)) if load.progress else rows,
            types,
            binary=False,
        )
