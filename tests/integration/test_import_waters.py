"""水系 imports like roads: lines and polygons, codes optional, all rows or none with per-row errors."""

import json

from sqlalchemy import text

from gridmgmt.cli import main
from tests.actors import ADMIN, add_actor, cli  # noqa: F401 - the cli fixture
from tests.integration.test_import import TOWNSHIP, load, villages  # noqa: F401 - the villages fixture
from tests.tables import fingerprints

RIVER = [[115.680, 23.905], [115.690, 23.903], [115.700, 23.906]]
POND = [[115.684, 23.895], [115.686, 23.895], [115.686, 23.897], [115.684, 23.897], [115.684, 23.895]]


def _geojson(tmp_path, features) -> str:
    path = tmp_path / "waters.geojson"
    data = {"type": "FeatureCollection", "features": [{"type": "Feature", **f} for f in features]}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _river(**properties) -> dict:
    return {
        "properties": {"名称": "东河", "类型": "河流", **properties},
        "geometry": {"type": "LineString", "coordinates": RIVER},
    }


def _pond(**properties) -> dict:
    return {"properties": {"类型": "池塘", **properties}, "geometry": {"type": "Polygon", "coordinates": [POND]}}


def test_a_river_and_a_pond_without_codes_import_from_the_command_line(villages, cli, tmp_path):  # noqa: F811
    add_actor(villages)
    path = _geojson(tmp_path, [_river(编码="HL1"), _pond()])
    result = cli.invoke(main, ["import", "waters", path, "--township", TOWNSHIP, "--as", ADMIN])
    assert result.exit_code == 0, result.output
    assert "新增 2 条" in result.output
    rows = villages.execute(
        text(
            "SELECT w.code, w.kind, ST_GeometryType(w.geom), t.code FROM water w JOIN township t ON t.id = w.township_id"
            " ORDER BY w.kind"
        )
    ).all()
    assert [(r[1], r[2], r[3]) for r in rows] == [
        ("pond", "ST_MultiPolygon", TOWNSHIP),
        ("river", "ST_LineString", TOWNSHIP),
    ]
    assert rows[1][0] == "HL1" and rows[0][0].startswith("WT")


def test_a_bad_row_changes_nothing_and_is_named_in_chinese(villages, cli, tmp_path):  # noqa: F811
    add_actor(villages)
    point = {"properties": {"类型": "河流"}, "geometry": {"type": "Point", "coordinates": [115.69, 23.90]}}
    path = _geojson(tmp_path, [_river(), _pond(类型="温泉"), point])
    before = fingerprints(villages)
    result = cli.invoke(main, ["import", "waters", path, "--township", TOWNSHIP, "--as", ADMIN])
    assert result.exit_code == 1
    assert "第 2 条［类型］" in result.output and "温泉" in result.output
    assert "第 3 条［几何］：几何类型应为线或面，实际是 Point" in result.output
    assert fingerprints(villages) == before
    assert villages.execute(text("SELECT count(*) FROM water")).scalar_one() == 0


def test_an_invalid_pond_is_repaired_on_request_and_stays_an_area(villages, tmp_path):  # noqa: F811
    bowtie = [[115.684, 23.895], [115.686, 23.897], [115.686, 23.895], [115.684, 23.897], [115.684, 23.895]]
    path = _geojson(tmp_path, [_pond(编码="T1") | {"geometry": {"type": "Polygon", "coordinates": [bowtie]}}])
    load(villages, "waters", path, fix_geometry=True)
    kind, parts = villages.execute(text("SELECT ST_GeometryType(geom), ST_NumGeometries(geom) FROM water")).one()
    assert (kind, parts) == ("ST_MultiPolygon", 2)
