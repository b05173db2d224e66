"""Load a generated demo township (or county) into the database in one transaction."""

import time
from collections.abc import Callable
from datetime import date

import psycopg
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from geodata.demo import TABLES, DemoData, generate, shift_ids, township_codes
from gridmgmt.db.bulk import copy_frame, reset_id_sequences
from gridmgmt.db.models import Base, Township
from gridmgmt.domain.errors import Conflict
from gridmgmt.network.topology import build_topology

# Summary lines: table and its Chinese label.
SUMMARY = {
    "township": "乡镇",
    "village": "行政村",
    "village_group": "村民小组",
    "household": "农户",
    "party_member": "党员",
    "road": "道路",
    "water": "水系",
}


class DemoExists(Conflict, ValueError):
    """The demo's township codes are already in the database."""


class DemoLoadFailed(Conflict, RuntimeError):
    """The database refused the generated rows (they clash with stored ones); nothing was written."""


def _offsets(session: Session) -> dict[str, int]:
    """Largest id of every table, so generated ids land after existing rows."""
    ids = {name: Base.metadata.tables[name].c.id for name in TABLES}
    return {name: session.execute(select(func.coalesce(func.max(ids[name]), 0))).scalar_one() for name in TABLES}


def refuse_taken(session: Session, codes: list[str]) -> None:
    """Raise DemoExists when one of the township CODES is already stored."""
    taken = session.scalars(select(Township.code).where(Township.code.in_(codes))).all()
    if taken:
        raise DemoExists(f"乡镇编码 {'、'.join(taken)} 已存在，未导入任何数据；如需重建请换用空数据库")


def load_demo(session: Session, data: DemoData, say: Callable[[str], None] = lambda _: None) -> int:
    """COPY DATA in foreign-key order, build the road topology and commit; returns vertices.

    Raises DemoExists (nothing written) when one of its township codes is taken.
    """
    refuse_taken(session, data.tables["township"].code.tolist())
    try:
        tables = shift_ids(data.tables, _offsets(session))
        for name in TABLES:
            started = time.perf_counter()
            copy_frame(session, name, tables[name])
            say(f"  写入 {name}：{len(tables[name])} 行，{time.perf_counter() - started:.1f} 秒")
        reset_id_sequences(session, TABLES)
        started = time.perf_counter()
        vertices = build_topology(session)
        say(f"  道路拓扑：{vertices} 个节点，{time.perf_counter() - started:.1f} 秒")
        session.commit()
    except psycopg.Error as exc:
        session.rollback()
        raise DemoLoadFailed(f"演示数据写入失败，已全部回滚：{exc}") from exc
    except BaseException:
        session.rollback()
        raise
    return vertices


def has_township(session: Session) -> bool:
    """Whether any township is in the database."""
    return session.scalar(select(exists().where(Township.id.isnot(None))))


def run_demo(
    session: Session, seed: int, scale: str, until: date, if_empty: bool, say: Callable[[str], None] = lambda _: None
) -> dict[str, int] | None:
    """Generate and load the demo; None when IF_EMPTY and a township already exists."""
    if if_empty and has_township(session):
        say("数据库中已有乡镇数据，跳过演示数据生成")
        return None
    refuse_taken(session, township_codes(scale))
    started = time.perf_counter()
    data = generate(seed=seed, scale=scale, until=until)
    say(f"生成演示数据（种子 {seed}，规模 {scale}）：{time.perf_counter() - started:.1f} 秒")
    started = time.perf_counter()
    load_demo(session, data, say)
    say(f"导入数据库：{time.perf_counter() - started:.1f} 秒")
    counts = data.counts()
    say("，".join(f"{label} {counts[name]}" for name, label in SUMMARY.items()))
    return counts
