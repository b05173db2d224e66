"""The steps every import takes, shared by the import itself and its dry run: find the township, stage and
check the rows, write them."""

from dataclasses import dataclass, field

import psycopg
from psycopg.errors import UniqueViolation
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import TableClause

from geodata.errors import ImportRejected, RowError
from geodata.layers import LAYERS, Layer
from geodata.prepare import Prepared, prepare
from geodata.reading import BATCH_ROWS, DEFAULT_MAX_MB
from gridmgmt.services.imports.direct import Direct, copy_direct, direct
from gridmgmt.services.imports.links import ANY_TOWNSHIP, LOCATED, Township, link
from gridmgmt.services.imports.places import locate_points, nullable
from gridmgmt.services.imports.staging import Progress, Stage, create_stage, existing_code_errors, geometry_errors
from gridmgmt.services.imports.streaming import Streamed, stream_load
from gridmgmt.services.imports.tables import LOOKUPS, catalog
from gridmgmt.services.imports.writing import ConcurrentChange, length_errors, link_parents, upsert


@dataclass(frozen=True)
class FileOptions:
    """How to take a file: its TOWNSHIP (code), CRS and text ENCODING (None: the file's own); whether to UPDATE
    rows whose code exists and to repair invalid geometries (FIX_GEOMETRY); the size limit MAX_MB; the rows
    per batch (BATCH_ROWS) when a clean file is streamed (streaming.py)."""

    township: str | None = None
    crs: str | None = None
    encoding: str | None = None
    update: bool = False
    fix_geometry: bool = False
    max_mb: int = DEFAULT_MAX_MB
    batch_rows: int = BATCH_ROWS


@dataclass
class Checked:
    """A staged file after every check: its ERRORS (none: it may be written), and how many rows exist already.

    A clean file of a DIRECT layer is not staged (STAGE None): it is copied straight in (direct.py).
    """

    stage: Stage | None
    township: Township | None
    id_columns: set[str]
    existing: int
    errors: list[RowError] = field(default_factory=list)
    direct: Direct | None = None


def layer_of(name: str) -> Layer:
    """The layer called NAME; ImportRejected when there is none."""
    layer = LAYERS.get(name)
    if layer is None:
        raise ImportRejected.one(f"未知图层“{name}”，可选：{'、'.join(LAYERS)}", "layer")
    return layer


def tables_for(session: Session, layer: Layer) -> dict[str, TableClause]:
    """The tables an import of LAYER reads and writes, as the catalog lists them."""
    return catalog(session, {*LOOKUPS, layer.table})


def township_of(session: Session, townships: TableClause, layer: Layer, code: str | None) -> Township | None:
    """The township CODE names, None when LAYER needs none; ImportRejected when it is missing or unknown."""
    if not layer.needs_township or (not code and layer.name in ANY_TOWNSHIP):
        return None
    if not code:
        raise ImportRejected.one(f"导入“{layer.label}”需要用 --township 指明所属乡镇编码", "township")
    t = townships
    row = session.execute(select(t.c.id, t.c.code, t.c.name).where(t.c.code == code)).first()
    if row is None:
        raise ImportRejected.one(f"乡镇编码“{code}”不存在：请先导入乡镇（townships）", "township")
    return Township(*row)


def check(
    session: Session,
    prepared: Prepared,
    tables: dict[str, TableClause],
    township: Township | None,
    update: bool,
    fix_geometry: bool,
    progress: Progress | None,
) -> Checked:
    """Stage PREPARED's rows and run every check over them in PostGIS; errors are collected, not raised.

    Points are located first, in Python; a file then known clean is not staged (direct.py)."""
    # Each statement runs once over the staged rows: compiling it (JIT) costs more than it saves.
    session.execute(select(func.set_config("jit", "off", True)))
    located = None
    xy = prepared.xy() if prepared.layer.name in LOCATED and prepared.layer.geom_kind == "point" else None
    if xy is not None:
        groups = prepared.layer.name == "households"
        located = locate_points(session, tables, xy, township and township.id, groups)
    clean = direct(session, prepared, tables[prepared.layer.table], located, progress)
    if clean:
        return Checked(None, township, set(), 0, direct=clean)
    stage = create_stage(session, prepared, tables, progress, located and nullable(located))
    errors = list(prepared.errors) + length_errors(session, stage)
    if prepared.layer.geom_column:
        errors += geometry_errors(session, stage, fix_geometry)
    existing = existing_code_errors(session, stage)
    if not update:
        errors += existing
    link_errors, id_columns = link(session, stage, township)
    return Checked(stage, township, id_columns, len(existing), errors + link_errors)


def write(session: Session, checked: Checked, update: bool) -> None:
    """Write the checked rows (upsert with UPDATE); ImportRejected when the database refuses them."""
    stage = checked.stage
    prepared = checked.direct.prepared if checked.direct else stage.prepared
    try:
        if checked.direct:
            copy_direct(session, checked.direct)
        else:
            upsert(session, stage, checked.id_columns, checked.township and checked.township.id, update)
    except (DBAPIError, psycopg.Error) as exc:
        # COPY runs on the driver's connection: its errors come unwrapped.
        orig = exc.orig if isinstance(exc, DBAPIError) else exc
        if isinstance(orig, UniqueViolation):  # codes are checked above: another import wrote one since
            raise ConcurrentChange(
                [
                    RowError(
                        None,
                        prepared.headers["code"],
                        f"另一次同时进行的导入已写入相同编码（{orig.diag.message_detail}）",
                    )
                ]
            ) from exc
        # A constraint the checks did not foresee. Only the primary message: the DETAIL and a COPY's CONTEXT
        # quote the whole row, sensitive flags included.
        raise ImportRejected.one(f"数据库拒绝写入：{orig.diag.message_primary or orig}") from exc
    if prepared.layer.name == "party_orgs" and "parent_code" in prepared.stored_columns():
        link_parents(session, stage)


def stage_file(
    session: Session, layer: Layer, path, options: FileOptions, progress: Progress | None
) -> tuple[Prepared, Checked]:
    """Read PATH as LAYER, stage it and check it; ImportRejected for a file-level problem (unreadable, no
    township, a required column missing), row errors in Checked.errors."""
    tables = tables_for(session, layer)
    target = township_of(session, tables["township"], layer, options.township)
    prepared = prepare(path, layer, options.crs, options.encoding, options.max_mb)
    return prepared, check(session, prepared, tables, target, options.update, options.fix_geometry, progress)


def stream_file(
    session: Session, layer: Layer, path, options: FileOptions, progress: Progress | None
) -> Streamed | None:
    """Stream PATH as LAYER straight into its table when it is clean (streaming.py); None, nothing written,
    when it must be staged. ImportRejected when the township is missing or unknown."""
    tables = tables_for(session, layer)
    target = township_of(session, tables["township"], layer, options.township)
    return stream_load(session, layer, path, tables, target and target.id, options, progress)
