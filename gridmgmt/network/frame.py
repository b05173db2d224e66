"""One metric frame per township: the projected CRS every distance, area and map is measured in.

The rule: the CGCS2000 3° Gauss–Krüger zone (EPSG:4534–4554, central meridians 75°E–135°E,
which cover all of China) whose central meridian is nearest the township's centroid; on a
zone edge (x.5 × 3°) the eastern zone. Outside those meridians, the WGS 84 UTM zone (north
or south) of the centroid. A 3° zone keeps the scale error below 0.03 % for any township.
"""

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely
from pyproj import CRS, Transformer

# EPSG:4534 is CGCS2000 3-degree Gauss-Kruger CM 75E; the zones go on every 3° to 135E.
GK_FIRST_EPSG, GK_FIRST_CM, GK_LAST_CM = 4534, 75, 135


def frame_epsg(lon: float, lat: float) -> int:
    """EPSG code of the frame at (LON, LAT) by the rule of this module."""
    meridian = 3 * math.floor(lon / 3 + 0.5)
    if GK_FIRST_CM <= meridian <= GK_LAST_CM:
        return GK_FIRST_EPSG + (meridian - GK_FIRST_CM) // 3
    zone = min(60, int((lon + 180) // 6) + 1)
    return (32600 if lat >= 0 else 32700) + zone


@dataclass(frozen=True)
class LocalPlane:
    """The frame's projection linearised at its origin and turned to true north: an affine
    map of lon/lat to metres east and north at the frame's scale.

    Straight lon/lat edges stay straight both ways, so polygons clipped on the plane map
    back exactly onto the stored boundaries (the projection itself would bend long edges
    by millimetres); lengths agree with the frame to about 0.1 % across 20 km.
    """

    lon0: float
    lat0: float
    jacobian: tuple  # ((dx/dlon, dx/dlat), (dy/dlon, dy/dlat)) in metres per degree

    def forward(self, lonlat: np.ndarray) -> np.ndarray:
        """(n, 2) lon/lat as (n, 2) metres on the plane."""
        return (np.asarray(lonlat, float) - [self.lon0, self.lat0]) @ np.asarray(self.jacobian).T

    def inverse(self, xy: np.ndarray) -> np.ndarray:
        """(n, 2) metres on the plane back as lon/lat."""
        return np.asarray(xy, float) @ np.linalg.inv(np.asarray(self.jacobian)).T + [self.lon0, self.lat0]

    def to_metres(self, geoms):
        """GEOMS (lon/lat) on the plane."""
        return shapely.transform(geoms, self.forward)

    def to_degrees(self, geoms):
        """GEOMS on the plane back in lon/lat."""
        return shapely.transform(geoms, self.inverse)


@dataclass(frozen=True)
class TownshipFrame:
    """The metric frame of a township whose centroid is (LON, LAT)."""

    lon: float
    lat: float

    @cached_property
    def epsg(self) -> int:
        """EPSG code (PostGIS SRID) of the frame."""
        return frame_epsg(self.lon, self.lat)

    @cached_property
    def crs(self) -> CRS:
        """The frame as a pyproj CRS."""
        return CRS.from_epsg(self.epsg)

    @cached_property
    def _forward(self) -> Transformer:
        return Transformer.from_crs(4326, self.crs, always_xy=True)

    @cached_property
    def _inverse(self) -> Transformer:
        return Transformer.from_crs(self.crs, 4326, always_xy=True)

    def to_metres(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        """Frame coordinates (x, y) in metres of the points LON/LAT."""
        x, y = self._forward.transform(np.asarray(lon, float), np.asarray(lat, float))
        return np.asarray(x, float), np.asarray(y, float)

    def project(self, geoms):
        """GEOMS (lon/lat) in the frame."""
        return shapely.transform(geoms, lambda c: np.column_stack(self.to_metres(c[:, 0], c[:, 1])))

    def unproject(self, geoms):
        """GEOMS in the frame back in lon/lat."""
        return shapely.transform(geoms, lambda c: np.column_stack(self._inverse.transform(c[:, 0], c[:, 1])))

    @cached_property
    def plane(self) -> LocalPlane:
        """The frame's tangent plane at the township's centroid, turned to true north (see LocalPlane)."""
        # Central differences over ±0.001° (about 100 m): the curvature left out is far below 1 mm/km.
        step = 1e-3
        x, y = self.to_metres(
            [self.lon + step, self.lon - step, self.lon, self.lon],
            [self.lat, self.lat, self.lat + step, self.lat - step],
        )
        jacobian = np.array([[x[0] - x[1], x[2] - x[3]], [y[0] - y[1], y[2] - y[3]]]) / (2 * step)
        # The polar factor drops the grid convergence (a rotation) and keeps the frame's scale:
        # x stays east, so allocations do not turn with the zone's meridian.
        _, scale, turn = np.linalg.svd(jacobian)
        upright = turn.T @ np.diag(scale) @ turn
        return LocalPlane(self.lon, self.lat, tuple(map(tuple, upright.tolist())))
