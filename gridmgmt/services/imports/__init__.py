"""Import a GIS or CSV file into one layer: all rows or none, with every error reported.

Commands: import_layer (here), demo (generate and load the demo township or county).
The steps of an import, each set-based in PostGIS over a TEMP stage: tables (Core tables), staging
(COPY in, geometry and code checks), links (villages, groups, codes), writing (INSERT … SELECT, upsert).
"""

from dataclasses import dataclass, field
from pathlib import Path

from psycopg.errors import UniqueViolation
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import TableClause

from geodata.errors import ImportRejected, RowError
from geodata.layers import LAYERS, Layer
from geodata.prepare import Prepared, prepare
from geodata.reading import DEFAULT_MAX_MB
from gridmgmt.services.accounts.actors import Actor, record
from gridmgmt.services.imports.links import ANY_TOWNSHIP, Township, link
from gridmgmt.services.imports.staging import Progress, create_stage, existing_code_errors, geometry_errors
from gridmgmt.services.imports.tables import LOOKUPS, catalog
from gridmgmt.services.imports.writing import ConcurrentChange, length_errors, link_parents, upsert

__all__ = ["ConcurrentChange", "ImportResult", "import_layer"]


@dataclass
class ImportResult:
    """What an import wrote."""

    layer: str
    inserted: int
    updated: int
    ignored_columns: list[str] = field(default_factory=list)
    road_vertices: int | None = None


def _township(session: Session, townships: TableClause, layer: Layer, code: str | None) -> Township | None:
    if not layer.needs_township or (not code and layer.name in ANY_TOWNSHIP):
        return None
    if not code:
        raise ImportRejected.one(f"导入「{layer.label}」需要用 --township 指明所属乡镇编码", "township")
    t = townships
    row = session.execute(select(t.c.id, t.c.code, t.c.name).where(t.c.code == code)).first()
    if row is None:
        raise ImportRejected.one(f"乡镇编码「{code}」不存在：请先导入乡镇（townships）", "township")
    return Township(*row)


def _check_and_write(
    session: Session,
    prepared: Prepared,
    tables: dict[str, TableClause],
    township: Township | None,
    update: bool,
    fix_geometry: bool,
    progress: Progress | None,
) -> ImportResult:
    layer = prepared.layer
    # Each statement runs once over the staged rows: compiling it (JIT) costs more than it saves.
    session.execute(select(func.set_config("jit", "off", True)))
    stage = create_stage(session, prepared, tables, progress)
    errors = list(prepared.errors) + length_errors(session, stage)
    if layer.geom_column:
        errors += geometry_errors(session, stage, fix_geometry)
    existing = existing_code_errors(session, stage)
    if not update:
        errors += existing
    link_errors, id_columns = link(session, stage, township)
    errors += link_errors
    if errors:
        raise ImportRejected(errors)
    try:
        upsert(session, stage, id_columns, township and township.id, update)
    except DBAPIError as exc:
        if isinstance(exc.orig, UniqueViolation):  # codes are checked above: another import wrote one since
            raise ConcurrentChange(
                [
                    RowError(
                        None,
                        prepared.headers["code"],
                        f"另一次同时进行的导入已写入相同编码（{exc.orig.diag.message_detail}）",
                    )
                ]
            ) from exc
        raise ImportRejected.one(f"数据库拒绝写入：{exc.orig}") from exc  # a constraint the checks did not foresee
    if layer.name == "party_orgs" and "parent_code" in prepared.stored_columns():
        link_parents(session, stage)
    result = ImportResult(layer.name, len(prepared) - len(existing), len(existing), prepared.ignored)
    if layer.name == "roads":
        # Imported here: the topology works on the ORM models, whose loading would cost every other
        # layer's import a quarter second of start-up.
        from gridmgmt.network.topology import build_topology

        result.road_vertices = build_topology(session)
    return result


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
) -> ImportResult:
    """Import PATH into LAYER_NAME in one transaction, audited as ACTOR's; raises ImportRejected and
    writes nothing (no audit row either) on any error. PROGRESS wraps the rows as they are written."""
    layer = LAYERS.get(layer_name)
    if layer is None:
        raise ImportRejected.one(f"未知图层「{layer_name}」，可选：{'、'.join(LAYERS)}", "layer")
    try:
        tables = catalog(session, {*LOOKUPS, layer.table})
        target = _township(session, tables["township"], layer, township)
        prepared = prepare(Path(path), layer, crs, encoding, max_mb)
        result = _check_and_write(session, prepared, tables, target, update, fix_geometry, progress)
        record(
            session,
            actor,
            "import_layer",
            target=Path(path).name,
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
