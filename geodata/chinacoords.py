"""GCJ-02 (Amap) and BD-09 (Baidu) coordinates to WGS84, exactly, by iterating the forward formulas.

Both apply in China only: abroad, Amap and Baidu give WGS84, and the formulas, far from China,
go wrong (NaN near the poles). Outside the published code's rough box around China positions
are left as they are, in both directions.
"""

import numpy as np

# Krasovsky 1940 ellipsoid, as used by the GCJ-02 obfuscation.
_A = 6378245.0
_EE = 0.00669342162296594323
_BD_SCALE = np.pi * 3000.0 / 180.0
# Stop when the forward image is within 1e-10 degrees (about 0.01 mm) of the target.
_TOLERANCE = 1e-10
_MAX_ROUNDS = 50
# West, south, east, north: the box the published code calls China.
CHINA_BOX = (72.004, 0.8293, 137.8347, 55.8271)


def _shift_lat(x, y):
    out = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    out += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    out += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    out += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return out


def _shift_lon(x, y):
    out = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    out += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    out += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    out += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return out


def in_china(lonlat: np.ndarray) -> np.ndarray:
    """True for the (N, 2) lon/lat positions inside CHINA_BOX, where GCJ-02 and BD-09 apply."""
    west, south, east, north = CHINA_BOX
    lon, lat = lonlat[:, 0], lonlat[:, 1]
    return (west <= lon) & (lon <= east) & (south <= lat) & (lat <= north)


def _in_china_only(convert, lonlat: np.ndarray) -> np.ndarray:
    """CONVERT applied to the positions in China; the others (and NaN) as given."""
    lonlat = np.asarray(lonlat, dtype=float).reshape(-1, 2)
    out = lonlat.copy()
    inside = in_china(lonlat)
    out[inside] = convert(lonlat[inside])
    return out


def _gcj02(lonlat: np.ndarray) -> np.ndarray:
    """The published GCJ-02 formula, wherever the position is."""
    lon, lat = lonlat[:, 0], lonlat[:, 1]
    dlat = _shift_lat(lon - 105.0, lat - 35.0)
    dlon = _shift_lon(lon - 105.0, lat - 35.0)
    rad = np.radians(lat)
    magic = 1.0 - _EE * np.sin(rad) ** 2
    dlat = dlat * 180.0 / ((_A * (1.0 - _EE)) / (magic * np.sqrt(magic)) * np.pi)
    dlon = dlon * 180.0 / (_A / np.sqrt(magic) * np.cos(rad) * np.pi)
    return np.column_stack([lon + dlon, lat + dlat])


def wgs84_to_gcj02(lonlat: np.ndarray) -> np.ndarray:
    """Forward GCJ-02: WGS84 (N, 2) lon/lat in degrees to GCJ-02 (outside China unchanged)."""
    return _in_china_only(_gcj02, lonlat)


def gcj02_to_bd09(lonlat: np.ndarray) -> np.ndarray:
    """Forward BD-09: GCJ-02 (N, 2) lon/lat to Baidu coordinates."""
    x, y = lonlat[:, 0], lonlat[:, 1]
    z = np.hypot(x, y) + 0.00002 * np.sin(y * _BD_SCALE)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _BD_SCALE)
    return np.column_stack([z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006])


def _bd09(lonlat: np.ndarray) -> np.ndarray:
    return gcj02_to_bd09(_gcj02(lonlat))


def wgs84_to_bd09(lonlat: np.ndarray) -> np.ndarray:
    """Forward BD-09 from WGS84 (outside China unchanged)."""
    return _in_china_only(_bd09, lonlat)


def _invert(forward, target: np.ndarray) -> np.ndarray:
    """Solve forward(x) = target by fixed-point iteration; the offsets are small and smooth."""
    target = np.asarray(target, dtype=float).reshape(-1, 2)
    guess = target.copy()
    for _ in range(_MAX_ROUNDS):
        miss = forward(guess) - target
        guess -= miss
        if np.max(np.abs(miss), initial=0.0) < _TOLERANCE:
            break
    return guess


def gcj02_to_wgs84(lonlat: np.ndarray) -> np.ndarray:
    """GCJ-02 (N, 2) lon/lat to WGS84, inverting the forward formula to sub-millimetre
    (outside China unchanged)."""
    return _in_china_only(lambda target: _invert(_gcj02, target), lonlat)


def bd09_to_wgs84(lonlat: np.ndarray) -> np.ndarray:
    """BD-09 (N, 2) lon/lat to WGS84, inverting BD-09 ∘ GCJ-02 (outside China unchanged)."""
    return _in_china_only(lambda target: _invert(_bd09, target), lonlat)
