"""Set-based lookups that tie staged rows to villages, groups and other rows, in PostGIS."""
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from geodata.errors import RowError
from geodata.prepare import Prepared
from gridmgmt.services.imports.staging import STAGE

# code column -> (id column it fills, table, which rows belong to township :t, Chinese name)
REFERENCES = {
    "village_code": ("village_id", "village", "t.township_id = :t", "行政村"),
    "household_code": ("household_id", "household",
                       "t.village_id IN (SELECT id FROM village WHERE township_id = :t)", "农户"),
    "org_code": ("party_org_id", "party_org", "t.township_id = :t", "党组织"),
    "party_org_code": ("party_org_id", "party_org", "t.township_id = :t", "党组织"),
    "party_member_code": ("party_member_id", "party_member",
                          "t.party_org_id IN (SELECT id FROM party_org WHERE township_id = :t)", "党员"),
}
# Layers whose rows must lie in a village of the township.
LOCATED = {"groups", "households", "economic_orgs", "party_orgs"}


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


def resolve_codes(session: Session, prepared: Prepared, township: Township) -> tuple[list[RowError], set[str]]:
    """Fill id columns from *_code columns; a code not found in the township is an error."""
    errors, filled = [], set()
    for code, (id_column, table, belongs, label) in REFERENCES.items():
        if code not in prepared.stored_columns():
            continue
        params = {"t": township.id}
        session.execute(text(
            f"UPDATE {STAGE} s SET {id_column} = t.id FROM {table} t WHERE t.code = s.{code} AND {belongs}"
        ), params)
        errors += _errors(session, f"SELECT row, {code} FROM {STAGE} WHERE {code} IS NOT NULL "
                          f"AND {id_column} IS NULL ORDER BY row", params, prepared.headers[code],
                          f"{label}编码「{{value}}」在乡镇「{township.name}」中不存在")
        filled.add(id_column)
    return errors, filled


def locate_villages(session: Session, township: Township) -> list[RowError]:
    """Village of every located row still without one, by ST_Covers; none is an error."""
    session.execute(text(f"""
        UPDATE {STAGE} s SET village_id = m.id FROM (
            SELECT DISTINCT ON (s.row) s.row, v.id FROM {STAGE} s
            JOIN village v ON v.township_id = :t AND ST_Covers(v.geom, ST_PointOnSurface(s.geom))
            WHERE s.village_id IS NULL AND s.geom IS NOT NULL ORDER BY s.row, v.id) m
        WHERE s.row = m.row"""), {"t": township.id})
    return _errors(session, f"SELECT row, ST_AsText(ST_PointOnSurface(geom)) FROM {STAGE} "
                   "WHERE geom IS NOT NULL AND village_id IS NULL ORDER BY row", {}, "几何",
                   f"位置 {{value}} 不在乡镇「{township.name}」的任何行政村内")


def locate_groups(session: Session) -> None:
    """Household's village group: the polygon group covering it, else the nearest point group."""
    session.execute(text(f"""
        UPDATE {STAGE} s SET group_id = (
            SELECT g.id FROM village_group g
            WHERE g.village_id = s.village_id
              AND (ST_Dimension(g.geom) = 0 OR ST_Covers(g.geom, s.geom))
            ORDER BY ST_Dimension(g.geom) DESC, g.geom <-> s.geom, g.id LIMIT 1)
        WHERE s.village_id IS NOT NULL"""))


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


def link(session: Session, prepared: Prepared, township: Township | None) -> tuple[list[RowError], set[str]]:
    """All lookups of PREPARED's layer; returns the errors and the id columns to write."""
    name = prepared.layer.name
    if township is None:
        return [], set()
    errors, filled = resolve_codes(session, prepared, township)
    if name == "villages":
        errors += villages_in_township(session, township)
    if name in LOCATED and prepared.geoms is not None:
        errors += locate_villages(session, township)
        filled.add("village_id")
    if name == "households":
        locate_groups(session)
        filled.add("group_id")
    if name == "party_orgs" and "parent_code" in prepared.stored_columns():
        errors += parent_errors(session, prepared, township)
    if name == "cadres":
        errors += cadre_homes(session)
    return errors, filled
