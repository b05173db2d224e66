"""INSERT … SELECT from the staging table into the real table; --update turns it into an upsert."""
from sqlalchemy import String, text
from sqlalchemy.orm import Session

from geodata.errors import RowError
from geodata.prepare import Prepared
from gridmgmt.db.models import Base
from gridmgmt.services.imports.staging import STAGE


def _table(prepared: Prepared):
    return Base.metadata.tables[prepared.layer.table]


def length_errors(session: Session, prepared: Prepared) -> list[RowError]:
    """Text longer than its column allows."""
    errors = []
    table = _table(prepared)
    for name in prepared.stored_columns():
        column = table.c.get(name)
        if column is None or not isinstance(column.type, String) or not column.type.length:
            continue
        limit = column.type.length
        rows = session.execute(text(
            f"SELECT row FROM {STAGE} WHERE char_length({name}) > :n ORDER BY row"), {"n": limit}).scalars()
        errors += [RowError(row, prepared.headers[name], f"超过 {limit} 个字符") for row in rows]
    return errors


def upsert(session: Session, prepared: Prepared, id_columns: set[str], township_id: int | None,
           update: bool) -> None:
    """Write every staged row; with UPDATE, rows whose code exists get the file's columns."""
    layer, table = prepared.layer, _table(prepared)
    targets = [c for c in prepared.stored_columns() if c in table.c] + sorted(id_columns)
    sources = [f"s.{c}" for c in targets]
    if layer.needs_township and "township_id" in table.c:
        targets.append("township_id")
        sources.append(":t")
    sets = [f"{c} = EXCLUDED.{c}" for c in targets if c != "code"]
    for target, source in ((layer.geom_column, "geom"), ("seat" if layer.name == "townships" else None, "seat")):
        if target:
            targets.append(target)
            sources.append(f"s.{source}")
            sets.append(f"{target} = COALESCE(EXCLUDED.{target}, {table.name}.{target})")
    sets.append("updated_at = now()")
    if "version" in table.c:
        sets.append(f"version = {table.name}.version + 1")
    conflict = f" ON CONFLICT (code) DO UPDATE SET {', '.join(sets)}" if update else ""
    session.execute(text(
        f"INSERT INTO {table.name} ({', '.join(targets)}) SELECT {', '.join(sources)} "
        f"FROM {STAGE} s ORDER BY s.row{conflict}"
    ), {"t": township_id})


def link_parents(session: Session) -> None:
    """Point each imported org at its parent by code, now that all orgs of the file exist."""
    session.execute(text(
        f"UPDATE party_org o SET parent_id = p.id FROM {STAGE} s LEFT JOIN party_org p "
        "ON p.code = s.parent_code WHERE o.code = s.code"
    ))
