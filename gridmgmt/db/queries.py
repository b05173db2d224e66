"""Query fragments written once: households of a township or in a user's scope, published cells,
and GeoJSON built in PostGIS with one precision.

Spatial queries are Core select() with func.ST_*; raw SQL is left to pgRouting's inner queries
(composed with psycopg.sql, see gridmgmt/network/roads.py).
"""

import json
from datetime import date

import numpy as np
import shapely
from sqlalchemy import ARRAY, ColumnElement, Select, and_, any_, bindparam, false, func, or_, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import (
    CadreVillage,
    DataVersion,
    GridCell,
    GridPlan,
    HelpPairing,
    Household,
    Village,
    VillageGroup,
)
from gridmgmt.domain.permissions import Scope
from gridmgmt.domain.vocab import MUST_VISIT_FLAGS

# GeoJSON coordinates: 6 decimals of a degree, about 0.1 m; a third of the bytes of full precision.
COORD_DIGITS = 6
# The township of a village group, for layers that carry no township column of their own.
GROUP_TOWNSHIP = select(Village.township_id).where(Village.id == VillageGroup.village_id).scalar_subquery()


def township_villages(township_id: int) -> Select:
    """The ids of the villages of township TOWNSHIP_ID (a subquery for IN)."""
    return select(Village.id).where(Village.township_id == township_id)


def in_township(township_id: int) -> ColumnElement:
    """WHERE clause: the household lies in a village of township TOWNSHIP_ID."""
    return Household.village_id.in_(township_villages(township_id))


def pairing_in_force(day) -> list[ColumnElement]:
    """WHERE clauses: the 一帮一 pairing holds on DAY (started, not ended before it)."""
    return [HelpPairing.start_date <= day, or_(HelpPairing.end_date.is_(None), HelpPairing.end_date >= day)]


def posting_in_force(first: date, last: date | None = None) -> ColumnElement:
    """WHERE clause: the cadre_village posting holds on day FIRST, or on some day from FIRST to
    LAST (both included); empty dates are open (SQL of gridmgmt.domain.postings.in_force).
    An ended posting satisfies nothing: every check of postings reads them through this."""
    last = first if last is None else last
    return and_(
        or_(CadreVillage.start_date.is_(None), CadreVillage.start_date <= last),
        or_(CadreVillage.end_date.is_(None), CadreVillage.end_date >= first),
    )


def household_scope(scope: Scope) -> list[ColumnElement]:
    """WHERE clauses that keep only the households SCOPE covers (SQL of sees_household)."""
    if not scope.households:
        return [false()]
    clauses = []
    if scope.township_ids is not None:
        clauses.append(
            Household.village_id.in_(select(Village.id).where(Village.township_id.in_(sorted(scope.township_ids))))
        )
    if scope.village_ids is not None:
        clauses.append(
            or_(Household.village_id.in_(scope.village_ids), Household.grid_cell_id.in_(scope.grid_cell_ids))
        )
    return clauses


def in_scope(personal: bool, township: ColumnElement | None, scope: Scope) -> list[ColumnElement]:
    """WHERE clauses that keep the rows of a layer SCOPE may see: households (PERSONAL) by
    household_scope, the rows of other layers by their TOWNSHIP column."""
    if personal:
        return household_scope(scope)
    if scope.township_ids is None:
        return []
    return [township.in_(sorted(scope.township_ids))]


def published_cells(rows: Select) -> Select:
    """ROWS of grid cells kept to the cells of published plans."""
    return rows.join(GridPlan, GridCell.plan_id == GridPlan.id).where(GridPlan.status == "published")


def feature_collection(session: Session, rows: Select) -> dict:
    """Run ROWS (one `geom` column plus properties) into a GeoJSON FeatureCollection."""
    sub = rows.subquery()
    features = session.execute(select(func.ST_AsGeoJSON(sub.table_valued(), "geom", COORD_DIGITS))).scalars()
    return collection([json.loads(f) for f in features])


def collection(features: list[dict]) -> dict:
    """A GeoJSON FeatureCollection of FEATURES."""
    return {"type": "FeatureCollection", "features": features}


def rounded(geometry):
    """GEOMETRY (shapely, degrees) with coordinates rounded to COORD_DIGITS, for GeoJSON built in Python."""
    return shapely.transform(geometry, lambda coords: np.round(coords, COORD_DIGITS))


def must_visit() -> ColumnElement:
    """True for a household with any 四必访 flag (one bool: the flags themselves stay in the database)."""
    return or_(*(getattr(Household, flag) for flag in MUST_VISIT_FLAGS))


def lonlat(point) -> list[ColumnElement]:
    """The longitude and latitude of POINT (a point geometry column), as columns `lon` and `lat`."""
    return [func.ST_X(point).label("lon"), func.ST_Y(point).label("lat")]


def household_points(township_id: int) -> Select:
    """(id, lon, lat) of the households of township TOWNSHIP_ID, by id."""
    return select(Household.id, *lonlat(Household.geom)).where(in_township(township_id)).order_by(Household.id)


def positions(session: Session, rows: Select) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ids, lon, lat) arrays of ROWS, a select of (id, lon, lat), in its order."""
    found = session.execute(rows).all()
    if not found:
        return np.zeros(0, int), np.zeros(0), np.zeros(0)
    ids, lon, lat = (np.array(column) for column in zip(*found))
    return ids.astype(int), lon.astype(float), lat.astype(float)


def among(column, ids) -> ColumnElement:
    """WHERE clause: COLUMN is one of IDS, sent as one array parameter however many there are."""
    return column == any_(bindparam(None, [int(i) for i in ids], type_=ARRAY(column.type)))


def collection_of(rows) -> dict:
    """A GeoJSON FeatureCollection of ROWS: (geometry as GeoJSON text from ST_AsGeoJSON with
    COORD_DIGITS, properties built in Python)."""
    return collection([{"type": "Feature", "geometry": json.loads(geom), "properties": props} for geom, props in rows])


def data_version(session: Session, tables: tuple[str, ...]) -> int:
    """A number that changes whenever any of TABLES changes (their data versions, kept by triggers)."""
    # Versions only grow, so their sum changes when any of them does.
    total = session.scalar(select(func.sum(DataVersion.version)).where(DataVersion.table_name.in_(tables)))
    return int(total or 0)
