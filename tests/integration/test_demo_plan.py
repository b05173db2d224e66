"""`gridmgmt demo --plan` (what `make demo` runs): the demo township comes with a published grid plan,
once, and never over a planner's plan or on a database of other townships."""

from click.testing import CliRunner
from sqlalchemy import select, text

from gridmgmt.cli import main
from gridmgmt.config import get_settings
from gridmgmt.db.models import AppUser, Township
from gridmgmt.services.accounts.demo_users import DEMO_CELL_USER, ensure_demo_users
from gridmgmt.services.field.my_grid import my_grid
from gridmgmt.services.grids.demo_plan import DEMO_PLAN_NAME
from tests.actors import ACTOR

UNTIL = "2026-07-01"
TRIANGLE = "SRID=4326;MULTIPOLYGON(((116 24,116.01 24,116 24.01,116 24)))"


def _demo(monkeypatch, *args: str):
    monkeypatch.setenv("GRIDMGMT_DB_NAME", get_settings().test_db_name)
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(main, ["demo", "--until", UNTIL, *args])
    finally:
        get_settings.cache_clear()


def _scalar(session, sql: str):
    return session.execute(text(sql)).scalar_one()


def test_the_demo_publishes_a_staffed_plan_once_and_the_grid_worker_sees_its_cells(session, monkeypatch):
    assert _demo(monkeypatch, "--if-empty").exit_code == 0
    assert _scalar(session, "SELECT count(*) FROM grid_plan") == 0
    # A demo loaded before --plan existed gets its plan on the next `make demo`.
    result = _demo(monkeypatch, "--if-empty", "--plan")
    assert result.exit_code == 0, result.output
    assert f"“{DEMO_PLAN_NAME}”已发布" in result.output

    plans = session.execute(text("SELECT name, status FROM grid_plan")).all()
    assert plans == [(DEMO_PLAN_NAME, "published")]
    assert _scalar(session, "SELECT count(*) FROM household WHERE grid_cell_id IS NULL") == 0
    assert _scalar(session, "SELECT count(*) FROM grid_cell WHERE grid_worker_id IS NULL") == 0
    assert _scalar(session, "SELECT count(*) FROM liaison") > 0
    actions = session.scalars(text("SELECT action FROM audit_log WHERE target LIKE '网格方案%' ORDER BY id")).all()
    assert actions == ["allocate_plan", "assign_plan", "publish_plan"]

    # The demo grid worker (a 包村 cadre) sees the published cells of the village on the phone.
    logins = ensure_demo_users(session, get_settings().today(), actor=ACTOR)
    cadre = session.scalar(select(AppUser.cadre_id).where(AppUser.username == "demo_grid"))
    mine = my_grid(session, cadre, get_settings().today())
    assert mine.villages and all(village["cells"] for village in mine.villages)
    assert mine.cell_features()
    # And a 网格员 who holds a cell: 我的网格 is that cell, with its 联户 members.
    assert DEMO_CELL_USER in [login.username for login in logins]
    holder = session.scalar(select(AppUser.cadre_id).where(AppUser.username == DEMO_CELL_USER))
    cells = my_grid(session, holder, get_settings().today()).cells
    assert cells and all(cell["liaisons"] for cell in cells)

    # A demo plan drawn before the cells followed the groups' lines is drawn again; no household moves.
    members = "SELECT md5(string_agg(household_id || ':' || cell_id, ',' ORDER BY household_id)) FROM grid_membership"
    before = _scalar(session, members)
    session.execute(text("UPDATE grid_plan SET outlines = 'households'"))
    session.commit()
    again = _demo(monkeypatch, "--if-empty", "--plan")
    assert again.exit_code == 0 and "演示乡镇已有网格方案，不再自动生成" in again.output
    assert "个网格已沿村民小组界线重画边界（农户所属网格不变）" in again.output
    assert _scalar(session, "SELECT outlines FROM grid_plan") == "groups"
    assert _scalar(session, members) == before
    assert _scalar(session, "SELECT count(*) FROM grid_plan") == 1
    assert "重画" not in _demo(monkeypatch, "--if-empty", "--plan").output


def test_a_database_of_other_townships_gets_no_plan_and_no_error(session, monkeypatch):
    session.add(Township(code="441500100000", name="本地镇", geom=TRIANGLE))
    session.commit()
    result = _demo(monkeypatch, "--if-empty", "--plan")
    assert result.exit_code == 0, result.output
    assert "数据库中没有演示乡镇 441624100000，不生成网格方案" in result.output
    assert _scalar(session, "SELECT count(*) FROM grid_plan") == 0
