"""Plain 2D points read as coordinates straight from their WKB; anything else is left to shapely.from_wkb."""

import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from geodata.geometry import plain_points
from geodata.layers import LAYERS
from geodata.prepare import prepare_source
from geodata.reading import Source


def wkb(*geoms, byte_order=1) -> pa.Array:
    return pa.array([shapely.to_wkb(g, byte_order=byte_order) for g in geoms], pa.binary())


def test_points_give_their_coordinates_and_an_empty_point_nan():
    xy = plain_points(wkb(shapely.Point(115.7, 23.9), shapely.Point(), shapely.Point(-0.0, 1e308)))
    assert xy.tolist()[0] == [115.7, 23.9] and np.isnan(xy[1]).all() and xy.tolist()[2] == [-0.0, 1e308]


def test_a_slice_and_chunks_read_their_own_rows():
    array = wkb(*(shapely.Point(i, i + 0.5) for i in range(5)))
    assert plain_points(array.slice(2, 2)).tolist() == [[2, 2.5], [3, 3.5]]
    assert plain_points(pa.chunked_array([array.slice(0, 1), array.slice(4)])).tolist() == [[0, 0.5], [4, 4.5]]


def test_anything_but_plain_little_endian_2d_points_is_left_to_geos():
    point = shapely.Point(1, 2)
    assert plain_points(wkb(point, byte_order=0)) is None
    assert plain_points(wkb(point, shapely.Point(1, 2, 3))) is None
    assert plain_points(wkb(point, shapely.MultiPoint([(1, 2)]))) is None
    assert plain_points(wkb(point, shapely.LineString([(0, 0), (1, 1)]))) is None
    assert plain_points(pa.array([shapely.to_wkb(point), None], pa.binary())) is None
    assert plain_points(wkb(shapely.Point(1, np.nan))) is None
    assert plain_points(wkb(shapely.Point(np.inf, 2))) is None
    assert plain_points(pa.array([], pa.binary())) is None


def test_a_batch_of_points_prepared_as_coordinates_equals_it_prepared_as_geometries():
    """Same values, same errors (an empty point, a point outside China), same points, whichever way it came."""
    layer = LAYERS["households"]
    frame = {"户编码": ["h1", "h2", "h3"], "户主": ["甲", "乙", "丙"]}
    xy = np.array([[115.7, 23.9], [np.nan, np.nan], [15.7, 23.9]])
    geoms = shapely.points(xy)
    geoms[1] = shapely.Point()
    fast = prepare_source(Source(pd.DataFrame(frame), None, "EPSG:4326", xy.copy()), layer)
    slow = prepare_source(Source(pd.DataFrame(frame), geoms, "EPSG:4326"), layer)
    assert fast.shapes is None and fast.points is not None and slow.points is None
    assert fast.errors == slow.errors and len(fast.errors) == 2
    assert np.array_equal(fast.xy(), slow.xy(), equal_nan=True)
    assert list(fast.geoms) == list(slow.geoms) == [shapely.Point(115.7, 23.9), None, None]


def test_projected_and_gcj02_points_convert_as_geometries_do():
    layer = LAYERS["households"]
    frame = pd.DataFrame({"户编码": ["h1", "h2"], "户主": ["甲", "乙"]})
    for xy, file_crs, declared in (
        (np.array([[568_000.0, 2_645_000.0], [569_000.0, 2_646_000.0]]), "EPSG:4547", None),
        (np.array([[115.7, 23.9], [115.8, 24.0]]), None, "gcj02"),
    ):
        fast = prepare_source(Source(frame, None, file_crs, xy.copy()), layer, declared)
        slow = prepare_source(Source(frame, shapely.points(xy), file_crs), layer, declared)
        assert fast.errors == slow.errors == [] and np.allclose(fast.xy(), slow.xy(), rtol=0, atol=1e-9)
        assert not np.array_equal(fast.xy(), xy)


def test_a_projected_point_beyond_the_projection_is_refused_as_geometries_are():
    """pyproj makes it infinite: the same error, and the row keeps no point."""
    frame = pd.DataFrame({"户编码": ["h1"], "户主": ["甲"]})
    xy = np.array([[38_500_000.0, 2_650_000.0]])
    fast = prepare_source(Source(frame, None, "EPSG:4547", xy.copy()), LAYERS["households"])
    slow = prepare_source(Source(frame, shapely.points(xy), "EPSG:4547"), LAYERS["households"])
    assert fast.errors == slow.errors and "不是经纬度" in fast.errors[0].message
    assert np.isnan(fast.xy()).all() and list(fast.geoms) == list(slow.geoms) == [None]
