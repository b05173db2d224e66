"""INSERT … SELECT from the staging table into the real table; --update turns it into an upsert."""
from contextlib import nullcontext

from sqlalchemy import text
from sqlalchemy.orm import Session

from geodata.errors import ImportRejected, RowError
from geodata.prepare import Prepared
from gridmgmt.db.bulk import indexes_rebuilt
from gridmgmt.services.imports.links import PLACE, located
from gridmgmt.services.imports.staging import STAGE

# Below this many rows, updating the indexes as rows go in is cheap enough.
BULK_MIN_ROWS = 10_000


def table_columns(session: Session, table: str) -> dict[str, int | None]:
    """TABLE's columns and their character limits, read from the database.

    The catalog rather than the ORM models: importing every model would cost the CLI a third of a second.
    """
    return dict(session.execute(text(
        "SELECT column_name, character_maximum_length FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = :t"), {"t": table}).all())


def length_errors(session: Session, prepared: Prepared) -> list[RowError]:
    """Text longer than its column allows, for every limited column in one scan of the stage."""
    columns = table_columns(session, prepared.layer.table)
    limits = {name: columns[name] for name in prepared.stored_columns() if columns.get(name)}
    if not limits:
        return []
    too_long = [f"char_length({name}) > {limit}" for name, limit in limits.items()]
    rows = session.execute(text(
        f"SELECT row, {', '.join(too_long)} FROM {STAGE} WHERE {' OR '.join(too_long)} ORDER BY row")).all()
    return [RowError(row, prepared.headers[name], f"超过 {limit} 个字符")
            for row, *flags in rows for (name, limit), flag in zip(limits.items(), flags) if flag]


def _sources(prepared: Prepared, table: dict[str, int | None], id_columns: set[str],
             township_id: int | None) -> tuple[dict[str, str], str]:
    """Target column -> SQL expression over the stage (s) and PLACE (p), and the FROM clause."""
    sources = {c: f"s.{c}" for c in [*prepared.stored_columns(), *sorted(id_columns)] if c in table}
    if located(prepared):
        sources["village_id"] = "COALESCE(s.village_id, p.village_id)"
        if prepared.layer.name == "households":
            sources["group_id"] = "p.group_id"
    if "township_id" in table and prepared.layer.needs_township:
        sources["township_id"] = ":t" if township_id is not None else "p.township_id"
    stage = f"{STAGE} s LEFT JOIN {PLACE} p ON p.row = s.row" if located(prepared) else f"{STAGE} s"
    return sources, stage


class ConcurrentChange(ImportRejected):
    """Rows of the file were changed or created by someone else after this import read them; nothing written."""

    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.args = (f"导入被拒绝：另一次导入或编辑同时修改了本文件中的 {len(self.errors)} 条记录，为免互相覆盖，"
                     "本次导入全部取消，未写入任何数据；请核对数据库中的现状后重新导入",)


def upsert(session: Session, prepared: Prepared, id_columns: set[str], township_id: int | None,
           update: bool) -> None:
    """Write every staged row; with UPDATE, rows whose code exists get the file's columns.

    An existing row is updated only at the version read when the stage was made; raises ConcurrentChange
    when another transaction changed one since. Without TOWNSHIP_ID (a located layer imported without
    --township) each row takes its village's township.
    """
    layer, table = prepared.layer, prepared.layer.table
    columns, stage = _sources(prepared, table_columns(session, table), id_columns, township_id)
    targets, sources = list(columns), list(columns.values())
    sets = [f"{c} = EXCLUDED.{c}" for c in targets if c != "code"]
    for target, source in ((layer.geom_column, "geom"), ("seat" if layer.name == "townships" else None, "seat")):
        if target:
            targets.append(target)
            sources.append(f"s.{source}")
            sets.append(f"{target} = COALESCE(EXCLUDED.{target}, {table}.{target})")
    sets += ["updated_at = now()", f"version = {table}.version + 1"]
    insert = f"INSERT INTO {table} ({', '.join(targets)}, version) SELECT {', '.join(sources)}, "
    with _bulk(session, table, len(prepared), update):
        session.execute(text(f"{insert} 1 FROM {stage} WHERE s.seen_version IS NULL ORDER BY s.row"),
                        {"t": township_id})
        if not update:
            return
        # EXCLUDED.version carries the version read: a row changed since then is left alone and listed.
        changed = session.execute(text(
            f"WITH written AS ({insert} s.seen_version FROM {stage} WHERE s.seen_version IS NOT NULL "
            f"ORDER BY s.row ON CONFLICT (code) DO UPDATE SET {', '.join(sets)} "
            f"WHERE {table}.version = EXCLUDED.version RETURNING code) "
            f"SELECT row, code FROM {STAGE} WHERE seen_version IS NOT NULL "
            "AND code NOT IN (SELECT code FROM written) ORDER BY row"), {"t": township_id}).all()
    if changed:
        raise ConcurrentChange([RowError(row, prepared.headers["code"], f"编码「{code}」的记录在本次导入读取之后被修改")
                                for row, code in changed])


def _bulk(session: Session, table: str, rows: int, update: bool):
    """Rebuild TABLE's indexes and keys after the insert when ROWS outnumber what it holds.

    UPDATE keeps the UNIQUE constraints: ON CONFLICT (code) needs its index.
    """
    if rows < BULK_MIN_ROWS or rows < session.execute(text(f"SELECT count(*) FROM {table}")).scalar():
        return nullcontext()
    return indexes_rebuilt(session, table, unique=not update)


def link_parents(session: Session) -> None:
    """Point each imported org at its parent by code, now that all orgs of the file exist."""
    session.execute(text(
        f"UPDATE party_org o SET parent_id = p.id FROM {STAGE} s LEFT JOIN party_org p "
        "ON p.code = s.parent_code WHERE o.code = s.code"
    ))
