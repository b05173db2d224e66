"""Everything about a file that needs no database: read, map columns, parse, reproject, check."""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from geodata.codes import GENERATED_HEADER, fill_codes
from geodata.crs import to_wgs84, xy_to_wgs84
from geodata.errors import RowError
from geodata.geometry import (
    china_errors,
    empty_errors,
    geometry_of,
    missing_errors,
    normalise_kind,
    point_china_errors,
    points_from,
)
from geodata.layer_schema import Layer
from geodata.parsing import duplicate_codes, parse_frame
from geodata.reading import DEFAULT_MAX_MB, Source, read_source

# Columns that only carry geometry or are recomputed on import; not stored as such.
GEOMETRY_COLUMNS = {"lon", "lat", "wkt", "seat_lon", "seat_lat"}


@dataclass
class Prepared:
    """A parsed file: typed VALUES per canonical column, geometries (and township SEATS) in EPSG:4326.

    A point layer's batch read as plain points keeps them as POINTS, (n, 2) coordinates (NaN: no geometry),
    and makes shapely points only if GEOMS is asked for."""

    layer: Layer
    values: pd.DataFrame
    shapes: np.ndarray | None
    seats: np.ndarray | None
    headers: dict[str, str]
    ignored: list[str]
    errors: list[RowError] = field(default_factory=list)
    points: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.values)

    @property
    def geoms(self) -> np.ndarray | None:
        """Each row's geometry, None where it has none; None when the file has no geometries."""
        if self.shapes is None and self.points is not None:
            self.shapes = np.full(len(self.points), None, dtype=object)
            present = np.isfinite(self.points).all(axis=1)
            self.shapes[present] = shapely.points(self.points[present])
        return self.shapes

    def xy(self) -> np.ndarray | None:
        """A point layer's geometries as (n, 2) coordinates, NaN where a row has none; None without geometries."""
        if self.points is not None or self.shapes is None:
            return self.points
        xy = np.full((len(self.shapes), 2), np.nan)
        present = ~shapely.is_missing(self.shapes) & ~shapely.is_empty(self.shapes)
        xy[present] = shapely.get_coordinates(self.shapes[present])
        return xy

    def stored_columns(self) -> list[str]:
        """Canonical columns present in the file that are kept (not derived, not geometry)."""
        return [
            name for name in self.values.columns if name not in GEOMETRY_COLUMNS and not self.layer.field(name).derived
        ]


def _reproject(geoms, seats, file_crs, declared):
    """GEOMS and SEATS through one CRS conversion, so both get the same treatment."""
    parts = [g for g in (geoms, seats) if g is not None]
    if not parts:
        return geoms, seats
    converted = to_wgs84(np.concatenate(parts), file_crs, declared)
    if geoms is None:
        return None, converted
    return converted[: len(geoms)], (converted[len(geoms) :] if seats is not None else None)


def prepare(
    path: Path, layer: Layer, crs: str | None = None, encoding: str | None = None, max_mb: int = DEFAULT_MAX_MB
) -> Prepared:
    """Read PATH as LAYER; raises ImportRejected for file-level problems, keeps row errors."""
    return prepare_source(read_source(path, encoding, max_mb), layer, crs)


def prepare_source(source: Source, layer: Layer, crs: str | None = None) -> Prepared:
    """SOURCE (a whole file or one batch of it) parsed as LAYER, in CRS when given; row numbers count from
    its first row. Raises ImportRejected for file-level problems, keeps row errors."""
    values, headers, errors = parse_frame(source.frame, layer)
    points, geoms, seats = None, None, None
    if _plain_points(source, layer, values):
        points, point_errors = _points(source.points, source.crs, crs)
        errors += point_errors
    else:
        geoms, seats, geom_errors = _geometries(source.geometries(), values, headers, layer, source.crs, crs)
        errors += geom_errors
    if layer.code_prefix:
        values["code"] = fill_codes(
            values.get("code"), geoms if geoms is not None else [None] * len(values), layer.code_prefix
        )
        headers.setdefault("code", GENERATED_HEADER)
    if layer.natural_code is not None:
        _fill_codes(values, headers, layer)
    errors += duplicate_codes(values["code"], headers["code"])
    ignored = [c for c in source.frame.columns if c not in headers.values()]
    prepared = Prepared(layer, values, geoms, seats, headers, ignored, errors, points)
    _drop_bad_geometries(prepared)
    return prepared


def _plain_points(source: Source, layer: Layer, values: pd.DataFrame) -> bool:
    """Whether SOURCE's plain points can stay coordinates: LAYER wants points and nothing else (township seats,
    codes made from geometries) needs geometries of them."""
    plain = source.points is not None and layer.geom_kind == "point" and layer.geom_column is not None
    return plain and not layer.code_prefix and not {"seat_lon", "seat_lat"} & set(values.columns)


def _points(xy: np.ndarray, file_crs: str | None, declared: str | None) -> tuple[np.ndarray, list[RowError]]:
    """Plain points XY (NaN: empty) in EPSG:4326, and the errors _geometries would give them (empty, outside
    China); the rows with errors have no point."""
    empty = np.isnan(xy[:, 0])
    xy = xy_to_wgs84(xy, file_crs, declared).copy()
    xy[empty] = np.nan
    errors = empty_errors(np.flatnonzero(empty)) + point_china_errors(xy, ~empty)
    return xy, errors


def _geometries(file_geoms, values, headers, layer, file_crs, declared):
    """Each row's geometry and township seat (or None) in EPSG:4326, and the errors found on the way."""
    geoms, errors = geometry_of(file_geoms, values)
    errors += missing_errors(geoms, layer)
    if layer.geom_column is None:
        geoms = None
    seats = (
        points_from(values["seat_lon"], values["seat_lat"]) if "seat_lon" in values and "seat_lat" in values else None
    )
    geoms, seats = _reproject(geoms, seats, file_crs, declared)
    if geoms is not None:
        geoms, kind_errors = normalise_kind(geoms, layer.geom_kind)
        errors += kind_errors + china_errors(geoms)
    if seats is not None:
        errors += china_errors(seats, headers.get("seat_lon", "seat_lon"))
    return geoms, seats, errors


def _fill_codes(values: pd.DataFrame, headers: dict[str, str], layer: Layer) -> None:
    """Give rows without a code the layer's natural code (the file may have no code column at all)."""
    given = values["code"] if "code" in values else pd.Series([None] * len(values), dtype=object)
    rows = values.to_dict("records")
    values["code"] = [code if code is not None else layer.natural_code(row) for code, row in zip(given, rows)]
    headers.setdefault("code", layer.field("code").label)


def _drop_bad_geometries(prepared: Prepared) -> None:
    """Rows already refused keep no geometry, so database checks do not report them twice."""
    bad_rows = np.array(sorted({e.row - 1 for e in prepared.errors if e.row}), dtype=int)
    if prepared.points is not None and len(bad_rows):
        prepared.points[bad_rows] = np.nan
    for geoms in (prepared.shapes, prepared.seats):
        if geoms is not None and len(bad_rows):
            geoms[bad_rows] = None
