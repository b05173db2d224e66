"""The TEMP staging table: COPY the parsed rows in, then check geometry and codes set-based."""
import shapely
from sqlalchemy import text
from sqlalchemy.orm import Session
from tqdm import tqdm

from geodata.errors import RowError
from geodata.prepare import Prepared
from gridmgmt.db.bulk import SRID, copy_rows

STAGE = "import_stage"
SQL_TYPES = {"text": "text", "enum": "text", "int": "bigint", "float": "double precision",
             "bool": "boolean", "date": "date"}
# Resolved foreign keys, filled by the checks in links.py.
ID_COLUMNS = ("village_id", "group_id", "household_id", "party_org_id", "party_member_id")
# What ST_MakeValid output becomes for each layer kind, and the types the table accepts.
_REPAIR = {
    "polygon": "ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3))",
    "any": "ST_CollectionExtract(ST_MakeValid(geom), 3)",
    "line": "ST_LineMerge(ST_CollectionExtract(ST_MakeValid(geom), 2))",
    "point": "ST_MakeValid(geom)",
}
_TYPES = {
    "polygon": "('ST_MultiPolygon')",
    "any": "('ST_Point', 'ST_Polygon', 'ST_MultiPolygon')",
    "line": "('ST_LineString')",
    "point": "('ST_Point')",
}
PROGRESS_MIN_ROWS = 5000
_SRID_BYTES = SRID.to_bytes(4, "little")


def ewkb(geoms) -> list[bytes | None]:
    """EWKB with SRID 4326 of 2D GEOMS (None stays None), as binary COPY takes it.

    Splices the SRID into little-endian WKB: the type's high byte gets the SRID flag (0x20) and
    the SRID follows it. Twice as fast as shapely.set_srid + to_wkb(include_srid=True).
    """
    return [None if wkb is None else wkb[:4] + bytes([wkb[4] | 0x20]) + _SRID_BYTES + wkb[5:]
            for wkb in shapely.to_wkb(geoms, byte_order=1)]


def create_stage(session: Session, prepared: Prepared, progress: bool = False) -> None:
    """CREATE the TEMP staging table for PREPARED and COPY its rows in (row = record number)."""
    columns = prepared.stored_columns()
    types = [SQL_TYPES[prepared.layer.field(c).kind] for c in columns]
    defs = [f"{c} {t}" for c, t in zip(columns, types)]
    defs += [f"{c} bigint" for c in ID_COLUMNS]
    session.execute(text(
        f"CREATE TEMP TABLE {STAGE} (row integer NOT NULL, {', '.join(defs)}, "
        "geom geometry(Geometry, 4326), seat geometry(Point, 4326), seen_version integer) ON COMMIT DROP"
    ))
    values = [prepared.values[c].to_numpy() for c in columns]
    names, types = ["row", *columns], ["integer", *types]
    for name, geoms in (("geom", prepared.geoms), ("seat", prepared.seats)):
        if geoms is not None:
            names.append(name)
            types.append("bytea")  # binary COPY hands the EWKB bytes to geometry's binary input as they are
            values.append(ewkb(geoms))
    rows = zip(range(1, len(prepared) + 1), *values)
    bar = tqdm(rows, total=len(prepared), desc="写入暂存表", unit="条", leave=False,
               disable=not progress or len(prepared) <= PROGRESS_MIN_ROWS)
    copy_rows(session, STAGE, names, bar, types)
    # Statistics for the join columns, and village_id, from which locating estimates the rows still
    # to locate; geometry and text statistics would cost five times more.
    session.execute(text(f"ANALYZE {STAGE} (row, code, village_id)"))
    # The versions of the rows the file already holds, as read now: --update writes a row only if
    # nobody changed it in between (writing.upsert), so two concurrent imports cannot overwrite each other.
    session.execute(text(f"UPDATE {STAGE} s SET seen_version = t.version FROM {prepared.layer.table} t "
                         "WHERE t.code = s.code"))


def geometry_errors(session: Session, kind: str, fix: bool) -> list[RowError]:
    """Invalid geometries, with PostGIS's reason; with FIX, repair them first (ST_MakeValid)."""
    if fix:
        session.execute(text(f"UPDATE {STAGE} SET geom = {_REPAIR[kind]} WHERE NOT ST_IsValid(geom)"))
    rows = session.execute(text(
        f"SELECT row, ST_IsValidReason(geom), ST_IsEmpty(geom), ST_GeometryType(geom) FROM {STAGE} "
        f"WHERE geom IS NOT NULL AND (NOT ST_IsValid(geom) OR ST_IsEmpty(geom) "
        f"OR ST_GeometryType(geom) NOT IN {_TYPES[kind]})"
    )).all()
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


def existing_code_errors(session: Session, header: str) -> list[RowError]:
    """A RowError for every code that the table already held when the stage was created."""
    rows = session.execute(text(
        f"SELECT row, code FROM {STAGE} WHERE seen_version IS NOT NULL ORDER BY row"
    )).all()
    return [RowError(row, header, f"编码「{code}」已存在于数据库（如需更新已有记录请加 --update）")
            for row, code in rows]
