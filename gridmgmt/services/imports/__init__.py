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
from geodata.reading import DEFAULT_MAX_MB
from gridmgmt.services.accounts.actors import Actor, record
from gridmgmt.services.imports.staging import Progress
from gridmgmt.services.imports.steps import FileOptions, layer_of, stage_file, write
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
) -> ImportResult:
    """Import PATH into LAYER_NAME in one transaction, audited as ACTOR's (under FILE_NAME, default PATH's
    name); raises ImportRejected and writes nothing (no audit row either) on any error. PROGRESS wraps the
    rows as they are staged."""
    layer = layer_of(layer_name)
    options = FileOptions(township, crs, encoding, update, fix_geometry, max_mb)
    try:
        prepared, checked = stage_file(session, layer, Path(path), options, progress)
        if checked.errors:
            raise ImportRejected(checked.errors)
        write(session, checked, update)
        result = ImportResult(layer.name, len(prepared) - checked.existing, checked.existing, prepared.ignored)
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
