"""Set-based lookups that tie staged rows to villages, groups and other rows, in PostGIS."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, exists, func, not_, or_, select, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateIndex, CreateTable, Index
from sqlalchemy.sql.expression import FromClause, TableClause

from geodata.errors import RowError
from gridmgmt.services.imports.staging import Stage, analyze
from gridmgmt.services.imports.tables import PLACE, SPOT

# code column -> (id column it fills, table, how its rows belong to a township, Chinese name); rows
# belong by their own township_id or, given (key, parent table), by their parent's.
REFERENCES: dict[str, tuple[str, str, tuple[str, str] | None, str]] = {
    "village_code": ("village_id", "village", None, "行政村"),
    "household_code": ("household_id", "household", ("village_id", "village"), "农户"),
    "org_code": ("party_org_id", "party_org", None, "党组织"),
    "party_org_code": ("party_org_id", "party_org", None, "党组织"),
    "party_member_code": ("party_member_id", "party_member", ("party_org_id", "party_org"), "党员"),
    "cadre_code": ("cadre_id", "cadre", None, "干部"),
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


def _errors(session: Session, rows: Select, field: str, message: str) -> list[RowError]:
    """RowErrors for the (row, value) pairs ROWS returns; MESSAGE may use {value}."""
    return [RowError(row, field, message.format(value=value)) for row, value in session.execute(rows).all()]


def _in_township(
    stage: Stage, t: TableClause, through: tuple[str, str] | None, town: int | ColumnElement
) -> ColumnElement:
    """WHERE clause: the row of T belongs to township TOWN (an id or a column), itself or THROUGH its parent."""
    if through is None:
        return t.c.township_id == town
    key, parent = through
    p = stage.tables[parent]
    return t.c[key].in_(select(p.c.id).where(p.c.township_id == town))


def resolve_codes(session: Session, stage: Stage, township: Township | None) -> tuple[list[RowError], set[str]]:
    """Fill id columns from *_code columns; a code not found in the row's township is an error."""
    s, prepared, errors, filled = stage.table, stage.prepared, [], set()
    # Without --township a row belongs to the township of the village it was located in.
    town, where = (township.id, f"乡镇“{township.name}”") if township else (PLACE.c.township_id, "所在乡镇")
    for code, (id_column, name, through, label) in REFERENCES.items():
        if code not in prepared.stored_columns():
            continue
        t = stage.tables[name]
        filling = (
            update(s).values({id_column: t.c.id}).where(t.c.code == s.c[code], _in_township(stage, t, through, town))
        )
        session.execute(filling if township else filling.where(PLACE.c.row == s.c.row))
        errors += _errors(
            session,
            select(s.c.row, s.c[code]).where(s.c[code].isnot(None), s.c[id_column].is_(None)).order_by(s.c.row),
            prepared.headers[code],
            f"{label}编码“{{value}}”在{where}中不存在",
        )
        filled.add(id_column)
    return errors, filled


def _spot(session: Session, stage: Stage) -> FromClause:
    """A table with one point (ST_PointOnSurface) per row still to locate, GiST-indexed and analysed.

    Without its row count the planner would probe the village index once per point, ten times slower
    than probing the point index once per polygon.
    """
    s = stage.table
    to_locate = (s.c.geom.isnot(None), s.c.village_id.is_(None))
    session.execute(CreateTable(SPOT))
    session.execute(
        SPOT.insert().from_select(["row", "geom"], select(s.c.row, func.ST_PointOnSurface(s.c.geom)).where(*to_locate))
    )
    session.execute(CreateIndex(Index("import_spot_geom", SPOT.c.geom, postgresql_using="gist")))
    analyze(session, SPOT.name)
    return SPOT


def locate(session: Session, stage: Stage, township: Township | None) -> list[RowError]:
    """Fill PLACE with the village (by ST_Covers) of every located row still without one; none is an error.

    Points were located in Python before staging (with their village group: places.py); other
    geometries are located here, once PostGIS has checked (and maybe repaired) them.
    """
    where = f"乡镇“{township.name}”的" if township else ""
    message = f"位置 {{value}} 不在{where}任何行政村内"
    if stage.prepared.layer.geom_kind == "point":
        return _located_points(session, stage, message)
    # Each village polygon probes the indexed points: it stays prepared across its points.
    spot, v = _spot(session, stage), stage.tables["village"]
    village_of = (
        select(spot.c.row, v.c.id.label("village_id"), v.c.township_id)
        .join_from(v, spot, func.ST_Covers(v.c.geom, spot.c.geom))
        .ext(distinct_on(spot.c.row))
        .order_by(spot.c.row, v.c.id)
    )
    if township:
        village_of = village_of.where(v.c.township_id == township.id)
    village_of = village_of.cte("village_of")
    session.execute(CreateTable(PLACE))
    session.execute(PLACE.insert().from_select(["row", "village_id", "township_id"], select(village_of)))
    unplaced = ~exists().where(PLACE.c.row == spot.c.row)
    return _errors(
        session, select(spot.c.row, func.ST_AsText(spot.c.geom)).where(unplaced).order_by(spot.c.row), "几何", message
    )


def _located_points(session: Session, stage: Stage, message: str) -> list[RowError]:
    """locate() for points, located in Python before staging (places.py): PLACE gets the places of the
    rows still without a village (with --township, a village code found first wins)."""
    s = stage.table
    columns = ["row", "village_id", "township_id", "group_id"]
    located = select(s.c.row, *(s.c[f"place_{c}"] for c in columns[1:]))
    session.execute(CreateTable(PLACE))
    session.execute(
        PLACE.insert().from_select(columns, located.where(s.c.place_village_id.isnot(None), s.c.village_id.is_(None)))
    )
    unplaced = (s.c.geom.isnot(None), s.c.village_id.is_(None), s.c.place_village_id.is_(None))
    return _errors(
        session, select(s.c.row, func.ST_AsText(s.c.geom)).where(*unplaced).order_by(s.c.row), "几何", message
    )


def villages_in_township(session: Session, stage: Stage, township: Township) -> list[RowError]:
    """Villages must overlap their township's boundary."""
    s, t = stage.table, stage.tables["township"]
    return _errors(
        session,
        select(s.c.row, s.c.code)
        .join_from(s, t, t.c.id == township.id)
        .where(s.c.geom.isnot(None), not_(func.ST_Intersects(t.c.geom, s.c.geom)))
        .order_by(s.c.row),
        "几何",
        f"行政村“{{value}}”不在乡镇“{township.name}”范围内",
    )


def parent_errors(session: Session, stage: Stage, township: Township) -> list[RowError]:
    """Every parent_code must be another org of the file or of the township."""
    s, o = stage.table, stage.tables["party_org"]
    other = s.alias("p")
    in_file = exists().where(other.c.code == s.c.parent_code)
    in_township = exists().where(o.c.code == s.c.parent_code, o.c.township_id == township.id)
    return _errors(
        session,
        select(s.c.row, s.c.parent_code)
        .where(s.c.parent_code.isnot(None), or_(s.c.parent_code == s.c.code, and_(~in_file, ~in_township)))
        .order_by(s.c.row),
        stage.prepared.headers["parent_code"],
        "上级组织编码“{value}”不存在（文件和数据库中都没有），或指向自身",
    )


def cadre_homes(session: Session, stage: Stage) -> list[RowError]:
    """A cadre's home is its point, else its household's; one of the two is required."""
    s, h = stage.table, stage.tables["household"]
    session.execute(update(s).values(geom=h.c.geom).where(s.c.geom.is_(None), h.c.id == s.c.household_id))
    return _errors(
        session,
        select(s.c.row, s.c.code).where(s.c.geom.is_(None), s.c.household_id.is_(None)).order_by(s.c.row),
        "几何",
        "干部“{value}”需要住址经纬度或户编码",
    )


def posting_dates(session: Session, stage: Stage) -> list[RowError]:
    """A posting ends on or after the day it begins."""
    s = stage.table
    if not {"start_date", "end_date"} <= set(stage.prepared.stored_columns()):
        return []
    return _errors(
        session,
        select(s.c.row, s.c.end_date).where(s.c.end_date < s.c.start_date).order_by(s.c.row),
        stage.prepared.headers["end_date"],
        "结束日期 {value} 早于开始日期",
    )


def located(stage: Stage) -> bool:
    """Whether the stage's rows get their village (and township, group) from PLACE."""
    return stage.prepared.layer.name in LOCATED and stage.prepared.geoms is not None


def link(session: Session, stage: Stage, township: Township | None) -> tuple[list[RowError], set[str]]:
    """All lookups of the stage's layer; returns the errors and the id columns filled in the stage."""
    name = stage.prepared.layer.name
    if name == "townships":
        return [], set()
    errors = []
    if located(stage) and township is None:
        # The rows' townships come from their villages, so codes are resolved after locating.
        errors += locate(session, stage, None)
    code_errors, filled = resolve_codes(session, stage, township)
    errors += code_errors
    if name == "villages":
        errors += villages_in_township(session, stage, township)
    if located(stage) and township is not None:
        errors += locate(session, stage, township)
    if name == "party_orgs" and "parent_code" in stage.prepared.stored_columns():
        errors += parent_errors(session, stage, township)
    if name == "cadres":
        errors += cadre_homes(session, stage)
    if name == "postings":
        errors += posting_dates(session, stage)
    return errors, filled
