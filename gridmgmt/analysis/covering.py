"""Which polygons cover which points, the points given as coordinates: no point geometry is ever made.

The polygons' bounding boxes are laid on a uniform grid once; a point's candidates are the polygons
whose boxes touch its cell, and each candidate is tested with `shapely.intersects_xy` on the prepared
polygon. For a point, "intersects" is "covered by": a point on a polygon's edge (or a hole's) counts,
as PostGIS's ST_Covers counts it.
"""

import numpy as np
import shapely

# Cells per median polygon width: finer cells mean fewer candidates to test, more cells per polygon.
CELLS_PER_POLYGON = 4
# The grid never has more cells than this a side, however small the median polygon.
MAX_CELLS_A_SIDE = 1024


class CoverIndex:
    """POLYGONS (prepared here, left as they are otherwise) indexed to find those covering points."""

    def __init__(self, polygons: np.ndarray):
        self.polygons = polygons
        shapely.prepare(polygons)
        bounds = shapely.bounds(polygons).reshape(-1, 4)
        self.origin = bounds[:, :2].min(axis=0) if len(bounds) else np.zeros(2)
        extent = bounds[:, 2:].max(axis=0) - self.origin if len(bounds) else np.ones(2)
        widths = np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1])
        median = float(np.median(widths)) if len(widths) else 0.0
        self.size = max(median / CELLS_PER_POLYGON, float(extent.max()) / MAX_CELLS_A_SIDE) or 1.0
        low, high = self._cells(bounds[:, :2]), self._cells(bounds[:, 2:])
        self.shape = high.max(axis=0) + 1 if len(bounds) else np.ones(2, dtype=np.int64)
        across = high - low + 1
        counts = across[:, 0] * across[:, 1]
        owners = np.repeat(np.arange(len(bounds)), counts)
        nth = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        cells = (low[owners, 0] + nth // across[owners, 1]) * self.shape[1] + low[owners, 1] + nth % across[owners, 1]
        order = np.argsort(cells, kind="stable")
        self.owners = owners[order]
        self.starts = np.searchsorted(cells[order], np.arange(self.shape.prod() + 1))

    def _cells(self, xy: np.ndarray) -> np.ndarray:
        """The (column, row) grid cell of each of XY."""
        return np.floor((xy - self.origin) / self.size).astype(np.int64)

    def covering(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(points, polygons): every pair of an index into XY ((n, 2) coordinates, NaN: none) and an index
        into the polygons covering it."""
        finite = np.isfinite(xy).all(axis=1)
        cells = np.zeros((len(xy), 2), dtype=np.int64)
        cells[finite] = self._cells(xy[finite])
        on_grid = finite & (cells >= 0).all(axis=1) & (cells < self.shape).all(axis=1)
        cell = np.where(on_grid, cells[:, 0] * self.shape[1] + cells[:, 1], 0)
        first = self.starts[cell]
        counts = np.where(on_grid, self.starts[cell + 1] - first, 0)
        points = np.repeat(np.arange(len(xy)), counts)
        candidates = self.owners[np.repeat(first - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())]
        hit = shapely.intersects_xy(self.polygons[candidates], xy[points, 0], xy[points, 1])
        return points[hit], candidates[hit]
