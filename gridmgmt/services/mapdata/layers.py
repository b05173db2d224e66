"""A township's map layers as GeoJSON-ready data, built in PostGIS.

A township's households are too many to embed (10,000 and more): its map draws
them from the vector tiles (gridmgmt.services.mapdata.tiles). Smaller areas (a village,
a grid worker's scope) embed theirs, with non-sensitive attributes only.
"""

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import Household, PartyOrg, Road, Township, Village, VillageGroup, Water
from gridmgmt.db.queries import feature_collection
from gridmgmt.domain.errors import TownshipNotFound
from gridmgmt.readmodels import TownshipLayers, TownshipSummary

# Village and group outlines are simplified by about 2 m for display.
SIMPLIFY_DEGREES = 2e-5


def township_summaries(session: Session) -> list[TownshipSummary]:
    """All townships with their village and household counts, by code."""
    villages = select(func.count()).where(Village.township_id == Township.id).scalar_subquery()
    households = _household_count(Township.id).scalar_subquery()
    rows = session.execute(
        select(Township.code, Township.name, Township.county, villages, households).order_by(Township.code)
    )
    return [TownshipSummary(*row) for row in rows]


def township_layers(session: Session, code: str) -> TownshipLayers:
    """The map layers of the township with CODE; raises TownshipNotFound."""
    row = session.execute(
        select(
            Township.id,
            Township.name,
            func.ST_YMin(Township.geom),
            func.ST_XMin(Township.geom),
            func.ST_YMax(Township.geom),
            func.ST_XMax(Township.geom),
        ).where(Township.code == code)
    ).one_or_none()
    if row is None:
        raise TownshipNotFound(code)
    township_id, name, south, west, north, east = row
    return TownshipLayers(
        code=code,
        name=name,
        bounds=((south, west), (north, east)),
        boundary=feature_collection(session, _boundary(township_id)),
        villages=feature_collection(session, _villages(township_id)),
        village_labels=feature_collection(session, _village_labels(township_id)),
        groups=feature_collection(session, _groups(township_id)),
        roads=feature_collection(session, _roads(township_id)),
        venues=feature_collection(session, _venues(township_id)),
        household_count=session.scalar(_household_count(township_id)),
        waters=feature_collection(session, _waters(township_id)),
    )


def _simplified(geom):
    return func.ST_SimplifyPreserveTopology(geom, SIMPLIFY_DEGREES)


def _boundary(township_id: int) -> Select:
    return select(Township.code, Township.name, Township.geom.label("geom")).where(Township.id == township_id)


def _villages(township_id: int) -> Select:
    return select(Village.code, Village.name, _simplified(Village.geom).label("geom")).where(
        Village.township_id == township_id
    )


def _village_labels(township_id: int) -> Select:
    return select(Village.code, Village.name, func.ST_PointOnSurface(Village.geom).label("geom")).where(
        Village.township_id == township_id
    )


def _groups(township_id: int) -> Select:
    return (
        select(
            VillageGroup.code,
            VillageGroup.name,
            Village.name.label("village_name"),
            _simplified(VillageGroup.geom).label("geom"),
        )
        .join(Village, VillageGroup.village_id == Village.id)
        .where(Village.township_id == township_id)
    )


def _roads(township_id: int) -> Select:
    township_geom = select(Township.geom).where(Township.id == township_id).scalar_subquery()
    return select(Road.code, Road.name, Road.road_class, Road.geom.label("geom")).where(
        func.ST_Intersects(Road.geom, township_geom)
    )


def _waters(township_id: int) -> Select:
    township_geom = select(Township.geom).where(Township.id == township_id).scalar_subquery()
    return select(Water.code, Water.name, Water.kind, Water.geom.label("geom")).where(
        func.ST_Intersects(Water.geom, township_geom)
    )


def _venues(township_id: int) -> Select:
    return select(PartyOrg.code, PartyOrg.name, PartyOrg.org_type, PartyOrg.venue.label("geom")).where(
        PartyOrg.township_id == township_id, PartyOrg.venue.is_not(None)
    )


def _household_count(township_id) -> Select:
    return (
        select(func.count())
        .select_from(Household)
        .join(Village, Household.village_id == Village.id)
        .where(Village.township_id == township_id)
    )
