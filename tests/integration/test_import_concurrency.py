"""Imports are audited, and two imports of the same rows at once never silently overwrite each other.

The two imports run in two threads on two connections. A third connection makes them truly overlap:
it holds a lock the imports need only after they have read the rows' versions, and lets go once both
are waiting for it (seen in pg_stat_activity).
"""

import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

import geodata
from geodata.errors import ImportRejected
from gridmgmt.services.accounts.actors import Actor
from gridmgmt.services.imports import ConcurrentChange, import_layer
from tests.actors import add_actor

SAMPLES = Path(geodata.__file__).parent / "samples"
TOWNSHIP = "449900101000"
# Only the two imports ever wait for a lock here.
WAITING = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"


@pytest.fixture
def sample(session):
    """The sample township with its 10 households, imported by 'loader'."""
    for layer, name in (
        ("townships", "township.geojson"),
        ("villages", "villages.geojson"),
        ("groups", "groups.geojson"),
        ("households", "households.csv"),
    ):
        import_layer(
            session, layer, SAMPLES / name, township=None if layer == "townships" else TOWNSHIP, actor=Actor("loader")
        )
    return session


def _households(tmp_path: Path, tag: str, codes=None) -> Path:
    """The sample households with every address set to TAG's (and codes replaced by CODES)."""
    frame = pd.read_csv(SAMPLES / "households.csv", encoding="utf-8-sig", dtype=str)
    frame["地址"] = [f"{tag}路{n}号" for n in range(len(frame))]
    if codes is not None:
        frame["户编码"] = codes
    path = tmp_path / f"{tag}.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def _overlapping(engine, files: dict[str, Path], hold: str, update: bool) -> dict:
    """Import FILES in two threads while a third connection runs HOLD (a lock); release it once both wait."""
    outcome = {}

    def run(tag: str) -> None:
        with Session(engine) as session:
            try:
                outcome[tag] = import_layer(
                    session, "households", files[tag], township=TOWNSHIP, update=update, actor=Actor(tag)
                )
            except ImportRejected as refused:
                outcome[tag] = refused

    threads = [threading.Thread(target=run, args=(tag,)) for tag in files]
    with engine.connect() as holder:
        holder.execute(text(hold))
        for waiting, thread in enumerate(threads, start=1):
            thread.start()
            _until(engine, waiting, thread)
        holder.rollback()
    for thread in threads:
        thread.join(60)
    return outcome


def _until(engine, waiting: int, thread: threading.Thread) -> None:
    deadline = time.monotonic() + 60
    with engine.connect() as probe:
        while probe.execute(text(WAITING)).scalar() < waiting:
            assert thread.is_alive() and time.monotonic() < deadline, "the import never waited for the lock"
            probe.rollback()  # pg_stat_activity is read once per transaction
            time.sleep(0.05)


def test_the_second_concurrent_update_is_refused_and_writes_nothing(sample, engine, tmp_path):
    """Finding 13: two concurrent --update imports were last-writer-wins with no warning."""
    files = {tag: _households(tmp_path, tag) for tag in ("甲", "乙")}
    first = sample.execute(text("SELECT code FROM household ORDER BY code LIMIT 1")).scalar()
    outcome = _overlapping(engine, files, f"SELECT 1 FROM household WHERE code = '{first}' FOR UPDATE", True)
    assert outcome["甲"].updated == 10
    assert isinstance(outcome["乙"], ConcurrentChange)
    assert "另一次导入或编辑同时修改了本文件中的 10 条记录" in str(outcome["乙"])
    assert "本次导入全部取消，未写入任何数据" in str(outcome["乙"]) and len(outcome["乙"].errors) == 10
    rows = sample.execute(text("SELECT address, version FROM household")).all()
    assert {address[0] for address, _ in rows} == {"甲"} and {version for _, version in rows} == {2}
    audited = sample.execute(text("SELECT actor FROM audit_log WHERE detail->>'layer' = 'households'")).scalars()
    assert sorted(audited) == ["loader", "甲"]


def test_concurrent_imports_of_the_same_new_codes_refuse_the_second(sample, engine, tmp_path):
    codes = [f"449900101001-9{n:02d}" for n in range(10)]
    files = {tag: _households(tmp_path, tag, codes) for tag in ("甲", "乙")}
    # The first import waits, its rows written but not committed, at its audit row.
    outcome = _overlapping(engine, files, "LOCK TABLE audit_log IN EXCLUSIVE MODE", False)
    assert outcome["甲"].inserted == 10 and isinstance(outcome["乙"], ConcurrentChange)
    assert "449900101001-9" in str(outcome["乙"].errors[0])
    assert sample.execute(text("SELECT count(*) FROM household WHERE address LIKE '乙%'")).scalar() == 0


def test_an_update_after_another_committed_goes_through(sample, tmp_path):
    """Sequential imports are not a conflict: each reads the versions the other left."""
    for tag in ("甲", "乙"):
        assert (
            import_layer(
                sample, "households", _households(tmp_path, tag), township=TOWNSHIP, update=True, actor=Actor(tag)
            ).updated
            == 10
        )
    assert sample.execute(text("SELECT DISTINCT version FROM household")).scalars().all() == [3]


def test_an_import_is_audited_with_file_layer_township_and_counts(sample, tmp_path):
    planner = add_actor(sample, "planner1", "planner", TOWNSHIP)
    known = sample.execute(text("SELECT code FROM household ORDER BY code LIMIT 5")).scalars().all()
    path = _households(tmp_path, "甲", known + [f"449900101001-8{n:02d}" for n in range(5)])
    path = path.rename(tmp_path / "户表.csv")
    result = import_layer(
        sample, "households", path, township=TOWNSHIP, update=True, actor=Actor("planner1", planner, "命令行 root@host")
    )
    assert (result.inserted, result.updated) == (5, 5)
    row = sample.execute(
        text("SELECT actor, user_id, remote_addr, action, target, detail FROM audit_log ORDER BY id DESC LIMIT 1")
    ).one()
    assert row[:5] == ("planner1", planner, "命令行 root@host", "import_layer", "户表.csv")
    assert row.detail == {"layer": "households", "township": TOWNSHIP, "update": True, "inserted": 5, "updated": 5}


def test_a_refused_import_leaves_no_audit_row(sample, tmp_path):
    before = sample.execute(text("SELECT count(*) FROM audit_log")).scalar()
    with pytest.raises(ImportRejected):
        import_layer(sample, "households", _households(tmp_path, "甲"), township=TOWNSHIP, actor=Actor("x"))
    assert sample.execute(text("SELECT count(*) FROM audit_log")).scalar() == before
