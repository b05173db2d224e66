"""Geometry checks and CRS conversion, without a database."""

import numpy as np
import pytest
import shapely

from geodata.crs import to_wgs84
from geodata.errors import ImportRejected
from geodata.geometry import china_errors, normalise_kind


def _arr(*geoms):
    return np.array(geoms, dtype=object)


def test_points_outside_china_and_swapped_lat_lon_are_told_apart():
    errors = china_errors(
        _arr(
            shapely.Point(115.7, 23.9),
            shapely.Point(23.9, 115.7),
            shapely.Point(2.35, 48.85),
            shapely.Point(500000, 2640000),
            None,
        )
    )
    assert [e.row for e in errors] == [2, 3, 4]
    assert "经纬度可能写反了" in errors[0].message
    assert "不在中国境内" in errors[1].message
    assert "投影坐标" in errors[2].message


def test_kinds_are_normalised_and_wrong_kinds_refused():
    square = shapely.box(115.7, 23.9, 115.71, 23.91)
    two_lines = shapely.MultiLineString([[(0, 0), (1, 1)], [(1, 1), (2, 1)]])
    polygons, errors = normalise_kind(_arr(square, shapely.Point(1, 1)), "polygon")
    assert polygons[0].geom_type == "MultiPolygon" and polygons[1] is None
    assert [e.row for e in errors] == [2]
    lines, errors = normalise_kind(_arr(two_lines), "line")
    assert lines[0].geom_type == "LineString" and not errors


def test_projected_cgcs2000_is_reprojected():
    # EPSG:4547 is CGCS2000 / 3-degree Gauss-Kruger CM 114E; x = 500 km lies on 114°E.
    out = to_wgs84(_arr(shapely.Point(500000, 2644000)), "EPSG:4547", None)
    assert shapely.get_x(out[0]) == pytest.approx(114.0, abs=1e-6)
    assert 23.8 < shapely.get_y(out[0]) < 24.0


def test_cgcs2000_geographic_is_stored_as_is():
    point = _arr(shapely.Point(115.7, 23.9))
    assert to_wgs84(point, "EPSG:4490", None)[0].equals(point[0])


def test_declared_gcj02_overrides_the_file_crs():
    out = to_wgs84(_arr(shapely.Point(116.41024, 39.91640)), "EPSG:4326", "gcj02")
    assert shapely.get_x(out[0]) == pytest.approx(116.404, abs=2e-5)


def test_unknown_crs_and_undeclared_projected_coordinates_are_refused():
    with pytest.raises(ImportRejected, match="导入被拒绝") as info:
        to_wgs84(_arr(shapely.Point(115.7, 23.9)), None, "EPSG:999999")
    assert "无法识别的坐标系" in str(info.value.errors[0])
    with pytest.raises(ImportRejected) as info:
        to_wgs84(_arr(shapely.Point(500000, 2644000)), None, None)
    assert "--crs" in str(info.value.errors[0])
