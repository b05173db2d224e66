"""Bring geometries to EPSG:4326 from any CRS pyproj knows, or from declared GCJ-02 / BD-09."""

from collections.abc import Callable

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from geodata.chinacoords import bd09_to_wgs84, gcj02_to_wgs84
from geodata.errors import ImportRejected

WGS84 = CRS.from_epsg(4326)
# CGCS2000 differs from WGS84 by well under a metre: stored as is (DESIGN §4).
SAME_AS_WGS84 = {4326, 4490}
CHINA_DATUMS = {"gcj02": gcj02_to_wgs84, "bd09": bd09_to_wgs84}


def parse_crs(text: str) -> CRS:
    """A CRS from user text (EPSG:XXXX, WKT, PROJ); a clear error if pyproj does not know it."""
    try:
        return CRS.from_user_input(text)
    except CRSError as exc:
        raise ImportRejected.one(f"无法识别的坐标系“{text}”：{exc}", "crs") from exc


def looks_like_degrees(geoms: np.ndarray) -> bool:
    """True when every coordinate is within ±180, as degrees are (even with lon/lat swapped)."""
    present = geoms[~shapely.is_missing(geoms)]
    if not len(present):
        return True
    xmin, ymin, xmax, ymax = shapely.total_bounds(present)
    return min(xmin, ymin) >= -180 and max(xmax, ymax) <= 180


def to_wgs84(geoms: np.ndarray, file_crs: str | None, declared: str | None) -> np.ndarray:
    """GEOMS in EPSG:4326; DECLARED (--crs) overrides the file's own CRS."""
    convert = _conversion(file_crs, declared, lambda: looks_like_degrees(geoms))
    return geoms if convert is None else shapely.transform(geoms, convert)


def xy_to_wgs84(xy: np.ndarray, file_crs: str | None, declared: str | None) -> np.ndarray:
    """Points given as (n, 2) coordinates XY (NaN: none) in EPSG:4326, as to_wgs84 converts them."""
    present = xy[np.isfinite(xy).all(axis=1)]
    convert = _conversion(file_crs, declared, lambda: not len(present) or bool(np.abs(present).max() <= 180))
    return xy if convert is None else convert(xy)


def _conversion(file_crs: str | None, declared: str | None, degrees) -> Callable[[np.ndarray], np.ndarray] | None:
    """The function taking (n, 2) coordinates to EPSG:4326, None when they are already; DEGREES() says whether
    coordinates without any CRS are degrees (else they are refused)."""
    if declared and declared.lower() in CHINA_DATUMS:
        return CHINA_DATUMS[declared.lower()]
    source = declared or file_crs
    if source is None:
        if degrees():
            return None
        raise ImportRejected.one("文件没有坐标系，坐标也不是经纬度：请用 --crs 指明（例如 --crs EPSG:4547）", "crs")
    crs = parse_crs(source)
    if crs.to_epsg() in SAME_AS_WGS84:
        return None
    transformer = Transformer.from_crs(crs, WGS84, always_xy=True)
    return lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
