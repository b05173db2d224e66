"""Every command-line export of personal data: written 0600, audited under the named app user (--as), refused
without one; exports without personal data need no user."""

import json
import os
import stat

import pytest
from sqlalchemy import text

from gridmgmt.cli import main
from gridmgmt.cli.actor import MISSING
from tests.actors import ADMIN, add_actor, cli  # noqa: F401 - fixture
from tests.integration.briefing_town import NEIGHBOUR_CODE, db, town  # noqa: F401 - fixtures

CODE = "{town}"  # filled in with the township's code
PLAN = "{plan}"  # and the grid plan's id
# (command with {out} for the output file, the audit action, the files it writes besides {out})
EXPORTS = {
    "households": (["export", "households", "--format", "csv", "-o", "{out}.csv"], "export_layers"),
    "cadres": (["export", "cadres", "--format", "geojson", "-o", "{out}.geojson"], "export_layers"),
    "party_members": (["export", "party_members", "--format", "shp", "-o", "{out}.shp"], "export_layers"),
    "flags": (
        ["export", "households", "--format", "gpkg", "--include-sensitive", "-o", "{out}.gpkg"],
        "export_sensitive",
    ),
    "geopackage": (
        ["export-gpkg", "--township", CODE, "--layers", "villages,households", "-o", "{out}.gpkg"],
        "export_layers",
    ),
    "map": (["export-map", "overview", "--township", CODE, "--format", "pdf", "-o", "{out}.pdf"], "export_map"),
    "coverage_xlsx": (
        ["coverage", "--township", CODE, "--no-reach", "--format", "xlsx", "-o", "{out}.xlsx"],
        "export_workbook",
    ),
    "coverage_json": (
        ["coverage", "--township", CODE, "--no-reach", "--format", "json", "-o", "{out}.json"],
        "export_workbook",
    ),
    "visits_xlsx": (
        ["visits", "status", "--township", CODE, "--format", "xlsx", "-o", "{out}.xlsx"],
        "export_workbook",
    ),
    "visits_json": (
        ["visits", "status", "--township", CODE, "--format", "json", "-o", "{out}.json"],
        "export_workbook",
    ),
    "roster": (["grids", "roster", "--township", CODE, "-o", "{out}.xlsx"], "export_workbook"),
    "grid_cells": (["grids", "export", PLAN, "--format", "geojson", "-o", "{out}.geojson"], "export_layers"),
    "grid_diff": (["grids", "diff", PLAN, PLAN, "-o", "{out}.geojson"], "export_layers"),
    "sites_sheet": (["sites", "sheet", CODE, "-o", "{out}.xlsx"], "export_workbook"),
}


def _args(db, town, tmp_path, name: str) -> tuple[list[str], str]:
    plan = db.execute(text("SELECT min(id) FROM grid_plan")).scalar()
    command, _ = EXPORTS[name]
    return [a.format(town=town, plan=plan, out=tmp_path / name) for a in command], str(tmp_path / name)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _audit(db) -> list:
    return db.execute(text("SELECT actor, action, target, remote_addr, detail FROM audit_log ORDER BY id")).all()


@pytest.mark.parametrize("name", EXPORTS)
def test_export_is_0600_and_audited_under_the_named_user(cli, db, town, tmp_path, name):
    user = add_actor(db)
    args, out = _args(db, town, tmp_path, name)
    written = args[-1]
    with open(written, "w") as old:  # an older, world-readable file of the same name is overwritten
        old.write("old")
    os.chmod(written, 0o644)
    result = cli.invoke(main, [*args, "--as", ADMIN])
    assert result.exit_code == 0, result.output
    files = [p for p in tmp_path.iterdir() if p.name.startswith(name)]
    assert files and {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
    [(actor, action, target, origin, detail)] = _audit(db)
    assert (actor, action) == (ADMIN, EXPORTS[name][1])
    assert origin.startswith("命令行 ") and target
    assert db.execute(text("SELECT user_id FROM audit_log")).scalar() == user
    assert "hardship" not in json.dumps(detail) or name == "flags"


@pytest.mark.parametrize("name", EXPORTS)
def test_export_without_a_named_user_is_refused_before_anything_is_written(cli, db, town, tmp_path, name):
    args, _ = _args(db, town, tmp_path, name)
    result = cli.invoke(main, args)
    assert result.exit_code == 2 and MISSING in result.output
    assert list(tmp_path.iterdir()) == [] and _audit(db) == []


def test_the_environment_names_the_user_too(cli, db, town, tmp_path, monkeypatch):
    add_actor(db)
    monkeypatch.setenv("GRIDMGMT_ACTOR", ADMIN)
    args, _ = _args(db, town, tmp_path, "roster")
    assert cli.invoke(main, args).exit_code == 0
    assert [row.actor for row in _audit(db)] == [ADMIN]


@pytest.mark.parametrize(
    "user, role, home, refusal",
    [
        ("ghost", None, None, "没有启用的用户“ghost”"),
        ("viewer", "leader", "town", "无权执行此操作（export_data）"),
        ("stranger", "planner", NEIGHBOUR_CODE, "只能处理本乡镇"),
    ],
)
def test_a_user_who_may_not_export_is_refused(cli, db, town, tmp_path, user, role, home, refusal):
    if role:
        add_actor(db, user, role, town if home == "town" else home)
    result = cli.invoke(main, ["export", "households", "--format", "csv", "-o", str(tmp_path / "h.csv"), "--as", user])
    assert result.exit_code == 1 and refusal in result.output
    assert list(tmp_path.iterdir()) == [] and _audit(db) == []


def test_a_planner_exports_only_their_own_township(cli, db, town, tmp_path):
    add_actor(db, "planner1", "planner", town)
    own = cli.invoke(
        main,
        ["export", "cadres", "--format", "csv", "--township", town, "-o", str(tmp_path / "c.csv"), "--as", "planner1"],
    )
    assert own.exit_code == 0, own.output
    other = cli.invoke(
        main, ["grids", "roster", "--township", NEIGHBOUR_CODE, "-o", str(tmp_path / "r.xlsx"), "--as", "planner1"]
    )
    assert other.exit_code == 1 and f"不属于乡镇 {NEIGHBOUR_CODE}" in other.output
    assert [row.actor for row in _audit(db)] == ["planner1"]


def test_exports_without_personal_data_need_no_user_and_are_still_private(cli, db, town, tmp_path):
    for layer in ("villages", "roads", "party_orgs"):
        result = cli.invoke(main, ["export", layer, "--format", "gpkg", "-o", str(tmp_path / f"{layer}.gpkg")])
        assert result.exit_code == 0, result.output
        assert _mode(tmp_path / f"{layer}.gpkg") == 0o600
    table = cli.invoke(main, ["coverage", "--township", town, "--no-reach"])  # on screen, like the page
    assert table.exit_code == 0 and _audit(db) == []


def test_finding_13_cli_exports_and_imports_are_private_and_audited_under_the_named_user(cli, db, town, tmp_path):
    """Finding 13: cadre exports (phone numbers) wrote no audit row, CLI audit rows named the OS user, export
    files were 0644, and imports were not audited."""
    add_actor(db)
    path = tmp_path / "cadres.csv"
    old = os.umask(0o022)
    try:
        exported = cli.invoke(
            main, ["export", "cadres", "--format", "csv", "--township", town, "-o", str(path), "--as", ADMIN]
        )
    finally:
        os.umask(old)
    assert exported.exit_code == 0, exported.output
    assert _mode(path) == 0o600
    anonymous = cli.invoke(main, ["import", "cadres", str(path), "--township", town, "--update"])
    assert anonymous.exit_code == 2 and MISSING in anonymous.output
    imported = cli.invoke(main, ["import", "cadres", str(path), "--township", town, "--update", "--as", ADMIN])
    assert imported.exit_code == 0, imported.output
    cadres = db.execute(text("SELECT count(*) FROM cadre")).scalar()
    rows = [(r.actor, r.action, r.detail.get("rows", r.detail.get("updated"))) for r in _audit(db)]
    assert rows == [(ADMIN, "export_layers", cadres), (ADMIN, "import_layer", cadres)]
