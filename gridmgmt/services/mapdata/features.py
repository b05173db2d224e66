"""Feature collections for OGC API – Features: pages of GeoJSON built in PostGIS.

Each collection lists the only properties it may carry; households never carry
the sensitive 四必访 flags (nor the head's name). Every collection is read within
the asking user's scope: households by household_scope, the others in the scope's
townships (in_scope).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain

from sqlalchemy import JSON, ColumnElement, Select, Text, func, literal_column, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import (
    DemoSite,
    GridCell,
    GridPlan,
    Household,
    PartyOrg,
    Road,
    Village,
    VillageGroup,
)
from gridmgmt.db.queries import COORD_DIGITS, GROUP_TOWNSHIP, in_scope, published_cells
from gridmgmt.domain.errors import NotFound, UserError
from gridmgmt.domain.limits import INT4_MAX
from gridmgmt.domain.permissions import Scope

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000


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
        ),
        Collection(
            "village_groups",
            "村民小组",
            "Geometry",
            VillageGroup.id,
            VillageGroup.geom,
            {"code": VillageGroup.code, "name": VillageGroup.name, "village_id": VillageGroup.village_id},
            township=GROUP_TOWNSHIP,
        ),
        Collection(
            "roads",
            "道路",
            "LineString",
            Road.id,
            Road.geom,
            {"code": Road.code, "name": Road.name, "road_class": Road.road_class, "length_m": Road.length_m},
            township=Road.township_id,
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
        ),
    )
}


def collection(collection_id: str) -> Collection:
    """The collection COLLECTION_ID; raises UnknownCollection."""
    try:
        return COLLECTIONS[collection_id]
    except KeyError:
        raise UnknownCollection(collection_id) from None


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """The bbox 'west,south,east,north' in WGS 84 degrees, or None; InvalidQuery."""
    if text is None:
        return None
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError:
        raise InvalidQuery("bbox 须为四个数：西,南,东,北（经纬度）") from None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise InvalidQuery(f"bbox 超出经纬度范围或西大于东、南大于北：{text}")
    return west, south, east, north


def _rows(coll: Collection, scope: Scope, bbox=None) -> Select:
    rows = coll.refine(select(coll.fid).where(coll.geom.is_not(None)))
    if bbox is not None:
        rows = rows.where(func.ST_Intersects(coll.geom, func.ST_MakeEnvelope(*bbox, 4326)))
    return rows.where(*in_scope(coll.personal, coll.township, scope))


def _key(name: str) -> ColumnElement:
    # Keys are our own identifiers; as literals they need no parameter type.
    return literal_column(f"'{name}'")


def _feature_json(coll: Collection) -> ColumnElement:
    properties = func.json_build_object(
        *chain.from_iterable((_key(name), column) for name, column in coll.properties.items())
    )
    return func.json_build_object(
        _key("type"),
        _key("Feature"),
        _key("id"),
        coll.fid,
        _key("geometry"),
        func.ST_AsGeoJSON(coll.geom, COORD_DIGITS).cast(JSON),
        _key("properties"),
        properties,
    ).cast(Text)


def items(
    session: Session, coll: Collection, scope: Scope, bbox=None, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> Page:
    """A page of COLL's features in BBOX that SCOPE may see, by id."""
    rows = _rows(coll, scope, bbox)
    matched = session.execute(select(func.count()).select_from(rows.subquery())).scalar_one()
    page = rows.with_only_columns(_feature_json(coll)).order_by(coll.fid)
    features = session.execute(page.limit(limit).offset(offset)).scalars().all()
    return Page(features, matched)


def item(session: Session, coll: Collection, fid: str, scope: Scope) -> str:
    """COLL's feature FID as GeoJSON text; raises FeatureNotFound (also outside SCOPE)."""
    if not (fid.isascii() and fid.isdigit()) or int(fid) > INT4_MAX:  # ids are PostgreSQL integers
        raise FeatureNotFound(coll.id, fid)
    rows = _rows(coll, scope).where(coll.fid == int(fid))
    feature = session.execute(rows.with_only_columns(_feature_json(coll))).scalar_one_or_none()
    if feature is None:
        raise FeatureNotFound(coll.id, fid)
    return feature


def extent(session: Session, coll: Collection, scope: Scope) -> tuple[float, float, float, float] | None:
    """West, south, east, north of COLL's features in SCOPE (None when empty)."""
    box = _rows(coll, scope).with_only_columns(func.ST_Extent(coll.geom)).subquery().c[0]
    row = session.execute(select(func.ST_XMin(box), func.ST_YMin(box), func.ST_XMax(box), func.ST_YMax(box))).one()
    return None if row[0] is None else tuple(row)
