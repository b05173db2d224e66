"""Loading the demo into PostGIS: counts, valid geometry, one routable network, safe reruns."""

from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from geodata.demo import TABLES, generate
from gridmgmt.cli import main
from gridmgmt.config import get_settings
from gridmgmt.db.models import Township, Village
from gridmgmt.services.imports.demo import DemoExists, DemoLoadFailed, load_demo, run_demo

UNTIL = date(2026, 7, 1)
TRIANGLE = "SRID=4326;MULTIPOLYGON(((116 24,116.01 24,116 24.01,116 24)))"
GEOMETRY = {
    "township": "geom",
    "village": "geom",
    "village_group": "geom",
    "household": "geom",
    "party_org": "venue",
    "economic_org": "geom",
    "cadre": "home",
    "road": "geom",
    "event": "geom",
    "visit": "geom",
}


def _counts(session) -> dict[str, int]:
    return {name: session.execute(text(f"SELECT count(*) FROM {name}")).scalar_one() for name in TABLES}


def _components(session) -> int:
    return session.execute(
        text(
            "SELECT count(DISTINCT component) FROM pgr_connectedComponents("
            "'SELECT id, source, target, length_m AS cost, length_m AS reverse_cost FROM road')"
        )
    ).scalar_one()


def test_default_township_loads_once_and_if_empty_skips(session):
    said = []
    counts = run_demo(session, 1, "township", UNTIL, if_empty=True, say=said.append)
    assert _counts(session) == counts
    assert counts["village"] >= 18 and 9_000 <= counts["household"] <= 11_000
    assert any("农户" in line for line in said)
    for table, column in GEOMETRY.items():
        invalid = session.execute(text(f"SELECT count(*) FROM {table} WHERE NOT ST_IsValid({column})"))
        assert invalid.scalar_one() == 0, table
    assert _components(session) == 1
    seat_is_vertex = session.execute(
        text("SELECT EXISTS (SELECT 1 FROM road_vertex v, township t WHERE ST_DWithin(v.geom, t.seat, 1e-6))")
    ).scalar_one()
    assert seat_is_vertex
    # Households sit inside their village in the database too.
    outside = session.execute(
        text(
            "SELECT count(*) FROM household h JOIN village v ON v.id = h.village_id "
            "WHERE NOT ST_Intersects(v.geom, h.geom)"
        )
    ).scalar_one()
    assert outside == 0

    said.clear()
    assert run_demo(session, 1, "township", UNTIL, if_empty=True, say=said.append) is None
    assert said == ["数据库中已有乡镇数据，跳过演示数据生成"]
    with pytest.raises(DemoExists, match="441624100000 已存在"):
        run_demo(session, 2, "township", UNTIL, if_empty=False)
    assert _counts(session) == counts


def test_ids_follow_existing_rows(session):
    other = Township(code="441624999000", name="旧镇", geom=TRIANGLE)
    session.add(other)
    session.commit()
    data = generate(seed=5, until=UNTIL, villages=4, households=600)
    load_demo(session, data)
    demo_town = session.execute(text("SELECT id FROM township WHERE code = '441624100000'")).scalar_one()
    assert demo_town != other.id
    strays = session.execute(
        text("SELECT count(*) FROM village WHERE township_id <> :t"), {"t": demo_town}
    ).scalar_one()
    assert strays == 0
    # Sequences moved past the copied ids: an ORM insert still works.
    session.add(Village(township_id=demo_town, code="441624100299", name="新村", geom=TRIANGLE))
    session.commit()


def test_a_refused_row_writes_nothing(session):
    other = Township(code="441624999000", name="旧镇", geom=TRIANGLE)
    session.add(other)
    session.flush()
    data = generate(seed=5, until=UNTIL, villages=4, households=600)
    clash = data.tables["village"].code.iat[2]
    session.add(Village(township_id=other.id, code=clash, name="重名村", geom=TRIANGLE))
    session.commit()
    before = _counts(session)
    with pytest.raises(DemoLoadFailed, match="已全部回滚"):
        load_demo(session, data)
    assert _counts(session) == before


def test_the_command_refuses_a_taken_township_with_a_message(session, monkeypatch):
    """DemoExists is a UserError: the command line answers it with its message and exit 1, no traceback."""
    session.add(Township(code="441624100000", name="已有镇", geom=TRIANGLE))
    session.commit()
    monkeypatch.setenv("GRIDMGMT_DB_NAME", get_settings().test_db_name)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["demo", "--seed", "2"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "乡镇编码 441624100000 已存在，未导入任何数据" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
