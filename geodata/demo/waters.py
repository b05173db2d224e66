"""The demo's river: one meandering river across the township, from its west edge to its east edge."""

import numpy as np
import pandas as pd
import shapely

# 浰江 crosses 和平县; the demo's river takes its name.
RIVER_NAME = "浰江"
# Meanders: how many half-waves across the township and how far they swing (share of its height).
HALF_WAVES, SWING = 3, 0.08


def river_line(boundary) -> shapely.LineString:
    """A meandering west–east line across BOUNDARY (metres), north of its centre; its longest piece inside."""
    minx, miny, maxx, maxy = boundary.bounds
    x = np.linspace(minx - 1, maxx + 1, 240)
    height = maxy - miny
    centre = boundary.centroid.y + 0.12 * height
    y = centre + SWING * height * np.sin((x - minx) / (maxx - minx) * HALF_WAVES * np.pi)
    inside = shapely.LineString(np.column_stack([x, y])).intersection(boundary)
    pieces = shapely.get_parts(inside)
    return max(pieces, key=lambda p: p.length)


def build_waters(boundary, code: str, township_id: int = 1) -> pd.DataFrame:
    """The water table of a township inside BOUNDARY (metres): its river."""
    return pd.DataFrame(
        {
            "id": [1],
            "township_id": [township_id],
            "code": [f"{code}H01"],
            "name": [RIVER_NAME],
            "kind": ["river"],
            "geom": [river_line(boundary)],
        }
    )
