"""Geometry of each row: from the file, lon/lat or WKT columns; type and China checks."""

import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from geodata.errors import RowError
from geodata.layer_schema import Layer

# A generous box around China (incl. the South China Sea islands north of 3.8°N).
CHINA_BOX = (73.4, 3.8, 135.1, 53.6)
KIND_LABELS = {"point": "点", "polygon": "面", "line": "线", "any": "点或面", "line_or_polygon": "线或面"}
# shapely type ids
POINT, LINESTRING, POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON = 0, 1, 3, 4, 5, 6
# WKB of a 2D point: little-endian byte order (1), type 1 (uint32), then x and y as doubles.
_POINT_WKB_HEADER = np.array([1, 1, 0, 0, 0], dtype=np.uint8)
_POINT_WKB_BYTES = 21
_ALLOWED = {
    "point": [POINT],
    "polygon": [MULTIPOLYGON],
    "line": [LINESTRING],
    "any": [POINT, POLYGON, MULTIPOLYGON],
    "line_or_polygon": [LINESTRING, MULTILINESTRING, MULTIPOLYGON],
}


def points_from(lon: pd.Series, lat: pd.Series) -> np.ndarray:
    """Points where both LON and LAT are present, None elsewhere."""
    have = lon.notna() & lat.notna()
    out = np.full(len(lon), None, dtype=object)
    out[have.to_numpy()] = shapely.points(lon[have].astype(float), lat[have].astype(float))
    return out


def geometry_of(file_geoms: np.ndarray | None, values: pd.DataFrame) -> tuple[np.ndarray | None, list[RowError]]:
    """Row geometries from the file, else lon/lat, else a WKT column; None when there are none."""
    if file_geoms is not None and not shapely.is_missing(file_geoms).all():
        return file_geoms, []
    if "lon" in values and "lat" in values:
        return points_from(values["lon"], values["lat"]), []
    if "wkt" in values:
        return _from_wkt(values["wkt"])
    return None, []


def _from_wkt(texts: pd.Series) -> tuple[np.ndarray, list[RowError]]:
    out = np.full(len(texts), None, dtype=object)
    errors = []
    for i, text in enumerate(texts):
        if text is None:
            continue
        try:
            out[i] = shapely.from_wkt(text)
        except shapely.errors.GEOSException as exc:
            errors.append(RowError(i + 1, "wkt", f"WKT 无法解析：{exc}"))
    return out, errors


def normalise_kind(geoms: np.ndarray, kind: str) -> tuple[np.ndarray, list[RowError]]:
    """2D geometries of the layer's KIND: polygons become multipolygons, multilines are merged."""
    # force_2d rebuilds every geometry: only pay for it when some have Z.
    out = shapely.force_2d(geoms) if shapely.has_z(geoms).any() else geoms.copy()
    types = shapely.get_type_id(out)
    single = (types == MULTIPOINT) & (shapely.get_num_geometries(out) == 1)
    out[single] = shapely.get_geometry(out[single], 0)
    if kind in ("line", "line_or_polygon"):
        merge = types == MULTILINESTRING
        out[merge] = shapely.line_merge(out[merge])
    if kind in ("polygon", "line_or_polygon"):
        wrap = np.flatnonzero(types == POLYGON)
        out[wrap] = shapely.multipolygons(out[wrap], indices=np.arange(len(wrap)))
    types = shapely.get_type_id(out)
    empty = shapely.is_empty(out) & (types >= 0)
    wrong = (types >= 0) & ~empty & ~np.isin(types, _ALLOWED[kind])
    errors = empty_errors(np.flatnonzero(empty))
    errors += [
        RowError(int(i) + 1, "几何", f"几何类型应为{KIND_LABELS[kind]}，实际是 {out[i].geom_type}")
        for i in np.flatnonzero(wrong)
    ]
    out[empty | wrong] = None
    return out, errors


def _inside(bounds: np.ndarray) -> np.ndarray:
    xmin, ymin, xmax, ymax = CHINA_BOX
    return (bounds[:, 0] >= xmin) & (bounds[:, 2] <= xmax) & (bounds[:, 1] >= ymin) & (bounds[:, 3] <= ymax)


def china_errors(geoms: np.ndarray, field: str = "几何") -> list[RowError]:
    """A RowError for every geometry outside China, saying when swapping lon/lat would fix it."""
    present = ~shapely.is_missing(geoms)
    bounds = np.full((len(geoms), 4), np.nan)
    bounds[present] = shapely.bounds(geoms[present])
    return _outside_china(bounds, present, field)


def point_china_errors(xy: np.ndarray, present: np.ndarray, field: str = "几何") -> list[RowError]:
    """china_errors of the PRESENT points of XY, (n, 2) coordinates (a conversion may have made them infinite)."""
    return _outside_china(xy[:, [0, 1, 0, 1]], present, field)


def _outside_china(bounds: np.ndarray, present: np.ndarray, field: str) -> list[RowError]:
    """A RowError for every PRESENT row whose BOUNDS are outside China."""
    inside = _inside(bounds)
    swapped = _inside(bounds[:, [1, 0, 3, 2]])
    errors = []
    for i in (present & ~inside).nonzero()[0]:
        x, y = bounds[i, 0], bounds[i, 1]
        if swapped[i]:
            reason = f"经纬度可能写反了：({x:g}, {y:g}) 不在中国境内，交换后 ({y:g}, {x:g}) 在境内"
        elif abs(x) > 180 or abs(y) > 90:
            reason = f"坐标 ({x:g}, {y:g}) 不是经纬度，可能是投影坐标：请用 --crs 指明坐标系"
        else:
            reason = f"坐标 ({x:g}, {y:g}) 不在中国境内"
        errors.append(RowError(int(i) + 1, field, reason))
    return errors


def empty_errors(rows: np.ndarray) -> list[RowError]:
    """A RowError for each of ROWS (indexes) whose geometry is empty."""
    return [RowError(int(i) + 1, "几何", "几何为空") for i in rows]


def missing_errors(geoms: np.ndarray | None, layer: Layer) -> list[RowError]:
    """A RowError for every row of a layer that needs a geometry and has none."""
    if not layer.geom_required:
        return []
    if geoms is None:
        return [RowError(None, "几何", "文件中没有几何，也没有经度/纬度列")]
    return [RowError(int(i) + 1, "几何", "缺少几何或经纬度") for i in shapely.is_missing(geoms).nonzero()[0]]


def plain_points(wkb) -> np.ndarray | None:
    """The (n, 2) coordinates of WKB (a pyarrow binary array) when every value is a little-endian 2D point of
    21 bytes, NaN for an empty one, read straight from the Arrow buffers; else None (shapely.from_wkb it)."""
    if isinstance(wkb, pa.ChunkedArray):
        wkb = wkb.combine_chunks()
    if wkb.null_count or wkb.type not in (pa.binary(), pa.large_binary()):
        return None
    offsets = np.frombuffer(wkb.buffers()[1], dtype=np.int32 if wkb.type == pa.binary() else np.int64)
    offsets = offsets[wkb.offset : wkb.offset + len(wkb) + 1]
    if len(wkb) == 0 or not (np.diff(offsets) == _POINT_WKB_BYTES).all():
        return None
    data = np.frombuffer(wkb.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]].reshape(-1, _POINT_WKB_BYTES)
    if not (data[:, : len(_POINT_WKB_HEADER)] == _POINT_WKB_HEADER).all():
        return None
    xy = np.ascontiguousarray(data[:, len(_POINT_WKB_HEADER) :]).view("<f8").astype(float, copy=False)
    # A point with one coordinate missing, or an infinite one, is left to GEOS to judge.
    finite = np.isfinite(xy)
    return xy if (finite[:, 0] == finite[:, 1]).all() and not np.isinf(xy).any() else None
