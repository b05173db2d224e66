"""The hex EWKB the households fast path lays out from coordinates equals shapely's own EWKB with SRID 4326."""

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from gridmgmt.db.bulk import ewkb_hex, point_ewkb_hex

number = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=200, derandomize=True, database=None, deadline=None)
@given(st.lists(st.tuples(number, number), min_size=1, max_size=20))
def test_points_laid_out_from_coordinates_match_shapely(coords):
    xy = np.array(coords, dtype=float)
    assert point_ewkb_hex(xy).to_pylist() == list(ewkb_hex(shapely.points(xy)))


def test_a_known_point_and_negative_zero():
    got = point_ewkb_hex(np.array([[115.7, 23.9], [-0.0, 1e308]]))
    assert got.to_pylist() == [
        "0101000020E6100000CDCCCCCCCCEC5C406666666666E63740",
        "0101000020E61000000000000000000080A0C8EB85F3CCE17F",
    ]
