"""Export → import round trips, sensitive flags, the audit log, and the CLI."""

from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner
from sqlalchemy import text

import geodata
from gridmgmt.cli import main
from gridmgmt.config import get_settings
from gridmgmt.db.models import SENSITIVE_HOUSEHOLD_COLUMNS, Base
from gridmgmt.services.accounts.audit import Actor
from gridmgmt.services.imports import import_layer
from gridmgmt.services.mapdata.exporting import ExportRefused, export_layer
from tests.actors import ADMIN, add_actor

SAMPLES = Path(geodata.__file__).parent / "samples"
TOWNSHIP = "449900101000"
TESTER = Actor("tester")
SAMPLE_FILES = (
    ("townships", "township.geojson"),
    ("villages", "villages.geojson"),
    ("groups", "groups.geojson"),
    ("households", "households.csv"),
)
# What must survive the round trip: every stored column, links by code, and the exact
# coordinates (ST_Normalize: Shapefile rewinds polygon rings clockwise, which is the same shape).
CONTENT = {
    "townships": "SELECT code, name, county, ST_AsEWKB(ST_Normalize(geom)), ST_AsEWKB(ST_Normalize(seat)) FROM township",
    "villages": "SELECT code, name, is_community, is_poverty_alleviated, is_revitalization_focus, "
    "is_weak_org, ST_AsEWKB(ST_Normalize(geom)) FROM village",
    "groups": "SELECT g.code, g.name, v.code, ST_AsEWKB(ST_Normalize(g.geom)) FROM village_group g "
    "JOIN village v ON v.id = g.village_id",
    "households": "SELECT h.code, head, address, member_count, hardship, critically_ill, empty_nest_elderly, "
    "left_behind_children, petitioner, is_party_household, is_party_center_household, "
    "v.code, g.code, ST_AsEWKB(ST_Normalize(h.geom)) FROM household h JOIN village v ON v.id = h.village_id "
    "LEFT JOIN village_group g ON g.id = h.group_id",
}


def _import(session, layer, path):
    return import_layer(session, layer, path, actor=TESTER, township=None if layer == "townships" else TOWNSHIP)


@pytest.fixture
def sample(session):
    """The sample township with villages, groups and households."""
    for layer, name in SAMPLE_FILES:
        _import(session, layer, SAMPLES / name)
    return session


def _content(session) -> dict:
    return {layer: sorted(session.execute(text(sql)).all()) for layer, sql in CONTENT.items()}


def _empty(session) -> None:
    session.execute(text(f"TRUNCATE {', '.join(t.name for t in Base.metadata.sorted_tables)} CASCADE"))
    session.commit()


@pytest.mark.parametrize("fmt", ["gpkg", "geojson", "csv", "shp"])
def test_round_trip_gives_the_same_rows_and_geometries(sample, tmp_path, fmt):
    before = _content(sample)
    files = []
    for layer, _ in SAMPLE_FILES:
        # A Shapefile holds one geometry type; the sample groups mix points and polygons.
        layer_fmt = "gpkg" if fmt == "shp" and layer == "groups" else fmt
        path = tmp_path / f"{layer}.{layer_fmt}"
        export_layer(sample, layer, layer_fmt, path, township=TOWNSHIP, include_sensitive=True, actor=TESTER)
        files.append((layer, path))
    _empty(sample)
    for layer, path in files:
        _import(sample, layer, path)
    assert _content(sample) == before


def test_sensitive_flags_are_left_out_by_default_and_the_names_export_audited(sample, tmp_path):
    path = tmp_path / "h.csv"
    assert export_layer(sample, "households", "csv", path, actor=TESTER) == 10
    columns = set(pd.read_csv(path, encoding="utf-8-sig").columns)
    assert "code" in columns and not columns & set(SENSITIVE_HOUSEHOLD_COLUMNS)
    action, detail = sample.execute(text("SELECT action, detail FROM audit_log WHERE action LIKE 'export%'")).one()
    assert action == "export_layers" and detail["rows"] == 10 and "columns" not in detail


def test_a_layer_of_people_is_not_exported_without_an_actor(sample, tmp_path):
    with pytest.raises(ExportRefused, match="含个人信息：导出须指明操作人"):
        export_layer(sample, "households", "csv", tmp_path / "h.csv")
    assert not (tmp_path / "h.csv").exists()
    assert export_layer(sample, "villages", "csv", tmp_path / "v.csv") == 3  # no person in it: no actor needed


def test_sensitive_export_is_audited_without_flag_values(sample, tmp_path):
    path = tmp_path / "h.gpkg"
    export_layer(sample, "households", "gpkg", path, include_sensitive=True, actor=TESTER)
    assert set(SENSITIVE_HOUSEHOLD_COLUMNS) <= set(pyogrio.read_info(path)["fields"])
    actor, action, target, detail = sample.execute(
        text("SELECT actor, action, target, detail FROM audit_log WHERE action LIKE 'export%'")
    ).one()
    assert (actor, action, target) == ("tester", "export_sensitive", f"households → {path}")
    assert detail["rows"] == 10 and "hardship" in detail["columns"]
    assert not any(isinstance(v, bool) for v in detail.values())


def test_unknown_township_or_folder_is_refused(sample, tmp_path):
    with pytest.raises(ExportRefused, match="乡镇编码“404”不存在"):
        export_layer(sample, "villages", "gpkg", tmp_path / "v.gpkg", township="404")
    with pytest.raises(ExportRefused, match="目录不存在"):
        export_layer(sample, "villages", "gpkg", tmp_path / "no" / "v.gpkg")


@pytest.fixture
def cli_on_test_db(db_url, monkeypatch):
    """Point the CLI's default database at the test database."""
    monkeypatch.setenv("GRIDMGMT_DB_NAME", get_settings().test_db_name)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_cli_reports_every_error_and_exits_non_zero(sample, cli_on_test_db, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("户编码,户主,经度,纬度\nh1,,115.69,23.9\nh2,乙,23.9,115.69\n", encoding="utf-8")
    add_actor(sample)
    result = cli_on_test_db.invoke(main, ["import", "households", str(path), "--township", TOWNSHIP, "--as", ADMIN])
    assert result.exit_code == 1
    assert "第 1 条［户主］：缺少必填项“户主”" in result.output
    assert "第 2 条［几何］：经纬度可能写反了" in result.output
    assert "导入被拒绝：2 处错误，未写入任何数据" in result.output


def test_cli_exports_with_audit_under_the_named_user(sample, cli_on_test_db, tmp_path):
    add_actor(sample)
    path = tmp_path / "h.geojson"
    result = cli_on_test_db.invoke(
        main, ["export", "households", "--format", "geojson", "-o", str(path), "--include-sensitive", "--as", ADMIN]
    )
    assert result.exit_code == 0, result.output
    assert "已导出 农户 10 条" in result.output
    assert sample.execute(text("SELECT actor FROM audit_log WHERE action = 'export_sensitive'")).scalar() == ADMIN


def test_cli_takes_the_format_from_the_file_name_and_refuses_a_contradiction(sample, cli_on_test_db, tmp_path):
    add_actor(sample)
    path = tmp_path / "村.csv"
    result = cli_on_test_db.invoke(main, ["export", "villages", "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8-sig").startswith("code,")
    result = cli_on_test_db.invoke(main, ["export", "villages", "--format", "CSV", "-o", str(tmp_path / "村.gpkg")])
    assert result.exit_code == 2 and "村.gpkg 的扩展名与格式 CSV 不符：请改用 .csv" in result.output
    result = cli_on_test_db.invoke(main, ["export", "villages", "-o", str(tmp_path / "村")])
    assert result.exit_code == 2 and "请用 --format 指明输出格式" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["村.csv"]
