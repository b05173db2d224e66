"""Offline HTML map, GeoPackage for QGIS, and the export-map / export-gpkg commands."""

import json
import re
from io import BytesIO

import openpyxl
import pyogrio
import pytest
from PIL import Image
from sqlalchemy import text

from gridmgmt.cli import main
from gridmgmt.config import get_settings
from gridmgmt.db.models import SENSITIVE_HOUSEHOLD_COLUMNS
from gridmgmt.services.accounts.audit import Actor
from gridmgmt.services.briefing.exports import BriefingRefused, export_geopackage, export_map
from gridmgmt.services.briefing.roster import NoPlan, grid_roster
from tests.actors import ADMIN, add_actor, cli  # noqa: F401 - fixture
from tests.integration.briefing_town import NEIGHBOUR_CODE, db, town  # noqa: F401 - fixtures


def test_html_map_has_every_asset_inlined(db, town, tmp_path):
    path = export_map(
        db,
        "overview",
        town,
        "html",
        tmp_path / "map.html",
        actor=Actor("tester"),
        node_modules=get_settings().node_modules,
    )
    html = path.read_text(encoding="utf-8")
    # Leaflet's own code holds links (its attribution); the page's markup must fetch nothing.
    markup = re.sub(r"<(script|style)>.*?</\1>", "", html, flags=re.DOTALL)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", markup)
    assert "<script src" not in html and "<link" not in html
    assert "L.map(" in html and "leaflet-container" in html  # Leaflet's JS and CSS are in the page
    assert "url(data:image/png;base64," in html
    for village in db.execute(text("SELECT name FROM village")).scalars():
        assert json.dumps(village)[1:-1] in html  # folium writes the GeoJSON with \\u escapes
    for flag in SENSITIVE_HOUSEHOLD_COLUMNS:
        assert f'"{flag}"' not in html
    assert db.execute(text("SELECT action, detail->>'format' FROM audit_log")).one() == ("export_map", "html")


def test_html_is_only_for_the_overview(db, town, tmp_path):
    with pytest.raises(BriefingRefused, match="HTML 格式只支持：乡镇概况图"):
        export_map(db, "coverage", town, "html", tmp_path / "map.html")


def test_geopackage_holds_the_chosen_layers_without_sensitive_flags(db, town, tmp_path):
    path = tmp_path / "town.gpkg"
    path.write_bytes(b"an older file")
    counts = export_geopackage(db, town, ["villages", "roads", "households"], path, actor=Actor("tester"))
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) == {"villages", "roads", "households"}
    assert counts["villages"] == 6 and counts["households"] > 500
    households = pyogrio.read_dataframe(path, layer="households")
    assert not set(households.columns) & set(SENSITIVE_HOUSEHOLD_COLUMNS)
    assert len(households) == counts["households"]
    action, detail = db.execute(text("SELECT action, detail FROM audit_log")).one()
    assert action == "export_layers" and detail["layers"] == counts and detail["sensitive"] is False


def test_geopackage_refuses_unknown_layers(db, town, tmp_path):
    with pytest.raises(BriefingRefused, match="未知图层：weather"):
        export_geopackage(db, town, ["villages", "weather"], tmp_path / "x.gpkg")
    assert not (tmp_path / "x.gpkg").exists()
    assert db.execute(text("SELECT count(*) FROM audit_log")).scalar() == 0


def test_cli_writes_an_a3_landscape_png_under_the_named_user(cli, db, town, tmp_path):
    """A PNG because the file is named .png (the default is PDF)."""
    add_actor(db)
    path = tmp_path / "overview.png"
    result = cli.invoke(
        main,
        [
            "export-map",
            "overview",
            "--township",
            town,
            "--paper",
            "A3",
            "--orientation",
            "landscape",
            "-o",
            str(path),
            "--as",
            ADMIN,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "已导出乡镇概况图到" in result.output
    with Image.open(path) as image:
        assert image.size == (4961, 3508)
    assert db.execute(text("SELECT actor, remote_addr LIKE '命令行 %' FROM audit_log")).one() == (ADMIN, True)
    assert path.stat().st_mode & 0o777 == 0o600


def test_cli_refuses_an_unknown_township_in_chinese(cli, db, town, tmp_path):
    add_actor(db)
    result = cli.invoke(
        main, ["export-map", "overview", "--township", "000", "-o", str(tmp_path / "x.pdf"), "--as", ADMIN]
    )
    assert result.exit_code == 1
    assert "没有编码为 000 的乡镇" in result.output


def test_cli_geopackage(cli, db, town, tmp_path):
    add_actor(db)
    path = tmp_path / "town.gpkg"
    result = cli.invoke(
        main, ["export-gpkg", "--township", town, "--layers", "villages,roads", "-o", str(path), "--as", ADMIN]
    )
    assert result.exit_code == 0, result.output
    assert "行政村 6 条" in result.output
    assert {name for name, _ in pyogrio.list_layers(path)} == {"villages", "roads"}


def test_grid_roster_lists_every_cell_with_its_worker_and_is_audited(db, town):
    book = openpyxl.load_workbook(BytesIO(grid_roster(db, town, Actor("tester"))))
    assert book.sheetnames == ["说明", "网格花名册", "联户党员"]
    roster = book["网格花名册"]
    header = [c.value for c in roster[1]]
    assert header[:6] == ["行政村", "网格编号", "网格名称", "户数", "人口", "网格员"] and roster.freeze_panes == "A2"
    rows = list(roster.iter_rows(min_row=2, values_only=True))
    cells, households = db.execute(
        text("SELECT (SELECT count(*) FROM grid_cell), (SELECT count(*) FROM grid_membership)")
    ).one()
    assert len(rows) == cells and sum(r[3] for r in rows) == households
    # The test plan has no workers and no liaisons: every household is counted as without one.
    assert {r[5] for r in rows} == {"（未配）"} and sum(r[-1] for r in rows) == households
    assert dict(book["说明"].iter_rows(min_row=2, values_only=True))["网格方案"] == "测试方案"
    assert db.execute(text("SELECT actor, target FROM audit_log WHERE action = 'export_workbook'")).one() == (
        "tester",
        f"网格花名册-{town}.xlsx",
    )
    with pytest.raises(NoPlan, match="还没有网格方案"):
        grid_roster(db, NEIGHBOUR_CODE, Actor("tester"))
