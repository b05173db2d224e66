"""Generated codes for rows of layers without a natural code (roads from an OSM extract)."""

import pandas as pd
import shapely

from geodata.codes import fill_codes, geometry_code
from geodata.layers import LAYERS
from geodata.prepare import prepare


def test_a_code_ignores_noise_below_a_centimetre_and_the_line_direction():
    line = shapely.LineString([(115.0, 24.0), (115.001, 24.002)])
    noisy = shapely.LineString([(115.00000001, 24.0), (115.001, 24.00200002)])
    reversed_line = shapely.LineString([(115.001, 24.002), (115.0, 24.0)])
    moved = shapely.LineString([(115.0, 24.0), (115.001, 24.0021)])
    code = geometry_code("RD", line)
    assert code.startswith("RD") and len(code) == 18
    assert geometry_code("RD", noisy) == geometry_code("RD", reversed_line) == code
    assert geometry_code("RD", moved) != code


def test_blank_codes_are_filled_given_ones_kept_and_repeats_numbered():
    a, b = shapely.LineString([(115, 24), (115.01, 24)]), shapely.LineString([(115, 24), (115, 24.01)])
    codes = fill_codes(pd.Series(["G205", None, None, None], dtype=object), [a, a, a, None], "RD")
    assert codes.iat[0] == "G205"
    assert codes.iat[1] == geometry_code("RD", a) and codes.iat[2] == geometry_code("RD", a) + "-2"
    assert codes.iat[3] is None
    assert fill_codes(None, [b], "RD").tolist() == [geometry_code("RD", b)]


def test_a_road_file_without_a_code_column_gets_codes_but_a_village_file_must_have_one(tmp_path):
    path = tmp_path / "roads.csv"
    path.write_text('名称,道路等级,WKT\n甲路,村道,"LINESTRING (115 24, 115.01 24)"\n', encoding="utf-8")
    prepared = prepare(path, LAYERS["roads"])
    assert prepared.errors == []
    assert prepared.values["code"].tolist() == [geometry_code("RD", shapely.LineString([(115, 24), (115.01, 24)]))]
    assert prepared.headers["code"] == "编码（自动生成）"
    assert LAYERS["villages"].code_prefix is None
