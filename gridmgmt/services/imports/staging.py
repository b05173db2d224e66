"""The TEMP staging table: COPY the parsed rows in, then check geometry and codes set-based."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import shapely
from psycopg import sql
from sqlalchemy import Table, case, func, not_, or_, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateTable
from sqlalchemy.sql.expression import TableClause

from geodata.errors import RowError
from geodata.prepare import Prepared
from gridmgmt.db.bulk import SRID, copy_rows, run
from gridmgmt.services.imports.tables import Geometry, stage_table

# Wraps the rows being written with a progress display, given their number.
Progress = Callable[[Iterable, int], Iterable]
# What ST_MakeValid output becomes for each layer kind, and the types the table accepts.
_POLYGONS, _LINES = 3, 2
_TYPES = {
    "polygon": ("ST_MultiPolygon",),
    "any": ("ST_Point", "ST_Polygon", "ST_MultiPolygon"),
    "line": ("ST_LineString",),
    "line_or_polygon": ("ST_LineString", "ST_MultiLineString", "ST_MultiPolygon"),
    "point": ("ST_Point",),
}
_SRID_BYTES = SRID.to_bytes(4, "little")


@dataclass
class Stage:
    """One import's staging TABLE holding PREPARED, and the database's TABLES (by name) it is checked against."""

    prepared: Prepared
    table: Table
    tables: dict[str, TableClause]

    @property
    def target(self) -> TableClause:
        """The table the import writes."""
        return self.tables[self.prepared.layer.table]


def ewkb(geoms) -> list[bytes | None]:
    """EWKB with SRID 4326 of 2D GEOMS (None stays None), as binary COPY takes it.

    Splices the SRID into little-endian WKB: the type's high byte gets the SRID flag (0x20) and
    the SRID follows it. Twice as fast as shapely.set_srid + to_wkb(include_srid=True).
    """
    return [
        None if wkb is None else wkb[:4] + bytes([wkb[4] | 0x20]) + _SRID_BYTES + wkb[5:]
        for wkb in shapely.to_wkb(geoms, byte_order=1)
    ]


def _copy_type(column) -> str:
    """The type binary COPY sends COLUMN as: geometries go as their EWKB bytes, which geometry's binary input takes."""
    return "bytea" if isinstance(column.type, Geometry) else column.type.compile(dialect=postgresql.dialect()).lower()


def create_stage(
    session: Session,
    prepared: Prepared,
    tables: dict[str, TableClause],
    progress: Progress | None = None,
    places: dict[str, list] | None = None,
) -> Stage:
    """CREATE the TEMP staging table for PREPARED and COPY its rows in (row = record number), with the
    PLACES located in Python (column -> values)."""
    stage = Stage(prepared, stage_table(prepared), tables)
    s = stage.table
    session.execute(CreateTable(s))
    columns = prepared.stored_columns()
    names, values = ["row", *columns], [range(1, len(prepared) + 1), *(prepared.values[c].to_numpy() for c in columns)]
    for name, located in (places or {}).items():
        names.append(name)
        values.append(located)
    for name, geoms in (("geom", prepared.geoms), ("seat", prepared.seats)):
        if geoms is not None:
            names.append(name)
            values.append(ewkb(geoms))
    rows = zip(*values)
    copy_rows(
        session, s.name, names, progress(rows, len(prepared)) if progress else rows, [_copy_type(s.c[n]) for n in names]
    )
    # Statistics for the join columns, and village_id, from which locating estimates the rows still
    # to locate; geometry and text statistics would cost five times more.
    analyze(session, s.name, ["row", "code", "village_id"])
    # The versions of the rows the file already holds, as read now: --update writes a row only if
    # nobody changed it in between (writing.upsert), so two concurrent imports cannot overwrite each other.
    t = stage.target
    session.execute(update(s).values(seen_version=t.c.version).where(t.c.code == s.c.code))
    return stage


def analyze(session: Session, table_name: str, columns: list[str] | None = None) -> None:
    """ANALYZE TABLE_NAME (only COLUMNS when given): the planner's row counts for what follows."""
    named = sql.SQL(" ({})").format(sql.SQL(", ").join(map(sql.Identifier, columns))) if columns else sql.SQL("")
    run(session, sql.SQL("ANALYZE {}{}").format(sql.Identifier(table_name), named))


def _repaired(kind: str, geom):
    """GEOM made valid and brought back to what a layer of KIND stores."""
    valid = func.ST_MakeValid(geom)
    if kind == "point":
        return valid
    lines = func.ST_LineMerge(func.ST_CollectionExtract(valid, _LINES))
    polygons = func.ST_CollectionExtract(valid, _POLYGONS)
    if kind == "line":
        return lines
    if kind == "line_or_polygon":  # a line stays a line, an area stays an area
        return case((func.ST_Dimension(geom) == 1, lines), else_=func.ST_Multi(polygons))
    return func.ST_Multi(polygons) if kind == "polygon" else polygons


def geometry_errors(session: Session, stage: Stage, fix: bool) -> list[RowError]:
    """Invalid geometries, with PostGIS's reason; with FIX, repair them first (ST_MakeValid)."""
    s, kind = stage.table, stage.prepared.layer.geom_kind
    if fix:
        session.execute(update(s).values(geom=_repaired(kind, s.c.geom)).where(not_(func.ST_IsValid(s.c.geom))))
    rows = session.execute(
        select(
            s.c.row, func.ST_IsValidReason(s.c.geom), func.ST_IsEmpty(s.c.geom), func.ST_GeometryType(s.c.geom)
        ).where(
            s.c.geom.isnot(None),
            or_(
                not_(func.ST_IsValid(s.c.geom)),
                func.ST_IsEmpty(s.c.geom),
                func.ST_GeometryType(s.c.geom).not_in(_TYPES[kind]),
            ),
        )
    ).all()
    errors = []
    for row, reason, empty, geom_type in rows:
        if empty:
            message = "修复后几何为空，无法保留"
        elif reason != "Valid Geometry":
            message = f"几何无效：{reason}" + ("" if fix else "（可加 --fix-geometry 自动修复）")
        else:
            message = f"修复后几何类型变为 {geom_type}，无法保存"
        errors.append(RowError(row, "几何", message))
    return errors


def existing_code_errors(session: Session, stage: Stage) -> list[RowError]:
    """A RowError for every code that the table already held when the stage was created."""
    s = stage.table
    rows = session.execute(select(s.c.row, s.c.code).where(s.c.seen_version.isnot(None)).order_by(s.c.row)).all()
    return [
        RowError(row, stage.prepared.headers["code"], f"编码“{code}”已存在于数据库（如需更新已有记录请加 --update）")
        for row, code in rows
    ]
