"""A road extract with no code column (OpenStreetMap, 天地图) imports, and imports again with --update
without adding a row."""

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from geodata.codes import GENERATED_HEADER
from geodata.errors import ImportRejected
from gridmgmt.cli import main
from gridmgmt.services.accounts.audit import Actor
from gridmgmt.services.imports import import_layer
from tests.actors import ADMIN, add_actor, cli  # noqa: F401 - the cli fixture

OSM = Path(__file__).resolve().parents[2] / "geodata" / "samples" / "osm"
TOWN = "449900102000"


def _without_codes(tmp_path: Path) -> Path:
    """The shipped OSM road sample with its code column removed, as an extract comes."""
    data = json.loads((OSM / "roads.geojson").read_text(encoding="utf-8"))
    for feature in data["features"]:
        del feature["properties"]["code"]
    path = tmp_path / "osm-roads.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _roads(session) -> tuple[int, int]:
    return session.execute(text("SELECT count(*), count(DISTINCT code) FROM road")).one()


def test_an_osm_extract_without_codes_imports_and_updates_in_place(session, cli, tmp_path):  # noqa: F811
    import_layer(session, "townships", OSM / "township.geojson", actor=Actor("importer"))
    path = _without_codes(tmp_path)
    first = import_layer(session, "roads", path, township=TOWN, actor=Actor("importer"))
    assert (first.inserted, first.updated) == (665, 0)
    assert _roads(session) == (665, 665)
    codes = set(session.execute(text("SELECT code FROM road")).scalars())
    add_actor(session)
    again = cli.invoke(main, ["import", "roads", str(path), "--township", TOWN, "--update", "--as", ADMIN])
    assert again.exit_code == 0, again.output
    assert "新增 0 条，更新 665 条" in again.output
    assert _roads(session) == (665, 665)
    assert set(session.execute(text("SELECT code FROM road")).scalars()) == codes


def test_without_update_a_second_import_names_the_generated_code_column(session, tmp_path):
    import_layer(session, "townships", OSM / "township.geojson", actor=Actor("importer"))
    path = _without_codes(tmp_path)
    import_layer(session, "roads", path, township=TOWN, actor=Actor("importer"))
    with pytest.raises(ImportRejected) as refused:
        import_layer(session, "roads", path, township=TOWN, actor=Actor("importer"))
    errors = refused.value.errors
    assert len(errors) == 665 and errors[0].field == GENERATED_HEADER
    assert "已存在于数据库" in errors[0].message
    assert _roads(session) == (665, 665)
