"""A village's page data, and map layers for a set of villages (a village, a grid worker's scope)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import (
    Cadre,
    CadreVillage,
    Household,
    PartyMember,
    PartyOrg,
    Road,
    Township,
    Village,
    VillageGroup,
    Water,
)
from gridmgmt.db.queries import collection, feature_collection, posting_in_force
from gridmgmt.domain.errors import NotFound
from gridmgmt.domain.permissions import Forbidden, Scope, sees_village
from gridmgmt.domain.postings import RESIDENT_ASSIGNMENTS, term_end
from gridmgmt.domain.vocab import ASSIGNMENTS, CADRE_ROLES, ORG_TYPES
from gridmgmt.readmodels import TownshipLayers
from gridmgmt.services.mapdata.households import scoped_households
from gridmgmt.services.mapdata.village_cells import VillageCells, village_cells


class VillageNotFound(NotFound, LookupError):
    """No village has the requested code."""

    def __init__(self, code: str):
        super().__init__(f"没有编码为 {code} 的行政村")


@dataclass(frozen=True)
class GroupLine:
    """A village group with its household and party-member counts."""

    name: str
    households: int
    party_members: int


@dataclass(frozen=True)
class OrgLine:
    """A party organisation of the village."""

    name: str
    org_type: str
    full_members: int
    probationary: int
    committee_size: int


@dataclass(frozen=True)
class VillagePage:
    """Everything on the village page except the map."""

    code: str
    name: str
    township_code: str
    township_name: str
    households: int
    residents: int
    party_households: int
    groups: list[GroupLine]
    orgs: list[OrgLine]
    cadres: list[tuple[str, str, str, date | None]]  # name, cadre role, assignment (Chinese), term end
    cells: VillageCells  # the published plan's cells in the village


def village_page(session: Session, code: str, scope: Scope, day: date) -> VillagePage:
    """The village CODE's summary on DAY (the cadres posted then); Forbidden outside SCOPE."""
    village, township_code, township_name = _village(session, code, scope)
    totals = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(Household.member_count), 0),
            func.count().filter(Household.is_party_household),
        ).where(Household.village_id == village.id)
    ).one()
    return VillagePage(
        code,
        village.name,
        township_code,
        township_name,
        *totals,
        groups=_groups(session, village.id),
        orgs=_orgs(session, village.id),
        cadres=_cadres(session, village.id, day),
        cells=village_cells(session, village.id, phones=scope.households),
    )


def village_layers(session: Session, code: str, scope: Scope) -> TownshipLayers:
    """The village CODE's map layers, with the households SCOPE covers; Forbidden outside SCOPE."""
    village = _village(session, code, scope)[0]
    households = scoped_households(scope).where(Household.village_id == village.id)
    return area_layers(session, village.name, code, [village.id], households)


def _village(session: Session, code: str, scope: Scope) -> tuple[Village, str, str]:
    """The village CODE with its township's code and name; Forbidden outside SCOPE."""
    row = session.execute(
        select(Village, Township.code, Township.name)
        .join(Township, Village.township_id == Township.id)
        .where(Village.code == code)
    ).one_or_none()
    if row is None:
        raise VillageNotFound(code)
    if not sees_village(scope, row[0].township_id, row[0].id):
        raise Forbidden(code)
    return row[0], row[1], row[2]


def _groups(session: Session, village_id: int) -> list[GroupLine]:
    members = (
        select(func.count())
        .select_from(PartyMember)
        .join(Household, PartyMember.household_id == Household.id)
        .where(Household.group_id == VillageGroup.id)
        .scalar_subquery()
    )
    homes = select(func.count()).where(Household.group_id == VillageGroup.id).scalar_subquery()
    rows = session.execute(
        select(VillageGroup.name, homes, members)
        .where(VillageGroup.village_id == village_id)
        .order_by(VillageGroup.code)
    )
    return [GroupLine(*row) for row in rows]


def _orgs(session: Session, village_id: int) -> list[OrgLine]:
    def count(status):
        return (
            select(func.count())
            .where(PartyMember.party_org_id == PartyOrg.id, PartyMember.status == status)
            .scalar_subquery()
        )

    rows = session.execute(
        select(PartyOrg.name, PartyOrg.org_type, count("full"), count("probationary"), PartyOrg.committee_size)
        .where(PartyOrg.village_id == village_id)
        .order_by(PartyOrg.code)
    )
    return [OrgLine(name, ORG_TYPES[kind], full, prob, size) for name, kind, full, prob, size in rows]


def _cadres(session: Session, village_id: int, day: date) -> list[tuple[str, str, str, date | None]]:
    """The cadres posted to the village on DAY: name, role, assignment (Chinese), and for a first
    secretary or work-team member the last day of their two-year term (003 二.1)."""
    rows = session.execute(
        select(Cadre.name, Cadre.cadre_role, CadreVillage.assignment, CadreVillage.start_date)
        .join(CadreVillage, CadreVillage.cadre_id == Cadre.id)
        .where(CadreVillage.village_id == village_id, posting_in_force(day))
        .order_by(Cadre.code)
    )
    return [
        (
            name,
            CADRE_ROLES[role],
            ASSIGNMENTS[kind],
            term_end(start) if kind in RESIDENT_ASSIGNMENTS and start else None,
        )
        for name, role, kind, start in rows
    ]


def scope_layers(session: Session, scope: Scope, title: str) -> TownshipLayers | None:
    """Map layers of SCOPE's villages and households; None when SCOPE has no village."""
    if scope.village_ids is None:  # a whole township (a 全镇 duty)
        village_ids = session.scalars(
            select(Village.id).where(Village.township_id.in_(sorted(scope.township_ids))).order_by(Village.id)
        ).all()
    else:
        village_ids = sorted(scope.village_ids | scope.cell_village_ids)
    if not village_ids:
        return None
    return area_layers(session, title, "", village_ids, scoped_households(scope))


def area_layers(session: Session, title: str, code: str, village_ids: list[int], households: Select) -> TownshipLayers:
    """TownshipLayers for the villages VILLAGE_IDS and the HOUSEHOLDS query (code, group_name, geom)."""
    in_area = Village.id.in_(village_ids)
    south, west, north, east = session.execute(
        select(
            func.ST_YMin(func.ST_Extent(Village.geom)),
            func.ST_XMin(func.ST_Extent(Village.geom)),
            func.ST_YMax(func.ST_Extent(Village.geom)),
            func.ST_XMax(func.ST_Extent(Village.geom)),
        ).where(in_area)
    ).one()
    area = select(func.ST_Union(Village.geom)).where(in_area).scalar_subquery()
    sub = households.subquery()
    return TownshipLayers(
        code=code,
        name=title,
        bounds=((south, west), (north, east)),
        boundary=collection([]),
        villages=feature_collection(session, select(Village.code, Village.name, Village.geom).where(in_area)),
        village_labels=feature_collection(
            session,
            select(Village.code, Village.name, func.ST_PointOnSurface(Village.geom).label("geom")).where(in_area),
        ),
        groups=feature_collection(
            session,
            select(VillageGroup.code, VillageGroup.name, Village.name.label("village_name"), VillageGroup.geom)
            .join(Village, VillageGroup.village_id == Village.id)
            .where(in_area),
        ),
        roads=feature_collection(
            session, select(Road.code, Road.name, Road.road_class, Road.geom).where(func.ST_Intersects(Road.geom, area))
        ),
        venues=feature_collection(
            session,
            select(PartyOrg.code, PartyOrg.name, PartyOrg.org_type, PartyOrg.venue.label("geom")).where(
                PartyOrg.village_id.in_(village_ids), PartyOrg.venue.is_not(None)
            ),
        ),
        households=feature_collection(session, select(sub.c.code, sub.c.group_name, sub.c.geom)),
        waters=feature_collection(
            session, select(Water.code, Water.name, Water.kind, Water.geom).where(func.ST_Intersects(Water.geom, area))
        ),
    )
