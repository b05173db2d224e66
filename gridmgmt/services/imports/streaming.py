"""A clean households file streamed into its table: read in Arrow batches, each parsed, located and checked
in Python, then COPYed straight in while the next batch is read, so that the server writes while the client
reads (as ogr2ogr does) instead of each idling in turn.

Still all or nothing: the whole load runs under a savepoint. A batch the stage would report on (a row error,
a point outside every village, a text too long, a code repeated in the file) or a refusal of the database
(a code already stored, a trigger) rolls it back, and the file is then staged and checked whole (steps.py),
which reports every error as always. Only a file the direct path would take is streamed (direct.py).
"""

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pyarrow as pa
from sqlalchemy import exists, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import TableClause

from geodata.errors import ImportRejected
from geodata.layers import Layer
from geodata.prepare import prepare_source
from geodata.reading import Source, open_batches
from gridmgmt.db.bulk import copy_batches
from gridmgmt.services.imports.direct import DIRECT, clean_rows
from gridmgmt.services.imports.places import Places
from gridmgmt.services.imports.staging import Progress
from gridmgmt.services.imports.writing import bulk_load

if TYPE_CHECKING:  # steps.py imports this module
    from gridmgmt.services.imports.steps import FileOptions


class _Unclean(Exception):
    """A batch the stage would report on: the streamed load is rolled back and the file staged."""


@dataclass
class Streamed:
    """What a streamed load wrote: its ROWS, and the file's columns no field recognised (IGNORED)."""

    rows: int
    ignored: list[str]


@dataclass
class _Batches:
    """The clean Arrow rows of a file's SOURCES, batch by batch, as LAYER for TARGET located in PLACES."""

    layer: Layer
    target: TableClause
    places: Places
    crs: str | None
    ignored: list[str] | None = None
    sent: deque = field(default_factory=deque)

    def rows(self, sources: Iterator[Source]) -> Iterator[pa.Table]:
        """Each batch's rows, their codes queued in SENT; _Unclean at the first batch the stage would report on."""
        for source in sources:
            prepared = prepare_source(source, self.layer, self.crs)
            xy = prepared.xy()
            located = self.places.locate(xy) if xy is not None else None
            rows = clean_rows(prepared, self.target, located)
            if rows is None:
                raise _Unclean
            self.ignored = prepared.ignored
            self.sent.extend(prepared.values["code"])
            yield rows

    def shown(self, total: int) -> Iterator[tuple[str]]:
        """Each of TOTAL rows as (code,) once its batch is made: what a progress display wraps."""
        for _ in range(total):
            yield (self.sent.popleft() if self.sent else None,)


def stream_load(
    session: Session,
    layer: Layer,
    path: Path,
    tables: dict[str, TableClause],
    township_id: int | None,
    options: "FileOptions",
    progress: Progress | None,
) -> Streamed | None:
    """Stream PATH into LAYER's table when it is clean (see the module), in batches of OPTIONS.batch_rows
    rows; None, with nothing written, when the file must be staged instead."""
    target = tables[layer.table]
    if layer.name not in DIRECT or (options.update and session.scalar(select(exists(select(target.c.code))))):
        return None
    try:
        with open_batches(path, options.encoding, options.max_mb, options.batch_rows) as opened:
            if opened is None or opened[0] <= 0:
                return None
            total, sources = opened
            batches = _Batches(layer, target, Places.load(session, tables, township_id, True), options.crs)
            shown = iter(progress(batches.shown(total), total)) if progress else None
            savepoint = session.begin_nested()
            try:
                with bulk_load(session, target, total, update=False):
                    copy_batches(session, target.name, batches.rows(sources), shown)
            except (_Unclean, ImportRejected, psycopg.Error, DBAPIError):
                savepoint.rollback()
                return None
            savepoint.commit()
    except ImportRejected:
        return None  # the stage reads the file again and says what is wrong with it
    return Streamed(total, batches.ignored or [])
