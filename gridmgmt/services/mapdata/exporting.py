"""Export a layer to GeoPackage, GeoJSON, CSV or Shapefile with the importer's column names."""
from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from sqlalchemy import text
from sqlalchemy.orm import Session

from geodata.layers import LAYERS, Layer
from geodata.prepare import GEOMETRY_COLUMNS
from gridmgmt.db.models import SENSITIVE_HOUSEHOLD_COLUMNS
from gridmgmt.services.accounts.actors import Actor, record

FORMATS = ("gpkg", "geojson", "csv", "shp")
DRIVERS = {"gpkg": "GPKG", "geojson": "GeoJSON", "shp": "ESRI Shapefile"}
# layer -> (FROM with the layer's table as x, township id of a row, SQL for the *_code columns)
SOURCES = {
    "townships": ("township x", "x.id", {}),
    "villages": ("village x", "x.township_id", {}),
    "groups": ("village_group x JOIN village v ON v.id = x.village_id", "v.township_id",
               {"village_code": "v.code"}),
    "households": ("household x JOIN village v ON v.id = x.village_id "
                   "LEFT JOIN village_group g ON g.id = x.group_id", "v.township_id",
                   {"village_code": "v.code", "group_code": "g.code"}),
    "roads": ("road x", "x.township_id", {}),
    "party_orgs": ("party_org x LEFT JOIN party_org p ON p.id = x.parent_id "
                   "LEFT JOIN village v ON v.id = x.village_id", "x.township_id",
                   {"parent_code": "p.code", "village_code": "v.code"}),
    "party_members": ("party_member x JOIN party_org o ON o.id = x.party_org_id "
                      "LEFT JOIN household h ON h.id = x.household_id", "o.township_id",
                      {"org_code": "o.code", "household_code": "h.code"}),
    "economic_orgs": ("economic_org x LEFT JOIN party_org o ON o.id = x.party_org_id "
                      "LEFT JOIN village v ON v.id = x.village_id", "x.township_id",
                      {"party_org_code": "o.code", "village_code": "v.code"}),
    "cadres": ("cadre x LEFT JOIN household h ON h.id = x.household_id "
               "LEFT JOIN party_member m ON m.id = x.party_member_id", "x.township_id",
               {"household_code": "h.code", "party_member_code": "m.code"}),
}


class ExportRefused(Exception):
    """The export was not written; the message (Chinese) says why."""


def _select(layer: Layer, include_sensitive: bool) -> str:
    """SELECT of the layer's canonical columns, plus geom as WKB."""
    source, township_of, codes = SOURCES[layer.name]
    columns = []
    for f in layer.fields:
        if f.name in GEOMETRY_COLUMNS or (f.name in SENSITIVE_HOUSEHOLD_COLUMNS and not include_sensitive):
            continue
        columns.append(f"{codes.get(f.name, 'x.' + f.name)} AS {f.name}")
    if layer.name == "townships":
        columns += ["ST_X(x.seat) AS seat_lon", "ST_Y(x.seat) AS seat_lat"]
    if layer.geom_column:
        columns.append(f"ST_AsBinary(x.{layer.geom_column}) AS geom")
    return (f"SELECT {', '.join(columns)} FROM {source} "
            f"WHERE CAST(:t AS integer) IS NULL OR {township_of} = :t ORDER BY x.code")


def read_layer(session: Session, layer: Layer, township: str | None,
               include_sensitive: bool) -> tuple[pd.DataFrame, object]:
    """The layer's rows as canonical columns, and their geometries (None without a geometry column)."""
    township_id = None
    if township:
        township_id = session.execute(text("SELECT id FROM township WHERE code = :c"), {"c": township}).scalar()
        if township_id is None:
            raise ExportRefused(f"乡镇编码「{township}」不存在")
    rows = session.execute(text(_select(layer, include_sensitive)), {"t": township_id})
    frame = pd.DataFrame(rows.all(), columns=list(rows.keys()))
    frame = frame.map(lambda v: float(v) if isinstance(v, Decimal) else v)
    if "geom" not in frame:
        return frame, None
    geoms = shapely.from_wkb(frame.pop("geom").to_numpy())
    return frame, geoms


def _write_csv(frame: pd.DataFrame, geoms, path: Path) -> None:
    """UTF-8 with BOM (Excel opens it right); points as lon/lat, other shapes as WKT."""
    if geoms is not None:
        present = geoms[~shapely.is_missing(geoms)]
        if len(present) and set(shapely.get_type_id(present)) == {0}:
            frame = frame.assign(lon=shapely.get_x(geoms), lat=shapely.get_y(geoms))
        else:
            frame = frame.assign(wkt=shapely.to_wkt(geoms, rounding_precision=-1))
    frame.to_csv(path, index=False, encoding="utf-8-sig")


def _write_gis(frame: pd.DataFrame, geoms, path: Path, fmt: str, layer: Layer) -> None:
    if fmt == "shp":
        if geoms is not None and len(set(shapely.get_type_id(geoms[~shapely.is_missing(geoms)]))) > 1:
            raise ExportRefused("Shapefile 不能在一个文件里混合点和面：请改用 gpkg 或 geojson")
        frame = frame.rename(columns={f.name: f.shp_name for f in layer.fields})
    data = gpd.GeoDataFrame(frame, geometry=geoms, crs=4326) if geoms is not None else frame
    pyogrio.write_dataframe(data, path, driver=DRIVERS[fmt], layer=layer.name,
                            encoding="UTF-8" if fmt == "shp" else None)


def _write(frame: pd.DataFrame, geoms, path: Path, fmt: str, layer: Layer) -> None:
    if fmt == "csv":
        _write_csv(frame, geoms, path)
    else:
        _write_gis(frame, geoms, path, fmt, layer)


def write_layer(session: Session, layer_name: str, fmt: str, path: Path, township: str | None,
                include_sensitive: bool) -> int:
    """Write LAYER_NAME to PATH without auditing: for exports that audit the whole file (GeoPackage)."""
    layer = LAYERS[layer_name]
    frame, geoms = read_layer(session, layer, township, include_sensitive and layer.table == "household")
    _write(frame, geoms, Path(path), fmt, layer)
    return len(frame)


def export_layer(session: Session, layer_name: str, fmt: str, path: Path, *, township: str | None = None,
                 include_sensitive: bool = False, actor: Actor | None = None) -> int:
    """Write LAYER_NAME to PATH in FMT; a layer of people (or the 四必访 flags, only when asked) is audited
    as ACTOR's and refused without one."""
    layer, path = LAYERS[layer_name], Path(path)
    if fmt not in FORMATS:
        raise ExportRefused(f"不支持的格式「{fmt}」，可选：{'、'.join(FORMATS)}")
    if not path.parent.is_dir():
        raise ExportRefused(f"目录不存在：{path.parent}")
    sensitive = include_sensitive and layer.table == "household"
    if (layer.personal or sensitive) and actor is None:
        raise ExportRefused(f"「{layer.label}」含个人信息：导出须指明操作人（--as 用户名），并记入审计日志")
    frame, geoms = read_layer(session, layer, township, sensitive)
    try:
        if layer.personal or sensitive:
            detail = {"layer": layer.name, "format": fmt, "township": township, "rows": len(frame)}
            if sensitive:
                detail["columns"] = list(SENSITIVE_HOUSEHOLD_COLUMNS)
            record(session, actor, "export_sensitive" if sensitive else "export_layers",
                   target=f"{layer.name} → {path}", detail=detail)
            session.flush()
        _write(frame, geoms, path, fmt, layer)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return len(frame)
