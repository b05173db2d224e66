"""The dry run of an import: every step of import_layer, then rolled back; what it would write and every error."""

import json
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.errors import ImportRejected, RowError
from geodata.prepare import Prepared
from gridmgmt.services.imports.steps import FileOptions, layer_of, stage_file, write

# Rows drawn on the preview map, and listed in its table.
MAP_ROWS = 500
TABLE_ROWS = 10
# Columns that name a row in the preview table, first found wins.
LABEL_COLUMNS = ("name", "head")


@dataclass
class Preview:
    """What importing a file would do: the columns recognised and ignored, rows new and updated, every
    error, and its first rows (a GeoJSON FeatureCollection for the map, a few for the table)."""

    layer: str
    rows: int = 0
    new: int = 0
    updated: int = 0
    recognised: list[tuple[str, str]] = field(default_factory=list)  # (file's header, field label)
    ignored: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    first_rows: list[dict] = field(default_factory=list)
    features: dict = field(default_factory=lambda: {"type": "FeatureCollection", "features": []})

    @property
    def ok(self) -> bool:
        """Whether the file may be imported as it is."""
        return not self.errors and self.rows > 0


def _recognised(prepared: Prepared) -> list[tuple[str, str]]:
    layer = prepared.layer
    return [(header, layer.field(name).label) for name, header in prepared.headers.items() if layer.field(name)]


def _first_rows(prepared: Prepared, existing: set[str]) -> list[dict]:
    """Row number, code, a naming column and whether it exists already, for the first TABLE_ROWS rows."""
    values = prepared.values.head(TABLE_ROWS)
    label = next((c for c in LABEL_COLUMNS if c in values), None)
    return [
        {
            "row": i + 1,
            "code": values["code"].iat[i],
            "label": values[label].iat[i] if label else "",
            "exists": values["code"].iat[i] in existing,
        }
        for i in range(len(values))
    ]


def _features(prepared: Prepared) -> dict:
    """The first MAP_ROWS geometries as GeoJSON, each with its row number and code only (no personal data)."""
    features = []
    geoms = prepared.geoms if prepared.geoms is not None else []
    for i, geom in enumerate(geoms[:MAP_ROWS]):
        if geom is not None:
            properties = {"row": i + 1, "code": prepared.values["code"].iat[i]}
            features.append(
                {"type": "Feature", "properties": properties, "geometry": json.loads(shapely.to_geojson(geom))}
            )
    return {"type": "FeatureCollection", "features": features}


def preview_layer(session: Session, layer_name: str, path: Path, options: FileOptions) -> Preview:
    """Run every step of importing PATH into LAYER_NAME with OPTIONS, writing included, and roll it back."""
    layer = layer_of(layer_name)
    found = Preview(layer.name)
    try:
        prepared, checked = stage_file(session, layer, Path(path), options, None)
        found.rows, found.recognised, found.ignored = len(prepared), _recognised(prepared), prepared.ignored
        s = checked.stage and checked.stage.table
        existing = (
            set(session.scalars(select(s.c.code).where(s.c.seen_version.isnot(None)))) if s is not None else set()
        )
        found.new, found.updated = len(prepared) - checked.existing, checked.existing
        found.first_rows, found.features = _first_rows(prepared, existing), _features(prepared)
        found.errors = checked.errors
        if not checked.errors:
            write(session, checked, options.update)
    except ImportRejected as rejected:
        found.errors = rejected.errors
    finally:
        session.rollback()
    found.errors = sorted(found.errors, key=lambda e: (e.row or 0, e.field or ""))
    return found
