"""GCJ-02 / BD-09 to WGS84: the iterative inverse undoes the published forward formulas."""

import numpy as np
import pytest

from geodata.chinacoords import bd09_to_wgs84, gcj02_to_wgs84, wgs84_to_bd09, wgs84_to_gcj02

# Demo township, Beijing, Shanghai, Urumqi, Harbin, Sanya.
POINTS = np.array(
    [
        [115.7, 23.9],
        [116.404, 39.915],
        [121.47, 31.23],
        [87.6, 43.8],
        [126.6, 45.75],
        [109.5, 18.25],
    ]
)
# 1e-7 degrees is about 1 cm.
CM = 1e-7


def test_gcj02_forward_matches_the_known_beijing_offset():
    gcj = wgs84_to_gcj02(np.array([[116.404, 39.915]]))
    assert gcj[0] == pytest.approx([116.41024, 39.91640], abs=1e-5)


@pytest.mark.parametrize(
    ("forward", "inverse"),
    [
        (wgs84_to_gcj02, gcj02_to_wgs84),
        (wgs84_to_bd09, bd09_to_wgs84),
    ],
)
def test_inverse_recovers_wgs84_to_the_centimetre(forward, inverse):
    shifted = forward(POINTS)
    # The shift itself is hundreds of metres, so a no-op inverse would fail.
    assert np.abs(shifted - POINTS).max() > 1e-3
    assert np.abs(inverse(shifted) - POINTS).max() < CM


def test_inverse_of_a_declared_point_maps_back_onto_it():
    declared = np.array([[115.71, 23.905]])
    assert np.abs(wgs84_to_bd09(bd09_to_wgs84(declared)) - declared).max() < CM


@pytest.mark.parametrize(
    ("forward", "inverse"),
    [
        (wgs84_to_gcj02, gcj02_to_wgs84),
        (wgs84_to_bd09, bd09_to_wgs84),
    ],
)
def test_positions_outside_china_are_left_as_they_are(forward, inverse):
    # New York, Paris, near the North Pole: the formula shifted the first two by hundreds of
    # metres and turned the last into NaN; abroad, Amap and Baidu give WGS84.
    abroad = np.array([[-74.006, 40.7128], [2.35, 48.85], [10.0, 89.9999]])
    assert np.array_equal(inverse(abroad), abroad) and np.array_equal(forward(abroad), abroad)
    # Mixed with positions in China, those still convert as before.
    mixed = np.vstack([POINTS, abroad])
    assert np.abs(inverse(forward(mixed)) - mixed).max() < CM
    assert np.array_equal(inverse(mixed)[len(POINTS) :], abroad)
