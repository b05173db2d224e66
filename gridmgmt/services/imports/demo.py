"""Load a generated demo township (or county) into the database in one transaction."""

import time
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from datetime import date

import psycopg
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from geodata.demo import TABLES, DemoData, generate, shift_ids, township_codes
from geodata.demo.city import CitySize, generate_city
from gridmgmt.db.bulk import copy_frame, indexes_rebuilt, reset_id_sequences
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

# The city's largest tables: their indexes and foreign keys are built once, after every county's rows.
CITY_REBUILT = ("household", "visit", "party_member", "liaison", "org_meeting", "checkin")


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


def _copy_demo(session: Session, data: DemoData, say: Callable[[str], None]) -> None:
    """COPY DATA in foreign-key order, its ids moved past the stored rows."""
    refuse_taken(session, data.tables["township"].code.tolist())
    tables = shift_ids(data.tables, _offsets(session))
    for name in TABLES:
        started = time.perf_counter()
        copy_frame(session, name, tables[name])
        say(f"  写入 {name}：{len(tables[name])} 行，{time.perf_counter() - started:.1f} 秒")


def load_parts(
    session: Session, parts: Iterable[DemoData], say: Callable[[str], None] = lambda _: None, rebuilt: tuple = ()
) -> int:
    """COPY every part in turn, build the road topology once and commit; returns vertices.

    The REBUILT tables' indexes and keys are built once at the end rather than row by row.
    One transaction: raises DemoExists or DemoLoadFailed with nothing written.
    """
    try:
        with ExitStack() as stack:
            for name in rebuilt:
                stack.enter_context(indexes_rebuilt(session, name))
            for data in parts:
                _copy_demo(session, data, say)
            started = time.perf_counter()
        if rebuilt:
            say(f"  重建索引与外键（{'、'.join(rebuilt)}）：{time.perf_counter() - started:.1f} 秒")
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


def load_demo(session: Session, data: DemoData, say: Callable[[str], None] = lambda _: None) -> int:
    """COPY DATA in foreign-key order, build the road topology and commit; returns vertices.

    Raises DemoExists (nothing written) when one of its township codes is taken.
    """
    return load_parts(session, [data], say)


def has_township(session: Session) -> bool:
    """Whether any township is in the database."""
    return session.scalar(select(exists().where(Township.id.isnot(None))))


def _city_parts(seed: int, until: date, size: CitySize, counts: Counter, say: Callable[[str], None]):
    """The city's counties as DemoData, one by one, with a progress line each; adds their rows to COUNTS."""
    started = time.perf_counter()
    parts = generate_city(seed, until, size)
    for k, part in enumerate(parts, 1):
        counts.update(part.data.counts())
        households = len(part.data.tables["household"])
        say(
            f"县 {k}/{size.counties} {part.code} {part.name}：{households} 户，已用 {time.perf_counter() - started:.0f} 秒"
        )
        yield part.data


def run_demo(
    session: Session,
    seed: int,
    scale: str,
    until: date,
    if_empty: bool,
    say: Callable[[str], None] = lambda _: None,
    city: CitySize = CitySize(),
) -> dict[str, int] | None:
    """Generate and load the demo; None when IF_EMPTY and a township already exists.

    The city scale is generated and written county by county (CITY sets its size).
    """
    if if_empty and has_township(session):
        say("数据库中已有乡镇数据，跳过演示数据生成")
        return None
    started = time.perf_counter()
    if scale == "city":
        refuse_taken(session, city.township_codes())
        counts = Counter()
        load_parts(session, _city_parts(seed, until, city, counts, say), say, CITY_REBUILT)
    else:
        refuse_taken(session, township_codes(scale))
        data = generate(seed=seed, scale=scale, until=until)
        say(f"生成演示数据（种子 {seed}，规模 {scale}）：{time.perf_counter() - started:.1f} 秒")
        load_demo(session, data, say)
        counts = Counter(data.counts())
    say(f"生成并导入数据库：{time.perf_counter() - started:.1f} 秒")
    say("，".join(f"{label} {counts[name]}" for name, label in SUMMARY.items()))
    return dict(counts)
