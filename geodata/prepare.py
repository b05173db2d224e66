"""Everything about a file that needs no database: read, map columns, parse, reproject, check."""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from geodata.codes import GENERATED_HEADER, fill_codes
from geodata.crs import to_wgs84
from geodata.errors import RowError
from geodata.geometry import china_errors, geometry_of, missing_errors, normalise_kind, points_from
from geodata.layer_schema import Layer
from geodata.parsing import duplicate_codes, parse_frame
from geodata.reading import DEFAULT_MAX_MB, Source, read_source

# Columns that only carry geometry or are recomputed on import; not stored as such.
GEOMETRY_COLUMNS = {"lon", "lat", "wkt", "seat_lon", "seat_lat"}


@dataclass
class Prepared:
    """A parsed file: typed VALUES per canonical column, GEOMS (and township SEATS) in EPSG:4326."""

    layer: Layer
    values: pd.DataFrame
    geoms: np.ndarray | None
    seats: np.ndarray | None
    headers: dict[str, str]
    ignored: list[str]
    errors: list[RowError] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.values)

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
    geoms, wkt_errors = geometry_of(source.geoms, values)
    errors += wkt_errors + missing_errors(geoms, layer)
    if layer.geom_column is None:
        geoms = None
    seats = (
        points_from(values["seat_lon"], values["seat_lat"]) if "seat_lon" in values and "seat_lat" in values else None
    )
    geoms, seats = _reproject(geoms, seats, source.crs, crs)
    if geoms is not None:
        geoms, kind_errors = normalise_kind(geoms, layer.geom_kind)
        errors += kind_errors + china_errors(geoms)
    if seats is not None:
        errors += china_errors(seats, headers.get("seat_lon", "seat_lon"))
    if layer.code_prefix:
        values["code"] = fill_codes(
            values.get("code"), geoms if geoms is not None else [None] * len(values), layer.code_prefix
        )
        headers.setdefault("code", GENERATED_HEADER)
    if layer.natural_code is not None:
        _fill_codes(values, headers, layer)
    errors += duplicate_codes(values["code"], headers["code"])
    ignored = [c for c in source.frame.columns if c not in headers.values()]
    prepared = Prepared(layer, values, geoms, seats, headers, ignored, errors)
    _drop_bad_geometries(prepared)
    return prepared


def _fill_codes(values: pd.DataFrame, headers: dict[str, str], layer: Layer) -> None:
    """Give rows without a code the layer's natural code (the file may have no code column at all)."""
    given = values["code"] if "code" in values else pd.Series([None] * len(values), dtype=object)
    rows = values.to_dict("records")
    values["code"] = [code if code is not None else layer.natural_code(row) for code, row in zip(given, rows)]
    headers.setdefault("code", layer.field("code").label)


def _drop_bad_geometries(prepared: Prepared) -> None:
    """Rows already refused keep no geometry, so database checks do not report them twice."""
    bad_rows = np.array(sorted({e.row - 1 for e in prepared.errors if e.row}), dtype=int)
    for geoms in (prepared.geoms, prepared.seats):
        if geoms is not None and len(bad_rows):
            geoms[bad_rows] = None
