"""The township frame: one projected CRS chosen from the centroid, and its tangent plane."""

import numpy as np
import pytest
import shapely

from gridmgmt.network.frame import TownshipFrame, frame_epsg


def test_gauss_kruger_zone_from_the_centroid():
    assert frame_epsg(115.7, 23.9) == 4548  # CM 117°E
    assert frame_epsg(116.4, 39.9) == 4548
    assert frame_epsg(121.4, 31.2) == 4549  # CM 120°E
    assert frame_epsg(121.5, 31.2) == 4550  # on the zone edge: the eastern zone
    assert frame_epsg(10.0, 50.0) == 32632  # outside China's meridians: UTM north
    assert frame_epsg(-70.0, -33.0) == 32719  # and south
    assert TownshipFrame(115.7, 23.9).crs.to_epsg() == 4548


def test_frame_metres_round_trip():
    frame = TownshipFrame(115.7, 23.9)
    x, y = frame.to_metres([115.7, 115.71], [23.9, 23.9])
    # 0.01° of longitude at 23.9°N is 1018.3 m on the ground, times the zone's scale 1.000215.
    assert np.hypot(x[1] - x[0], y[1] - y[0]) == pytest.approx(1018.3 * 1.000215, abs=0.3)
    line = shapely.LineString([(115.7, 23.9), (115.71, 23.91)])
    assert shapely.equals_exact(frame.unproject(frame.project(line)), line, tolerance=1e-9)


def test_tangent_plane_is_metric_and_round_trips_exactly():
    plane = TownshipFrame(115.7, 23.9).plane
    # 0.01° of longitude at 23.9°N is about 1018 m; 0.01° of latitude about 1107 m.
    east = plane.to_metres(shapely.LineString([(115.7, 23.9), (115.71, 23.9)]))
    north = plane.to_metres(shapely.LineString([(115.7, 23.9), (115.7, 23.91)]))
    assert east.length == pytest.approx(1018.3, abs=0.5) and north.length == pytest.approx(1107.7, abs=0.5)
    box = shapely.box(115.7, 23.9, 115.71, 23.91)
    assert shapely.equals_exact(plane.to_degrees(plane.to_metres(box)), box, tolerance=1e-12)
    # East stays east; lengths near the centroid agree with the frame (its scale 1.000215).
    assert plane.forward(np.array([[115.71, 23.9]]))[0, 1] == pytest.approx(0, abs=1e-9)
    x, y = TownshipFrame(115.7, 23.9).to_metres([115.7, 115.702], [23.9, 23.902])
    step = plane.forward(np.array([[115.702, 23.902]]))[0]
    assert np.hypot(*step) == pytest.approx(np.hypot(x[1] - x[0], y[1] - y[0]), abs=0.01)
