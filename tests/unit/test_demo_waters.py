"""The demo township's river: along group boundaries, from the west edge to the east edge."""

import numpy as np
import shapely

from geodata.demo.waters import river_line


def _grid(n: int, size: float) -> np.ndarray:
    """N×N square groups of SIZE metres, from the origin."""
    return np.array(
        [shapely.box(i * size, j * size, (i + 1) * size, (j + 1) * size) for i in range(n) for j in range(n)]
    )


def test_a_river_crosses_a_township_of_two_parts_in_its_larger_one():
    """A county township may come as a MultiPolygon (an exclave): the river crosses the main part,
    from its west edge to its east edge, along the boundaries between groups."""
    groups = _grid(4, 1000.0)
    villages = np.array([shapely.box(0, 0, 2000, 4000), shapely.box(2000, 0, 4000, 4000)])
    boundary = shapely.MultiPolygon([shapely.box(0, 0, 4000, 4000), shapely.box(6000, 0, 6500, 500)])
    river = river_line(boundary, villages, groups)
    (west, _), (east, _) = shapely.get_coordinates(river)[[0, -1]]
    assert west == 0 and east == 4000
    inner = shapely.LineString(shapely.get_coordinates(river)[1:-1])
    assert shapely.union_all(shapely.boundary(groups)).buffer(1.0).contains(inner)
