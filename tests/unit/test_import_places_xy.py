"""Points located from their coordinates (no point geometry) land where shapely's `covers` on point geometries,
today's STRtree locate and PostGIS's ST_Covers put them: edges, holes and shared edges included."""

import numpy as np
import shapely

from gridmgmt.analysis.covering import CoverIndex
from gridmgmt.services.imports.places import NONE, Places


def box(x0, y0, x1, y1, hole=None):
    return shapely.Polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], [hole] if hole else None)


# A (id 10) and B (id 20) share the edge x = 2; A has a hole (1, 1)–(1.5, 1.5); C (id 30) overlaps A and B.
VILLAGES = [
    box(0, 0, 2, 2, hole=[(1, 1), (1.5, 1), (1.5, 1.5), (1, 1.5)]),
    box(2, 0, 4, 2),
    box(1.8, 1.8, 3, 3),
]


def places(groups=None) -> Places:
    return Places(np.array([10, 20, 30]), np.array([1, 1, 2]), np.array(VILLAGES, dtype=object), groups)


def test_edges_holes_and_shared_edges_by_hand():
    xy = np.array(
        [
            [0.5, 0.5],  # inside A
            [0.0, 1.0],  # on A's outer edge
            [1.2, 1.2],  # in A's hole: no village
            [1.0, 1.2],  # on the hole's edge: A covers it
            [2.0, 1.0],  # on the edge A and B share: both cover it, the smaller id wins
            [2.5, 2.5],  # only in C
            [1.9, 1.9],  # in A and C: A
            [5.0, 5.0],  # outside everything
            [np.nan, np.nan],  # no point
        ]
    )
    located = places().locate(xy)
    assert located["place_village_id"].tolist() == [10, 10, NONE, 10, 10, 30, 10, NONE, NONE]
    assert located["place_township_id"].tolist() == [1, 1, NONE, 1, 1, 2, 1, NONE, NONE]


def test_the_same_pairs_as_covers_on_point_geometries():
    """Every point of a grid through the villages' corners and edges, against shapely's own `covers`."""
    xs = np.arange(-0.5, 4.6, 0.1).round(6)
    xy = np.array([(x, y) for x in xs for y in xs])
    points, polygons = CoverIndex(np.array(VILLAGES, dtype=object)).covering(xy)
    got = set(zip(points.tolist(), polygons.tolist()))
    expected = {
        (i, k)
        for k, village in enumerate(VILLAGES)
        for i in np.flatnonzero(shapely.covers(village, shapely.points(xy))).tolist()
    }
    assert got == expected and len(got) > len(xy) // 4


def test_no_polygons_locate_nothing():
    points, polygons = CoverIndex(np.array([], dtype=object)).covering(np.array([[1.0, 1.0]]))
    assert len(points) == len(polygons) == 0


def test_groups_polygons_of_the_village_first_else_its_nearest_point_group():
    # Group 7 of B reaches into A and must not claim A's points; A's upper half has point groups 5 and 6.
    groups = (
        np.array([4, 5, 6, 7]),
        np.array([10, 10, 10, 20]),
        np.array([2, 0, 0, 2]),
        np.array(
            [box(0, 0, 2, 1), shapely.Point(0.5, 1.8), shapely.Point(1.5, 1.8), box(1.5, 0, 4, 0.5)], dtype=object
        ),
    )
    xy = np.array([[1.0, 0.5], [1.8, 0.2], [0.2, 1.6], [1.7, 1.9], [1.0, 1.75], [3.0, 0.2], [3.0, 1.5]])
    located = places(groups).locate(xy)
    assert located["place_village_id"].tolist() == [10, 10, 10, 10, 10, 20, 20]
    # (1.0, 1.75) is as near to 5 as to 6: the smaller id.
    assert located["place_group_id"].tolist() == [4, 4, 5, 6, 5, 7, NONE]
