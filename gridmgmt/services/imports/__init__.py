"""Import a GIS, CSV or Excel file into one layer: all rows or none, with every error reported.

Commands: import_layer (here), demo (generate and load the demo township or county).
Queries: preview.preview_layer (the same steps as import_layer, rolled back: the dry run of the 数据导入 page).
The steps of an import (steps.py), each set-based in PostGIS over a TEMP stage: tables (Core tables),
places (points located in villages and groups in Python, before staging), staging (COPY in, geometry and code
checks), links (villages, groups, codes), writing (INSERT … SELECT, upsert); direct: a households file known
clean skips the stage and is COPYed straight into the table.
"""

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from geodata.errors import ImportRejected
from geodata.layers import Layer
from geodata.reading import BATCH_ROWS, DEFAULT_MAX_MB
from gridmgmt.services.accounts.actors import Actor, record
from gridmgmt.services.imports.staging import Progress
from gridmgmt.services.imports.steps import FileOptions, layer_of, stage_file, stream_file, write
from gridmgmt.services.imports.writing import ConcurrentChange

__all__ = ["ConcurrentChange", "ImportResult", "import_layer"]


@dataclass
class ImportResult:
    """What an import wrote."""

    layer: str
    inserted: int
    updated: int
    ignored_columns: list[str] = field(default_factory=list)
    road_vertices: int | None = None


def import_layer(
    session: Session,
    layer_name: str,
    path: Path,
    *,
    actor: Actor,
    township: str | None = None,
    crs: str | None = None,
    encoding: str | None = None,
    update: bool = False,
    fix_geometry: bool = False,
    max_mb: int = DEFAULT_MAX_MB,
    progress: Progress | None = None,
    file_name: str | None = None,
    batch_rows: int = BATCH_ROWS,
) -> ImportResult:
    """Import PATH into LAYER_NAME in one transaction, audited as ACTOR's (under FILE_NAME, default PATH's
    name); raises ImportRejected and writes nothing (no audit row either) on any error. PROGRESS wraps the
    rows as they are written; a clean households file is streamed in batches of BATCH_ROWS rows."""
    layer = layer_of(layer_name)
    options = FileOptions(township, crs, encoding, update, fix_geometry, max_mb, batch_rows)
    try:
        result = _streamed(session, layer, Path(path), options, progress) or _staged(
            session, layer, Path(path), options, progress
        )
        if layer.name == "roads":
            # Imported here: the topology works on the ORM models, whose loading would cost every other
            # layer's import a quarter second of start-up.
            from gridmgmt.network.topology import build_topology

            result.road_vertices = build_topology(session)
        record(
            session,
            actor,
            "import_layer",
            target=file_name or Path(path).name,
            detail={
                "layer": layer.name,
                "township": township,
                "update": update,
                "inserted": result.inserted,
                "updated": result.updated,
            },
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return result


def _streamed(session: Session, layer: Layer, path: Path, options: FileOptions, progress) -> ImportResult | None:
    """A clean households file streamed straight into its table (streaming.py); None when it must be staged."""
    streamed = stream_file(session, layer, path, options, progress)
    return streamed and ImportResult(layer.name, streamed.rows, 0, streamed.ignored)


def _staged(session: Session, layer: Layer, path: Path, options: FileOptions, progress) -> ImportResult:
    """Stage and check the file whole, then write it; ImportRejected with every error."""
    prepared, checked = stage_file(session, layer, path, options, progress)
    if checked.errors:
        raise ImportRejected(checked.errors)
    write(session, checked, options.update)
    return ImportResult(layer.name, len(prepared) - checked.existing, checked.existing, prepared.ignored)
