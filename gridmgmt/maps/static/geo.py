"""How the township frame's projection (gridmgmt.network.frame) bends at the map centre."""

import math

from pyproj import CRS, Geod, Transformer

from gridmgmt.network.frame import GK_FIRST_EPSG

GEOD = Geod(ellps="GRS80")


def local_distortion(crs: CRS, lon: float, lat: float) -> tuple[float, float]:
    """(scale factor, degrees from grid north to true north, counter-clockwise) at the point.

    Measured, not looked up: project the point and points 1 km east and north of it.
    """
    to_map = Transformer.from_crs(4326, crs, always_xy=True)
    x0, y0 = to_map.transform(lon, lat)
    east_lon, east_lat, _ = GEOD.fwd(lon, lat, 90, 1000.0)
    north_lon, north_lat, _ = GEOD.fwd(lon, lat, 0, 1000.0)
    xe, ye = to_map.transform(east_lon, east_lat)
    xn, yn = to_map.transform(north_lon, north_lat)
    scale = math.hypot(xe - x0, ye - y0) / 1000.0
    rotation = math.degrees(math.atan2(-(xn - x0), yn - y0))
    return scale, rotation


def crs_description(crs: CRS) -> str:
    """A short Chinese name of CRS for the map's notes."""
    meridian = next(
        (
            p.value
            for p in crs.coordinate_operation.params
            if "central meridian" in p.name.lower() or "longitude of natural origin" in p.name.lower()
        ),
        None,
    )
    if crs.to_epsg() and GK_FIRST_EPSG <= crs.to_epsg() <= GK_FIRST_EPSG + 20:
        return f"CGCS2000 3度带高斯-克吕格投影\n中央经线 {meridian:g}°E"
    return f"WGS 84 / UTM 投影\n中央经线 {meridian:g}°"


def geodesic_area_km2(geometry) -> float:
    """Area of a lon/lat GEOMETRY on the ellipsoid, in km²."""
    area, _ = GEOD.geometry_area_perimeter(geometry)
    return abs(area) / 1e6
