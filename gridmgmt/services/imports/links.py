"""Set-based lookups that tie staged rows to villages, groups and other rows, in PostGIS."""
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from geodata.errors import RowError
from geodata.prepare import Prepared
from gridmgmt.services.imports.staging import STAGE

# Located rows: (row, village_id, township_id[, group_id]); and, for rows that are not points,
# the point each row is located by.
PLACE = "import_place"
SPOT = "import_spot"

# code column -> (id column it fills, table, which rows belong to township {t}, Chinese name)
REFERENCES = {
    "village_code": ("village_id", "village", "t.township_id = {t}", "行政村"),
    "household_code": ("household_id", "household",
                       "t.village_id IN (SELECT id FROM village WHERE township_id = {t})", "农户"),
    "org_code": ("party_org_id", "party_org", "t.township_id = {t}", "党组织"),
    "party_org_code": ("party_org_id", "party_org", "t.township_id = {t}", "党组织"),
    "party_member_code": ("party_member_id", "party_member",
                          "t.party_org_id IN (SELECT id FROM party_org WHERE township_id = {t})", "党员"),
}
# Layers whose rows must lie in a village of the township.
LOCATED = {"groups", "households", "economic_orgs", "party_orgs"}
# Located layers that may be imported without --township: each row's township is then its village's.
ANY_TOWNSHIP = {"groups", "households", "economic_orgs"}


@dataclass
class Township:
    """The township named by --township."""

    id: int
    code: str
    name: str


def _errors(session: Session, sql: str, params: dict, field: str, message: str) -> list[RowError]:
    """RowErrors for the rows SQL returns as (row, value); MESSAGE may use {value}."""
    return [RowError(row, field, message.format(value=value))
            for row, value in session.execute(text(sql), params).all()]


def resolve_codes(session: Session, prepared: Prepared, township: Township | None) -> tuple[list[RowError], set[str]]:
    """Fill id columns from *_code columns; a code not found in the row's township is an error."""
    errors, filled = [], set()
    # Without --township a row belongs to the township of the village it was located in.
    scope, place, where = ((":t", "", f"乡镇「{township.name}」") if township else
                           ("p.township_id", f", {PLACE} p", "所在乡镇"))
    for code, (id_column, table, belongs, label) in REFERENCES.items():
        if code not in prepared.stored_columns():
            continue
        params = {"t": township and township.id}
        session.execute(text(
            f"UPDATE {STAGE} s SET {id_column} = t.id FROM {table} t{place} "
            f"WHERE t.code = s.{code} AND {belongs.format(t=scope)}{place and ' AND p.row = s.row'}"
        ), params)
        errors += _errors(session, f"SELECT row, {code} FROM {STAGE} WHERE {code} IS NOT NULL "
                          f"AND {id_column} IS NULL ORDER BY row", params, prepared.headers[code],
                          f"{label}编码「{{value}}」在{where}中不存在")
        filled.add(id_column)
    return errors, filled


# A household's group: the polygon group of its village covering it, else its village's nearest point group.
# Polygon groups are matched per (row, village) by aggregation, then joined to the row's village:
# cheaper than first joining every probe hit to village_of and de-duplicating by a sort.
_GROUP_OF = """
    , polygon_group AS (
        SELECT s.row, g.village_id, min(g.id) AS id FROM village_group g
        JOIN {spot} s ON ST_Covers(g.geom, s.geom)
        WHERE ST_Dimension(g.geom) = 2 GROUP BY s.row, g.village_id)
    SELECT w.*, COALESCE(pg.id, (
        SELECT g.id FROM village_group g WHERE g.village_id = w.village_id AND ST_Dimension(g.geom) = 0
        ORDER BY g.geom <-> s.geom, g.id LIMIT 1)) AS group_id
    FROM village_of w JOIN {spot} s USING (row)
    LEFT JOIN polygon_group pg ON pg.row = w.row AND pg.village_id = w.village_id"""


def _spot(session: Session, points: bool) -> str:
    """A FROM item with one point per row still to locate, GiST-indexed and analysed.

    POINTS (a point layer) are indexed in the stage itself, whose village_id statistics tell how
    many rows are left; other geometries get an analysed table of ST_PointOnSurface first. Without
    those row counts the planner would probe the village index once per point, ten times slower
    than probing the point index once per polygon.
    """
    if points:
        session.execute(text(f"CREATE INDEX ON {STAGE} USING gist (geom)"))
        return f"(SELECT row, geom FROM {STAGE} WHERE geom IS NOT NULL AND village_id IS NULL)"
    session.execute(text(f"CREATE TEMP TABLE {SPOT} ON COMMIT DROP AS SELECT row, ST_PointOnSurface(geom) AS geom "
                         f"FROM {STAGE} WHERE geom IS NOT NULL AND village_id IS NULL"))
    session.execute(text(f"CREATE INDEX ON {SPOT} USING gist (geom)"))
    session.execute(text(f"ANALYZE {SPOT}"))
    return SPOT


def locate(session: Session, township: Township | None, groups: bool, points: bool) -> list[RowError]:
    """Fill PLACE with the village (by ST_Covers) of every located row still without one; none is an error.

    With GROUPS, PLACE also gets each row's village group. POINTS: the layer's geometries are points.
    """
    # Each village or group polygon probes the indexed points: it stays prepared across its points.
    spot = _spot(session, points)
    scope = "WHERE v.township_id = :t" if township else ""
    session.execute(text(f"""
        CREATE TEMP TABLE {PLACE} ON COMMIT DROP AS WITH village_of AS (
            SELECT DISTINCT ON (s.row) s.row, v.id AS village_id, v.township_id
            FROM village v JOIN {spot} s ON ST_Covers(v.geom, s.geom) {scope} ORDER BY s.row, v.id)
        {_GROUP_OF.format(spot=spot) if groups else "SELECT * FROM village_of"}"""), {"t": township and township.id})
    where = f"乡镇「{township.name}」的" if township else ""
    return _errors(session, f"SELECT s.row, ST_AsText(s.geom) FROM {spot} s "
                   f"WHERE NOT EXISTS (SELECT 1 FROM {PLACE} p WHERE p.row = s.row) ORDER BY s.row", {},
                   "几何", f"位置 {{value}} 不在{where}任何行政村内")


def villages_in_township(session: Session, township: Township) -> list[RowError]:
    """Villages must overlap their township's boundary."""
    return _errors(session, f"SELECT s.row, s.code FROM {STAGE} s, township t WHERE t.id = :t "
                   "AND s.geom IS NOT NULL AND NOT ST_Intersects(t.geom, s.geom) ORDER BY s.row",
                   {"t": township.id}, "几何", f"行政村「{{value}}」不在乡镇「{township.name}」范围内")


def parent_errors(session: Session, prepared: Prepared, township: Township) -> list[RowError]:
    """Every parent_code must be another org of the file or of the township."""
    return _errors(session, f"""
        SELECT s.row, s.parent_code FROM {STAGE} s WHERE s.parent_code IS NOT NULL AND (
            s.parent_code = s.code OR (
                NOT EXISTS (SELECT 1 FROM {STAGE} p WHERE p.code = s.parent_code) AND
                NOT EXISTS (SELECT 1 FROM party_org p WHERE p.code = s.parent_code AND p.township_id = :t)))
        ORDER BY s.row""", {"t": township.id}, prepared.headers["parent_code"],
        "上级组织编码「{value}」不存在（文件和数据库中都没有），或指向自身")


def cadre_homes(session: Session) -> list[RowError]:
    """A cadre's home is its point, else its household's; one of the two is required."""
    session.execute(text(f"UPDATE {STAGE} s SET geom = h.geom FROM household h "
                         "WHERE s.geom IS NULL AND h.id = s.household_id"))
    return _errors(session, f"SELECT row, code FROM {STAGE} WHERE geom IS NULL AND household_id IS NULL "
                   "ORDER BY row", {}, "几何", "干部「{value}」需要住址经纬度或户编码")


def located(prepared: Prepared) -> bool:
    """Whether PREPARED's rows get their village (and township, group) from PLACE."""
    return prepared.layer.name in LOCATED and prepared.geoms is not None


def link(session: Session, prepared: Prepared, township: Township | None) -> tuple[list[RowError], set[str]]:
    """All lookups of PREPARED's layer; returns the errors and the id columns filled in the stage."""
    name = prepared.layer.name
    if name == "townships":
        return [], set()
    errors, points = [], prepared.layer.geom_kind == "point"
    if located(prepared) and township is None:
        # The rows' townships come from their villages, so codes are resolved after locating.
        errors += locate(session, None, name == "households", points)
    code_errors, filled = resolve_codes(session, prepared, township)
    errors += code_errors
    if name == "villages":
        errors += villages_in_township(session, township)
    if located(prepared) and township is not None:
        errors += locate(session, township, name == "households", points)
    if name == "party_orgs" and "parent_code" in prepared.stored_columns():
        errors += parent_errors(session, prepared, township)
    if name == "cadres":
        errors += cadre_homes(session)
    return errors, filled
