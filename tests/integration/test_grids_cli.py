"""`gridmgmt grids …` end to end on the small township."""

import json

import geopandas as gpd
import openpyxl
import pytest
import shapely
from click.testing import CliRunner
from sqlalchemy import text

from gridmgmt.cli import main
from gridmgmt.config import get_settings
from tests.actors import ADMIN, add_actor
from tests.integration import grid_town


@pytest.fixture
def cli(session, monkeypatch):
    """The CLI on the test database, with the small township loaded; exports name an admin (GRIDMGMT_ACTOR)."""
    grid_town.build(session)
    add_actor(session)
    monkeypatch.setenv("GRIDMGMT_DB_NAME", get_settings().test_db_name)
    monkeypatch.setenv("GRIDMGMT_ACTOR", ADMIN)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def _ok(runner, *args):
    result = runner.invoke(main, ["grids", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_allocate_assign_publish_export_diff(cli, tmp_path):
    out = _ok(cli, "allocate", "--township", grid_town.TOWN, "--name", "一")
    assert "方案 1：3 个网格" in out and "连成一片的网格占比：1.000" in out
    out = _ok(cli, "assign", "1")
    assert (
        "3 个网格中 3 个已配网格员" in out
        and "乙村第1网格（441624199202W01）：80 户，联户党员 2 名、需 8 名，60 户未配联户党员" in out
    )
    assert "已发布" in _ok(cli, "publish", "1")
    _ok(cli, "export", "1", "-o", str(tmp_path / "g.geojson"))  # GeoJSON, as its name says
    assert (tmp_path / "g.geojson").read_bytes().startswith(b"{") and len(gpd.read_file(tmp_path / "g.geojson")) == 3
    assert json.loads((tmp_path / "g.geojson").read_text())["name"] == "grid_cell"  # not ".g.partial"
    # Cells of at most 120: 甲村's two groups (187 each) must be split, so households move.
    _ok(cli, "allocate", "--township", grid_town.TOWN, "--target", "100", "--min", "60", "--max", "120")
    out = _ok(cli, "diff", "1", "2", "-o", str(tmp_path / "moved.geojson"))
    moved = gpd.read_file(tmp_path / "moved.geojson")
    assert json.loads((tmp_path / "moved.geojson").read_text())["name"] == "moved_households"
    assert f"{len(moved)} 户换了网格" in out and len(moved) > 0
    listing = _ok(cli, "list")
    assert "已发布" in listing and "草稿" in listing and "NaT" not in listing
    assert "边界画法" in listing and "沿村民小组界线" in listing
    _ok(cli, "roster", "--township", grid_town.TOWN, "-o", str(tmp_path / "roster.xlsx"))
    assert openpyxl.load_workbook(tmp_path / "roster.xlsx").sheetnames[:2] == ["说明", "网格花名册"]


def test_bad_input_is_a_clear_error(cli):
    result = cli.invoke(main, ["grids", "allocate", "--township", grid_town.TOWN, "--min", "300"])
    assert result.exit_code != 0 and "下限" in result.output
    result = cli.invoke(main, ["grids", "roster", "--township", "000000000000", "-o", "x.xlsx"])
    assert result.exit_code != 0 and "还没有网格方案" in result.output
    result = cli.invoke(main, ["grids", "publish", "7"])
    assert result.exit_code != 0 and "没有编号为 7 的网格方案" in result.output


def test_a_file_named_for_another_format_is_refused_and_not_written(cli, tmp_path):
    """A GeoPackage named .geojson (the old default) misleads every program that opens it."""
    named = tmp_path / "g.geojson"
    result = cli.invoke(main, ["grids", "export", "1", "-o", str(named), "--format", "GeoPackage"])
    assert result.exit_code == 2 and "g.geojson 的扩展名与格式 GeoPackage 不符：请改用 .gpkg" in result.output
    result = cli.invoke(main, ["grids", "diff", "1", "2", "-o", str(tmp_path / "moved.gpkg")])
    assert result.exit_code == 2 and "不能输出为 .gpkg 文件；可选格式：GeoJSON" in result.output
    assert list(tmp_path.iterdir()) == []


def test_redraw_draws_a_published_plans_cells_again_and_moves_no_household(cli, session):
    """A plan drawn before the cells followed the groups' lines (here: its outlines replaced by boxes)
    gets them back from its households; memberships stay, each cell goes one version up, audited."""
    _ok(cli, "allocate", "--township", grid_town.TOWN, "--name", "一")
    _ok(cli, "assign", "1")
    _ok(cli, "publish", "1")
    cells = "SELECT code, version, ST_AsBinary(geom) FROM grid_cell WHERE plan_id = 1 ORDER BY code"
    drawn = session.execute(text(cells)).all()
    members = "SELECT household_id, cell_id FROM grid_membership WHERE plan_id = 1 ORDER BY household_id"
    before = session.execute(text(members)).all()
    session.execute(text("UPDATE grid_cell SET geom = ST_Multi(ST_Envelope(ST_Buffer(geom, 0.001)))"))
    session.execute(text("UPDATE grid_plan SET outlines = 'households'"))
    session.commit()
    hint = "旧画法的方案可用 gridmgmt grids redraw-outlines 方案编号 沿村民小组界线重画边界"
    assert "按农户就近（旧画法）" in _ok(cli, "list") and hint in _ok(cli, "list")
    assert "方案 1：已重画 3 个网格的边界，农户所属网格不变" in _ok(cli, "redraw-outlines", "1")
    session.expire_all()
    assert session.execute(text("SELECT outlines FROM grid_plan")).scalar_one() == "groups"
    assert hint not in _ok(cli, "list")
    assert session.execute(text(members)).all() == before
    for (code, version, wkb), (code_now, version_now, wkb_now) in zip(drawn, session.execute(text(cells)).all()):
        assert code_now == code and version_now == version + 1
        assert shapely.symmetric_difference(shapely.from_wkb(wkb), shapely.from_wkb(wkb_now)).area < 1e-12
    audit = "SELECT target, detail FROM audit_log WHERE action = 'redraw_plan'"
    assert session.execute(text(audit)).one() == ("网格方案 1“一”", {"cells": 3})
    result = cli.invoke(main, ["grids", "redraw-outlines", "7"])
    assert result.exit_code != 0 and "没有编号为 7 的网格方案" in result.output
    # An archived plan's outlines are the record of what was in force: not redrawn.
    session.execute(text("UPDATE grid_plan SET status = 'archived', outlines = 'households'"))
    session.commit()
    result = cli.invoke(main, ["grids", "redraw-outlines", "1"])
    assert result.exit_code != 0 and "方案 1 已归档：其网格边界是当时实行的记录，不再重画" in result.output
