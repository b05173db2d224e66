"""Feature collections for OGC API – Features: pages of GeoJSON built in PostGIS.

Each collection lists the only properties it may carry; households never carry
the sensitive 四必访 flags (nor the head's name). Every collection is read within
the asking user's scope: households by household_scope, the others in the scope's
townships (in_scope). Output may be asked in another reference system (crs.py) and
narrowed by a CQL2 filter on the published properties (filters.py).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain

from sqlalchemy import JSON, ColumnElement, Select, Text, func, literal_column, select
from sqlalchemy.orm import Session

from gridmgmt.db.kept import Kept
from gridmgmt.db.models import (
    DemoSite,
    GridCell,
    GridPlan,
    Household,
    PartyOrg,
    Road,
    Village,
    VillageGroup,
    Water,
)
from gridmgmt.db.queries import COORD_DIGITS, GROUP_TOWNSHIP, data_version, in_scope, published_cells
from gridmgmt.domain.errors import NotFound, UserError
from gridmgmt.domain.limits import INT4_MAX
from gridmgmt.domain.permissions import Scope
from gridmgmt.services.mapdata.crs import CRS84, Crs
from gridmgmt.services.mapdata.filters import where_clause

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
# Extents and counts of whole collections, by scope and data version.
_FIGURES = Kept(256)


class InvalidQuery(UserError, ValueError):
    """The bbox query parameter is malformed; the message is Chinese."""


class UnknownCollection(NotFound, LookupError):
    """No collection has this id."""

    def __init__(self, collection_id: str):
        super().__init__(f"没有名为 {collection_id} 的数据集")


class FeatureNotFound(NotFound, LookupError):
    """The collection has no feature with this id (or not one the user may see)."""

    def __init__(self, collection_id: str, fid: str):
        super().__init__(f"数据集 {collection_id} 中没有编号为 {fid} 的要素")


@dataclass(frozen=True)
class Collection:
    """A feature collection: its id column, geometry, properties and filters."""

    id: str
    title: str
    geometry_type: str
    fid: ColumnElement
    geom: ColumnElement
    properties: dict[str, ColumnElement]
    township: ColumnElement | None = None  # the row's township (households: see household_scope)
    personal: bool = False  # households: never public
    refine: Callable[[Select], Select] = field(default=lambda rows: rows)
    versioned_by: tuple[str, ...] = ()  # the tables whose data versions date its extent and count


@dataclass(frozen=True)
class Page:
    """One page of a collection's items: GeoJSON Feature texts and the total matched."""

    features: list[str]
    number_matched: int


def _site_venues(rows: Select) -> Select:
    return rows.join(PartyOrg, DemoSite.party_org_id == PartyOrg.id)


# A group's township, through its village (looked up by primary key for each row picked).
COLLECTIONS = {
    c.id: c
    for c in (
        Collection(
            "villages",
            "行政村",
            "MultiPolygon",
            Village.id,
            Village.geom,
            {"code": Village.code, "name": Village.name, "township_id": Village.township_id},
            township=Village.township_id,
            versioned_by=("village",),
        ),
        Collection(
            "village_groups",
            "村民小组",
            "Geometry",
            VillageGroup.id,
            VillageGroup.geom,
            {"code": VillageGroup.code, "name": VillageGroup.name, "village_id": VillageGroup.village_id},
            township=GROUP_TOWNSHIP,
            versioned_by=("village_group", "village"),
        ),
        Collection(
            "roads",
            "道路",
            "LineString",
            Road.id,
            Road.geom,
            {"code": Road.code, "name": Road.name, "road_class": Road.road_class, "length_m": Road.length_m},
            township=Road.township_id,
            versioned_by=("road",),
        ),
        Collection(
            "waters",
            "水系",
            "Geometry",
            Water.id,
            Water.geom,
            {"code": Water.code, "name": Water.name, "kind": Water.kind},
            township=Water.township_id,
            versioned_by=("water",),
        ),
        Collection(
            "grid_cells",
            "网格（已发布方案）",
            "MultiPolygon",
            GridCell.id,
            GridCell.geom,
            {
                "code": GridCell.code,
                "name": GridCell.name,
                "village_id": GridCell.village_id,
                "plan_id": GridCell.plan_id,
            },
            township=GridPlan.township_id,
            refine=published_cells,
            versioned_by=("grid_cell", "grid_plan"),
        ),
        Collection(
            "party_venues",
            "党组织活动场所",
            "Point",
            PartyOrg.id,
            PartyOrg.venue,
            {
                "code": PartyOrg.code,
                "name": PartyOrg.name,
                "org_type": PartyOrg.org_type,
                "venue_area_m2": PartyOrg.venue_area_m2,
            },
            township=PartyOrg.township_id,
            versioned_by=("party_org",),
        ),
        Collection(
            "demo_sites",
            "党建示范点",
            "Point",
            DemoSite.id,
            PartyOrg.venue,
            {
                "party_org_code": PartyOrg.code,
                "name": PartyOrg.name,
                "status": DemoSite.status,
                "theme": DemoSite.theme,
                "level": DemoSite.level,
                "award_year": DemoSite.award_year,
            },
            township=PartyOrg.township_id,
            refine=_site_venues,
            versioned_by=("demo_site", "party_org"),
        ),
        Collection(
            "households",
            "农户",
            "Point",
            Household.id,
            Household.geom,
            {
                "code": Household.code,
                "village_id": Household.village_id,
                "group_id": Household.group_id,
                "grid_cell_id": Household.grid_cell_id,
            },
            personal=True,
            versioned_by=("household", "village"),  # village: the township a household is counted in
        ),
    )
}


def collection(collection_id: str) -> Collection:
    """The collection COLLECTION_ID; raises UnknownCollection."""
    try:
        return COLLECTIONS[collection_id]
    except KeyError:
        raise UnknownCollection(collection_id) from None


def parse_bbox(text: str | None, crs: Crs = CRS84) -> tuple[float, float, float, float] | None:
    """The bbox TEXT (four numbers in CRS's axis order) as west, south, east, north in WGS 84
    degrees, or None; InvalidQuery."""
    if text is None:
        return None
    try:
        first, second, third, fourth = (float(part) for part in text.split(","))
    except ValueError:
        order = "南,西,北,东" if crs.lat_first else "西,南,东,北"
        raise InvalidQuery(f"bbox 须为四个数：{order}（经纬度）") from None
    (west, south), (east, north) = crs.lon_lat((first, second)), crs.lon_lat((third, fourth))
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise InvalidQuery(f"bbox 超出经纬度范围或西大于东、南大于北：{text}")
    return west, south, east, north


def _rows(coll: Collection, scope: Scope, bbox=None, where: ColumnElement | None = None) -> Select:
    rows = coll.refine(select(coll.fid).where(coll.geom.is_not(None)))
    if bbox is not None:
        rows = rows.where(func.ST_Intersects(coll.geom, func.ST_MakeEnvelope(*bbox, 4326)))
    if where is not None:
        rows = rows.where(where)
    return rows.where(*in_scope(coll.personal, coll.township, scope))


def filtered(coll: Collection, text: str | None) -> ColumnElement | None:
    """The WHERE clause of the CQL2 text filter TEXT on COLL's properties (None without one)."""
    return None if text is None else where_clause(text, coll.properties, coll.geom)


def _key(name: str) -> ColumnElement:
    # Keys are our own identifiers; as literals they need no parameter type.
    return literal_column(f"'{name}'")


def _geometry_in(coll: Collection, crs: Crs) -> ColumnElement:
    geom = coll.geom if crs.srid == 4326 else func.ST_Transform(coll.geom, crs.srid)
    return func.ST_FlipCoordinates(geom) if crs.lat_first else geom


def _feature_json(coll: Collection, crs: Crs = CRS84) -> ColumnElement:
    properties = func.json_build_object(
        *chain.from_iterable((_key(name), column) for name, column in coll.properties.items())
    )
    return func.json_build_object(
        _key("type"),
        _key("Feature"),
        _key("id"),
        coll.fid,
        _key("geometry"),
        func.ST_AsGeoJSON(_geometry_in(coll, crs), COORD_DIGITS).cast(JSON),
        _key("properties"),
        properties,
    ).cast(Text)


def items(
    session: Session,
    coll: Collection,
    scope: Scope,
    bbox=None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    crs: Crs = CRS84,
    where: ColumnElement | None = None,
) -> Page:
    """A page of COLL's features in BBOX matching WHERE that SCOPE may see, by id, in CRS."""
    rows = _rows(coll, scope, bbox, where)
    if bbox is None and where is None:
        matched = _per_version(session, "matched", coll, scope, lambda: _count(session, rows))
    else:
        matched = _count(session, rows)
    # PostgreSQL builds the selected GeoJSON for the rows OFFSET skips too: pick the page's ids
    # first, then build only theirs.
    ids = rows.order_by(coll.fid).limit(limit).offset(offset)
    page = rows.with_only_columns(_feature_json(coll, crs)).where(coll.fid.in_(ids)).order_by(coll.fid)
    return Page(session.execute(page).scalars().all(), matched)


def _count(session: Session, rows: Select) -> int:
    return session.execute(select(func.count()).select_from(rows.subquery())).scalar_one()


def item(session: Session, coll: Collection, fid: str, scope: Scope, crs: Crs = CRS84) -> str:
    """COLL's feature FID as GeoJSON text in CRS; raises FeatureNotFound (also outside SCOPE)."""
    if not (fid.isascii() and fid.isdigit()) or int(fid) > INT4_MAX:  # ids are PostgreSQL integers
        raise FeatureNotFound(coll.id, fid)
    rows = _rows(coll, scope).where(coll.fid == int(fid))
    feature = session.execute(rows.with_only_columns(_feature_json(coll, crs))).scalar_one_or_none()
    if feature is None:
        raise FeatureNotFound(coll.id, fid)
    return feature


def extent(session: Session, coll: Collection, scope: Scope) -> tuple[float, float, float, float] | None:
    """West, south, east, north of COLL's features in SCOPE (None when empty), computed once per
    data version of COLL's tables."""

    def compute():
        box = _rows(coll, scope).with_only_columns(func.ST_Extent(coll.geom)).subquery().c[0]
        row = session.execute(select(func.ST_XMin(box), func.ST_YMin(box), func.ST_XMax(box), func.ST_YMax(box))).one()
        return None if row[0] is None else tuple(row)

    return _per_version(session, "extent", coll, scope, compute)


def _per_version(session: Session, what: str, coll: Collection, scope: Scope, compute):
    return _FIGURES.get((what, coll.id, scope, data_version(session, coll.versioned_by)), compute)
