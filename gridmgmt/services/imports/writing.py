"""INSERT … SELECT from the staging table into the real table; --update turns it into an upsert."""

from contextlib import nullcontext

from sqlalchemy import ColumnElement, Select, String, func, literal, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import FromClause, TableClause

from geodata.errors import ImportRejected, RowError
from gridmgmt.db.bulk import indexes_rebuilt
from gridmgmt.domain.errors import Conflict
from gridmgmt.services.imports.links import located
from gridmgmt.services.imports.staging import Stage
from gridmgmt.services.imports.tables import PLACE

# Below this many rows, updating the indexes as rows go in is cheap enough.
BULK_MIN_ROWS = 10_000


def length_errors(session: Session, stage: Stage) -> list[RowError]:
    """Text longer than its column allows, for every limited column in one scan of the stage."""
    s, target, prepared = stage.table, stage.target, stage.prepared
    limits = {
        name: target.c[name].type.length
        for name in prepared.stored_columns()
        if name in target.c and isinstance(target.c[name].type, String)
    }
    if not limits:
        return []
    too_long = [func.char_length(s.c[name]) > limit for name, limit in limits.items()]
    rows = session.execute(select(s.c.row, *too_long).where(or_(*too_long)).order_by(s.c.row)).all()
    return [
        RowError(row, prepared.headers[name], f"超过 {limit} 个字符")
        for row, *flags in rows
        for (name, limit), flag in zip(limits.items(), flags)
        if flag
    ]


def _sources(
    stage: Stage, id_columns: set[str], township_id: int | None
) -> tuple[dict[str, ColumnElement], FromClause]:
    """Target column -> its expression over the stage and PLACE, and the FROM clause they need."""
    s, target, layer = stage.table, stage.target, stage.prepared.layer
    sources = {c: s.c[c] for c in [*stage.prepared.stored_columns(), *sorted(id_columns)] if c in target.c}
    if located(stage):
        sources["village_id"] = func.coalesce(s.c.village_id, PLACE.c.village_id)
        if layer.name == "households":
            sources["group_id"] = PLACE.c.group_id
    if "township_id" in target.c and layer.needs_township:
        sources["township_id"] = literal(township_id) if township_id is not None else PLACE.c.township_id
    for column, source in ((layer.geom_column, "geom"), ("seat" if layer.name == "townships" else None, "seat")):
        if column:
            sources[column] = s.c[source]
    return sources, (s.outerjoin(PLACE, PLACE.c.row == s.c.row) if located(stage) else s)


class ConcurrentChange(ImportRejected, Conflict):
    """Rows of the file were changed or created by someone else after this import read them; nothing written."""

    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.args = (
            (
                f"导入被拒绝：另一次导入或编辑同时修改了本文件中的 {len(self.errors)} 条记录，为免互相覆盖，"
                "本次导入全部取消，未写入任何数据；请核对数据库中的现状后重新导入"
            ),
        )


def upsert(session: Session, stage: Stage, id_columns: set[str], township_id: int | None, update: bool) -> None:
    """Write every staged row; with UPDATE, rows whose code exists get the file's columns.

    An existing row is updated only at the version read when the stage was made; raises ConcurrentChange
    when another transaction changed one since. Without TOWNSHIP_ID (a located layer imported without
    --township) each row takes its village's township.
    """
    s, target = stage.table, stage.target
    sources, stage_from = _sources(stage, id_columns, township_id)
    columns = [*sources, "version"]

    def rows(version: ColumnElement, new: bool) -> Select:
        """The stage's new (NEW) or already stored rows as the target's COLUMNS, VERSION last."""
        return (
            select(*sources.values(), version)
            .select_from(stage_from)
            .where(s.c.seen_version.is_(None) if new else s.c.seen_version.isnot(None))
            .order_by(s.c.row)
        )

    with bulk_load(session, target, len(stage.prepared), update):
        session.execute(insert(target).from_select(columns, rows(literal(1), new=True)))
        if not update:
            return
        upserting = insert(target).from_select(columns, rows(s.c.seen_version, new=False))
        written = (
            upserting.on_conflict_do_update(
                index_elements=["code"],
                set_=_updates(stage, upserting.excluded, list(sources)),
                # EXCLUDED.version carries the version read: a row changed since then is left alone and listed.
                where=target.c.version == upserting.excluded.version,
            )
            .returning(target.c.code)
            .cte("written")
        )
        changed = session.execute(
            select(s.c.row, s.c.code)
            .where(s.c.seen_version.isnot(None), s.c.code.not_in(select(written.c.code)))
            .order_by(s.c.row)
        ).all()
    if changed:
        raise ConcurrentChange(
            [
                RowError(row, stage.prepared.headers["code"], f"编码“{code}”的记录在本次导入读取之后被修改")
                for row, code in changed
            ]
        )


def _updates(stage: Stage, excluded, columns: list[str]) -> dict[str, ColumnElement]:
    """SET of an upsert: the file's COLUMNS, but a geometry the file lacks keeps the stored one; a new version."""
    target, layer = stage.target, stage.prepared.layer
    geometries = {layer.geom_column, "seat" if layer.name == "townships" else None}
    sets = {
        c: func.coalesce(excluded[c], target.c[c]) if c in geometries else excluded[c] for c in columns if c != "code"
    }
    return sets | {"updated_at": func.now(), "version": target.c.version + 1}


def bulk_load(session: Session, target: TableClause, rows: int, update: bool):
    """Rebuild TARGET's indexes and keys after writing ROWS when they outnumber what it holds.

    UPDATE keeps the UNIQUE constraints: ON CONFLICT (code) needs its index.
    """
    if rows < BULK_MIN_ROWS or rows < session.execute(select(func.count()).select_from(target)).scalar():
        return nullcontext()
    return indexes_rebuilt(session, target.name, unique=not update)


def link_parents(session: Session, stage: Stage) -> None:
    """Point each imported org at its parent by code, now that all orgs of the file exist."""
    s, o = stage.table, stage.tables["party_org"]
    parent = o.alias("p")
    parent_id = select(parent.c.id).where(parent.c.code == s.c.parent_code).scalar_subquery()
    session.execute(o.update().values(parent_id=parent_id).where(o.c.code == s.c.code))
