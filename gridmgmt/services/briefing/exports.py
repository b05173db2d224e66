"""Briefing exports: a map kind for a township as PNG/PDF/HTML, or chosen layers as a GeoPackage.

Every export is written to the audit log in the same transaction; a failed
export leaves neither a file nor an audit row.
"""

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import geopandas as gpd
import shapely
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from geodata.layers import LAYERS
from gridmgmt.db.models import Township
from gridmgmt.domain.errors import Conflict, TownshipNotFound
from gridmgmt.maps.kinds import KINDS, BriefingData, KindRefused, MapKind, Place
from gridmgmt.maps.standalone import standalone_html
from gridmgmt.maps.static import Page, render, save
from gridmgmt.services.accounts.actors import Actor, audited_file
from gridmgmt.services.briefing.layers import LOADERS, Ask
from gridmgmt.services.mapdata.exporting import write_layer
from gridmgmt.services.mapdata.layers import township_layers
from gridmgmt.services.visits.settings import VisitSettings

MAP_FORMATS = ("png", "pdf", "html")
# The folium web map is the township overview; other kinds are print maps only.
HTML_KINDS = ("overview",)


class BriefingRefused(Conflict, ValueError):
    """The export was not made; the message (Chinese) says why."""


class TownshipMissing(TownshipNotFound, BriefingRefused):
    """No township has the requested code (a 404, and a refused export)."""


def _township_id(session: Session, code: str) -> int:
    found = session.scalar(select(Township.id).where(Township.code == code))
    if found is None:
        raise TownshipMissing(code)
    return found


def briefing_data(
    session: Session,
    kind: MapKind,
    township_code: str,
    made_on: date,
    households: bool = True,
    visits: VisitSettings | None = None,
) -> BriefingData:
    """The township, the layers KIND needs and the county's townships for the inset.

    Without HOUSEHOLDS (a role that may not see them) the household layer is empty. VISITS
    (default: the settings' defaults) date the visits that the compliance layers count.
    """
    row = session.execute(
        select(
            Township.id,
            Township.code,
            Township.name,
            Township.county,
            func.ST_AsBinary(Township.geom),
            func.ST_AsBinary(Township.seat),
        ).where(Township.code == township_code)
    ).one_or_none()
    if row is None:
        raise TownshipMissing(township_code)
    township_id, code, name, county, geom, seat = row
    place = Place(code, name, county, shapely.from_wkb(geom), shapely.from_wkb(seat) if seat else None)
    ask = Ask(township_id, made_on, visits or VisitSettings.defaults())
    layers = {layer: LOADERS[layer](session, ask) for layer in kind.layers}
    if not households and "households" in layers:
        layers["households"] = layers["households"].iloc[0:0]
    return BriefingData(place, layers, made_on, _county(session, county))


def _county(session: Session, county: str | None) -> gpd.GeoSeries | None:
    if not county:
        return None
    wkbs = session.scalars(
        select(func.ST_AsBinary(Township.geom)).where(Township.county == county).order_by(Township.code)
    ).all()
    return gpd.GeoSeries(shapely.from_wkb(wkbs), crs=4326) if len(wkbs) > 1 else None


def _check(kind_name: str, fmt: str, path: Path) -> MapKind:
    if kind_name not in KINDS:
        raise BriefingRefused(f"没有“{kind_name}”这种地图，可选：{'、'.join(KINDS)}")
    if fmt not in MAP_FORMATS:
        raise BriefingRefused(f"不支持的格式“{fmt}”，可选：{'、'.join(MAP_FORMATS)}")
    if fmt == "html" and kind_name not in HTML_KINDS:
        raise BriefingRefused(f"HTML 格式只支持：{'、'.join(KINDS[k].label for k in HTML_KINDS)}")
    if not path.parent.is_dir():
        raise BriefingRefused(f"目录不存在：{path.parent}")
    return KINDS[kind_name]


def export_map(
    session: Session,
    kind_name: str,
    township_code: str,
    fmt: str,
    path: Path,
    page: Page = Page(),
    actor: Actor = Actor("unknown"),
    made_on: date | None = None,
    households: bool = True,
    node_modules: Path | None = None,
    visits: VisitSettings | None = None,
) -> Path:
    """Write map KIND_NAME of the township to PATH in FMT (png/pdf/html) and audit it.

    HOUSEHOLDS false leaves household points off the map, for roles that may not see them.
    NODE_MODULES (the front-end assets, settings.node_modules) is what an html map inlines.
    """
    path = Path(path)
    kind = _check(kind_name, fmt, path)
    visits = visits or VisitSettings.defaults()
    made_on = made_on or visits.today()
    if fmt == "html":
        content = _standalone(session, township_code, made_on, households, node_modules).encode("utf-8")
        return audited_file(
            session,
            path,
            lambda p: p.write_bytes(content),
            actor,
            {"kind": kind.name, "format": fmt, "township": township_code},
        )
    try:
        spec = kind.build(briefing_data(session, kind, township_code, made_on, households, visits))
    except KindRefused as refused:
        raise BriefingRefused(str(refused)) from refused
    rendered = render(spec, page)
    detail = {
        "kind": kind.name,
        "format": fmt,
        "township": township_code,
        "paper": page.paper,
        "orientation": page.orientation,
    }
    return audited_file(session, path, lambda p: save(rendered, p, fmt, spec.title), actor, detail)


def _standalone(session: Session, township_code: str, made_on: date, households: bool, node_modules: Path) -> str:
    """The overview web map with its households embedded: a file has no tile server to ask."""
    points = LOADERS["households"](
        session, Ask(_township_id(session, township_code), made_on, VisitSettings.defaults())
    )
    if not households:
        points = points.iloc[0:0]
    points.geometry = shapely.set_precision(points.geometry.array, 1e-6)
    embedded = replace(township_layers(session, township_code), households=json.loads(points.to_json(drop_id=True)))
    return standalone_html(embedded, node_modules)


def export_geopackage(
    session: Session,
    township_code: str,
    layer_names: list[str],
    path: Path,
    actor: Actor = Actor("unknown"),
    include_sensitive: bool = False,
) -> dict[str, int]:
    """Write LAYER_NAMES of the township into one GeoPackage for QGIS, audited; rows per layer.

    Sensitive household flags only with INCLUDE_SENSITIVE (then audited as export_sensitive).
    """
    path = Path(path)
    unknown = [name for name in layer_names if name not in LAYERS]
    if unknown or not layer_names:
        raise BriefingRefused(f"未知图层：{'、'.join(unknown) or '（未选择）'}；可选：{'、'.join(LAYERS)}")
    _township_id(session, township_code)
    counts: dict[str, int] = {}

    def write(partial: Path) -> None:
        partial.unlink(missing_ok=True)
        for name in layer_names:
            counts[name] = write_layer(session, name, "gpkg", partial, township_code, include_sensitive)

    sensitive = include_sensitive and "households" in layer_names
    detail = {"format": "gpkg", "township": township_code, "layers": counts, "sensitive": sensitive}
    audited_file(session, path, write, actor, detail, action="export_sensitive" if sensitive else "export_layers")
    return counts
