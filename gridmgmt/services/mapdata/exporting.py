"""Export a layer to GeoPackage, GeoJSON, CSV or Shapefile with the importer's column names."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, aliased

from geodata.layers import LAYERS, Layer
from geodata.prepare import GEOMETRY_COLUMNS
from gridmgmt.db.models import (
    SENSITIVE_HOUSEHOLD_COLUMNS,
    Cadre,
    CadreVillage,
    EconomicOrg,
    Household,
    PartyMember,
    PartyOrg,
    Road,
    Township,
    Village,
    VillageGroup,
    Water,
)
from gridmgmt.domain.errors import UserError
from gridmgmt.services.accounts.actors import Actor, record

FORMATS = ("gpkg", "geojson", "csv", "shp")
DRIVERS = {"gpkg": "GPKG", "geojson": "GeoJSON", "shp": "ESRI Shapefile"}
PARENT = aliased(PartyOrg)


@dataclass(frozen=True)
class Source:
    """Where a layer's rows come from: its model, the township of a row, the columns that give
    the *_code fields, and the joins those need."""

    model: type
    township: ColumnElement
    codes: dict[str, ColumnElement] = field(default_factory=dict)
    joins: Callable[[Select], Select] = lambda rows: rows


SOURCES = {
    "townships": Source(Township, Township.id),
    "villages": Source(Village, Village.township_id),
    "groups": Source(
        VillageGroup,
        Village.township_id,
        {"village_code": Village.code},
        lambda rows: rows.join(Village, Village.id == VillageGroup.village_id),
    ),
    "households": Source(
        Household,
        Village.township_id,
        {"village_code": Village.code, "group_code": VillageGroup.code},
        lambda rows: rows.join(Village, Village.id == Household.village_id).outerjoin(
            VillageGroup, VillageGroup.id == Household.group_id
        ),
    ),
    "roads": Source(Road, Road.township_id),
    "waters": Source(Water, Water.township_id),
    "party_orgs": Source(
        PartyOrg,
        PartyOrg.township_id,
        {"parent_code": PARENT.code, "village_code": Village.code},
        lambda rows: rows.outerjoin(PARENT, PARENT.id == PartyOrg.parent_id).outerjoin(
            Village, Village.id == PartyOrg.village_id
        ),
    ),
    "party_members": Source(
        PartyMember,
        PartyOrg.township_id,
        {"org_code": PartyOrg.code, "household_code": Household.code},
        lambda rows: rows.join(PartyOrg, PartyOrg.id == PartyMember.party_org_id).outerjoin(
            Household, Household.id == PartyMember.household_id
        ),
    ),
    "economic_orgs": Source(
        EconomicOrg,
        EconomicOrg.township_id,
        {"party_org_code": PartyOrg.code, "village_code": Village.code},
        lambda rows: rows.outerjoin(PartyOrg, PartyOrg.id == EconomicOrg.party_org_id).outerjoin(
            Village, Village.id == EconomicOrg.village_id
        ),
    ),
    "cadres": Source(
        Cadre,
        Cadre.township_id,
        {"household_code": Household.code, "party_member_code": PartyMember.code},
        lambda rows: rows.outerjoin(Household, Household.id == Cadre.household_id).outerjoin(
            PartyMember, PartyMember.id == Cadre.party_member_id
        ),
    ),
    "postings": Source(
        CadreVillage,
        Cadre.township_id,
        {"cadre_code": Cadre.code, "village_code": Village.code},
        lambda rows: rows.join(Cadre, Cadre.id == CadreVillage.cadre_id).join(
            Village, Village.id == CadreVillage.village_id
        ),
    ),
}


class ExportRefused(UserError):
    """The export was not written; the message (Chinese) says why."""


def _select(layer: Layer, include_sensitive: bool, township_id: int | None) -> Select:
    """SELECT of the layer's canonical columns, plus geom as WKB, of township TOWNSHIP_ID (None: all)."""
    source = SOURCES[layer.name]
    table = source.model.__table__
    columns = [
        source.codes.get(f.name, table.c.get(f.name)).label(f.name)
        for f in layer.fields
        if f.name not in GEOMETRY_COLUMNS and not (f.name in SENSITIVE_HOUSEHOLD_COLUMNS and not include_sensitive)
    ]
    if layer.name == "townships":
        columns += [func.ST_X(Township.seat).label("seat_lon"), func.ST_Y(Township.seat).label("seat_lat")]
    if layer.geom_column:
        columns.append(func.ST_AsBinary(table.c[layer.geom_column]).label("geom"))
    rows = source.joins(select(*columns).select_from(source.model)).order_by(table.c.code)
    return rows if township_id is None else rows.where(source.township == township_id)


def read_layer(
    session: Session, layer: Layer, township: str | None, include_sensitive: bool
) -> tuple[pd.DataFrame, object]:
    """The layer's rows as canonical columns, and their geometries (None without a geometry column)."""
    township_id = None
    if township:
        township_id = session.scalar(select(Township.id).where(Township.code == township))
        if township_id is None:
            raise ExportRefused(f"乡镇编码“{township}”不存在")
    rows = session.execute(_select(layer, include_sensitive, township_id))
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
            raise ExportRefused(
                "Shapefile 一个文件只能有一种几何类型（如点和面、线和面不能混合）：请改用 gpkg 或 geojson"
            )
        frame = frame.rename(columns={f.name: f.shp_name for f in layer.fields})
    data = gpd.GeoDataFrame(frame, geometry=geoms, crs=4326) if geoms is not None else frame
    pyogrio.write_dataframe(
        data, path, driver=DRIVERS[fmt], layer=layer.name, encoding="UTF-8" if fmt == "shp" else None
    )


def _write(frame: pd.DataFrame, geoms, path: Path, fmt: str, layer: Layer) -> None:
    if fmt == "csv":
        _write_csv(frame, geoms, path)
    else:
        _write_gis(frame, geoms, path, fmt, layer)


def write_layer(
    session: Session, layer_name: str, fmt: str, path: Path, township: str | None, include_sensitive: bool
) -> int:
    """Write LAYER_NAME to PATH without auditing: for exports that audit the whole file (GeoPackage)."""
    layer = LAYERS[layer_name]
    frame, geoms = read_layer(session, layer, township, include_sensitive and layer.table == "household")
    _write(frame, geoms, Path(path), fmt, layer)
    return len(frame)


def export_layer(
    session: Session,
    layer_name: str,
    fmt: str,
    path: Path,
    *,
    township: str | None = None,
    include_sensitive: bool = False,
    actor: Actor | None = None,
) -> int:
    """Write LAYER_NAME to PATH in FMT; a layer of people (or the 四必访 flags, only when asked) is audited
    as ACTOR's and refused without one."""
    layer, path = LAYERS[layer_name], Path(path)
    if fmt not in FORMATS:
        raise ExportRefused(f"不支持的格式“{fmt}”，可选：{'、'.join(FORMATS)}")
    if not path.parent.is_dir():
        raise ExportRefused(f"目录不存在：{path.parent}")
    sensitive = include_sensitive and layer.table == "household"
    if (layer.personal or sensitive) and actor is None:
        raise ExportRefused(f"“{layer.label}”含个人信息：导出须指明操作人（--as 用户名），并记入审计日志")
    frame, geoms = read_layer(session, layer, township, sensitive)
    try:
        if layer.personal or sensitive:
            detail = {"layer": layer.name, "format": fmt, "township": township, "rows": len(frame)}
            if sensitive:
                detail["columns"] = list(SENSITIVE_HOUSEHOLD_COLUMNS)
            record(
                session,
                actor,
                "export_sensitive" if sensitive else "export_layers",
                target=f"{layer.name} → {path}",
                detail=detail,
            )
            session.flush()
        _write(frame, geoms, path, fmt, layer)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return len(frame)
