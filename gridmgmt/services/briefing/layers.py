"""Data layers for briefing maps, read from PostGIS as GeoDataFrames in EPSG:4326.

Each loader takes (session, Ask): the township, the as-of date and the visit settings. Household data leaves this
module only as bare positions or as counts per village group: never a 四必访 flag.
A map kind names the loaders it needs; each issue adds its loaders here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import geopandas as gpd
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from gridmgmt.analysis.siting import SelectionError
from gridmgmt.db.models import (
    Cadre,
    DemoSite,
    EconomicOrg,
    GridCell,
    GridMembership,
    GridPlan,
    Household,
    PartyMember,
    PartyOrg,
    Road,
    Township,
    Village,
    VillageGroup,
    Water,
)
from gridmgmt.db.queries import in_township, township_villages
from gridmgmt.domain.site_criteria import SiteConfig
from gridmgmt.services.sites import layers as site_layers
from gridmgmt.services.sites.measures import NoSeat
from gridmgmt.services.sites.selection import plan_tour, score_sites
from gridmgmt.services.visits.compliance import township_compliance
from gridmgmt.services.visits.settings import VisitSettings


@dataclass(frozen=True)
class Ask:
    """What a loader is asked for: township TOWNSHIP_ID as of AS_OF, duties read with VISITS."""

    township_id: int
    as_of: date
    visits: VisitSettings


Loader = Callable[[Session, Ask], gpd.GeoDataFrame]


def frame(session: Session, rows: Select) -> gpd.GeoDataFrame:
    """ROWS, whose `geom` column is wkb(…), as a GeoDataFrame in EPSG:4326."""
    found = gpd.read_postgis(rows, session.connection(), geom_col="geom", crs=4326)
    return found.rename_geometry("geometry")


def wkb(geometry) -> ColumnElement:
    """GEOMETRY as the `geom` column frame() reads: plain WKB, which shapely reads fastest."""
    return func.ST_AsBinary(geometry).label("geom")


def _villages(session: Session, ask: Ask) -> gpd.GeoDataFrame:
    return frame(
        session,
        select(Village.code, Village.name, wkb(Village.geom))
        .where(Village.township_id == ask.township_id)
        .order_by(Village.code),
    )


def _groups(session: Session, ask: Ask) -> gpd.GeoDataFrame:
    return frame(
        session,
        select(VillageGroup.id, VillageGroup.code, VillageGroup.name, wkb(VillageGroup.geom))
        .where(VillageGroup.village_id.in_(township_villages(ask.township_id)))
        .order_by(VillageGroup.code),
    )


def _households(session: Session, ask: Ask) -> gpd.GeoDataFrame:
    # Position, household code and group name, as the web map shows them: nothing about who lives there.
    return frame(
        session,
        select(Household.code, VillageGroup.name.label("group_name"), wkb(Household.geom))
        .select_from(Household)
        .outerjoin(VillageGroup, VillageGroup.id == Household.group_id)
        .where(in_township(ask.township_id))
        .order_by(Household.code),
    )


def _roads(session: Session, ask: Ask) -> gpd.GeoDataFrame:
    township = select(Township.geom).where(Township.id == ask.township_id).scalar_subquery()
    return frame(
        session,
        select(Road.code, Road.name, Road.road_class, wkb(Road.geom)).where(func.ST_Intersects(Road.geom, township)),
    )


def _waters(session: Session, ask: Ask) -> gpd.GeoDataFrame:
    township = select(Township.geom).where(Township.id == ask.township_id).scalar_subquery()
    return frame(
        session,
        select(Water.code, Water.name, Water.kind, wkb(Water.geom)).where(func.ST_Intersects(Water.geom, township)),
    )


def _venues(session: Session, ask: Ask) -> gpd.GeoDataFrame:
    return frame(
        session,
        select(PartyOrg.code, PartyOrg.name, PartyOrg.org_type, wkb(PartyOrg.venue))
        .where(PartyOrg.township_id == ask.township_id, PartyOrg.venue.is_not(None))
        .order_by(PartyOrg.code),
    )


def _group_members(session: Session, ask: Ask) -> gpd.GeoDataFrame:
    """Village groups with their households and the party members living in them."""
    return frame(
        session,
        select(
            VillageGroup.code,
            VillageGroup.name,
            func.count(Household.id.distinct()).label("households"),
            func.count(PartyMember.id).label("members"),
            wkb(VillageGroup.geom),
        )
        .select_from(VillageGroup)
        .outerjoin(Household, Household.group_id == VillageGroup.id)
        .outerjoin(PartyMember, PartyMember.household_id == Household.id)
        .where(VillageGroup.village_id.in_(township_villages(ask.township_id)))
        .group_by(VillageGroup.id)
        .order_by(VillageGroup.code),
    )


def _above_scale_firms(session: Session, ask: Ask) -> gpd.GeoDataFrame:
    """规模以上 enterprises and co-ops, and whether each has a party organisation."""
    return frame(
        session,
        select(
            EconomicOrg.code,
            EconomicOrg.name,
            EconomicOrg.party_org_id.is_not(None).label("has_party_org"),
            wkb(EconomicOrg.geom),
        )
        .where(EconomicOrg.township_id == ask.township_id, EconomicOrg.above_scale)
        .order_by(EconomicOrg.code),
    )


def _township_code(session: Session, township_id: int) -> str:
    return session.scalar(select(Township.code).where(Township.id == township_id))


def _household_duties(session: Session, ask: Ask):
    """Status rows of the all-household visit duties on AS_OF; the 四必访 duties (flagged
    households) are left out, so no rate made from them tells of a flag."""
    comp = township_compliance(session, _township_code(session, ask.township_id), ask.as_of, ask.visits)
    duties = [d.code for d in comp.duties if d.target == "households"]
    status = comp.status[comp.status.duty.isin(duties)]
    return status.assign(group_id=status.target_id.map(comp.data.households.set_index("id").group_id))


def _with_rates(areas: gpd.GeoDataFrame, status, key: str) -> gpd.GeoDataFrame:
    """AREAS (an `id` column) with targets and done rate of STATUS rows grouped by KEY."""
    done = (status.status == "done").groupby(status[key]).agg(["sum", "size"])
    targets = areas.id.map(done["size"]).fillna(0).astype(int)
    return areas.assign(targets=targets, rate=areas.id.map(done["sum"]) / targets.where(targets > 0))


def _group_compliance(session: Session, ask: Ask) -> gpd.GeoDataFrame:
    """Village groups with the done rate of the all-household visit duties on AS_OF."""
    return _with_rates(_groups(session, ask), _household_duties(session, ask), "group_id")


def _cell_compliance(session: Session, ask: Ask) -> gpd.GeoDataFrame:
    """Cells of the published plan with the same done rate (households' cells are the published plan's)."""
    cells = _grid_cells(session, ask)
    cells = cells[cells.plan_status == "published"]
    return _with_rates(cells, _household_duties(session, ask), "grid_cell_id")


def _shown_plan(township_id: int):
    """The township's newest published plan, else its newest plan (one row: id, name, status)."""
    return (
        select(GridPlan.id, GridPlan.name, GridPlan.status)
        .where(GridPlan.township_id == township_id)
        .order_by(
            (GridPlan.status == "published").desc(), GridPlan.published_at.desc().nulls_last(), GridPlan.id.desc()
        )
        .limit(1)
        .cte("plan")
    )


def _grid_cells(session: Session, ask: Ask) -> gpd.GeoDataFrame:
    """Cells of the township's newest published plan (else its newest plan), with workloads."""
    plan = _shown_plan(ask.township_id)
    households = select(func.count()).where(GridMembership.cell_id == GridCell.id).scalar_subquery()
    return frame(
        session,
        select(
            GridCell.id,
            GridCell.code,
            Village.code.label("village_code"),
            GridCell.name,
            plan.c.name.label("plan_name"),
            plan.c.status.label("plan_status"),
            Cadre.name.label("worker"),
            households.label("households"),
            wkb(GridCell.geom),
        )
        .select_from(GridCell)
        .join(plan, plan.c.id == GridCell.plan_id)
        .join(Village, Village.id == GridCell.village_id)
        .outerjoin(Cadre, Cadre.id == GridCell.grid_worker_id)
        .order_by(GridCell.code),
    )


def _demo_sites(session: Session, ask: Ask) -> gpd.GeoDataFrame:
    """党建示范点 at their organisations' venues, with status and theme."""
    return frame(
        session,
        select(PartyOrg.id.label("party_org_id"), PartyOrg.name, DemoSite.status, DemoSite.theme, wkb(PartyOrg.venue))
        .select_from(DemoSite)
        .join(PartyOrg, PartyOrg.id == DemoSite.party_org_id)
        .where(PartyOrg.township_id == ask.township_id, PartyOrg.venue.is_not(None))
        .order_by(PartyOrg.code),
    )


def _from_geojson(collection: dict) -> gpd.GeoDataFrame:
    if not collection["features"]:
        return gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=4326), crs=4326)
    return gpd.GeoDataFrame.from_features(collection, crs=4326)


def _site_corridor(session: Session, ask: Ask) -> gpd.GeoDataFrame:
    """The 公路交通沿线 corridor of the demo-site rules (SiteConfig)."""
    return _from_geojson(site_layers.corridors(session, ask.township_id, SiteConfig()))


def _site_candidates(session: Session, ask: Ask) -> gpd.GeoDataFrame:
    """Every candidate venue scored by the default demo-site rules: score, exclusions, review status."""
    scored = score_sites(session, _township_code(session, ask.township_id), SiteConfig())
    return _from_geojson(site_layers.candidates(session, scored))


def _site_tour(session: Session, ask: Ask) -> gpd.GeoDataFrame:
    """The road tour from the seat through the awarded sites; empty when there is none to make."""
    sites = _demo_sites(session, ask)
    awarded = sites.party_org_id[sites.status == "awarded"].tolist()
    if not awarded:
        return _from_geojson({"features": []})
    try:
        tour = plan_tour(session, _township_code(session, ask.township_id), awarded)
    except (SelectionError, NoSeat):
        return _from_geojson({"features": []})
    return _from_geojson(site_layers.tour_path(tour))


LOADERS: dict[str, Loader] = {
    "villages": _villages,
    "groups": _groups,
    "households": _households,
    "roads": _roads,
    "waters": _waters,
    "venues": _venues,
    "group_members": _group_members,
    "above_scale_firms": _above_scale_firms,
    "group_compliance": _group_compliance,
    "cell_compliance": _cell_compliance,
    "grid_cells": _grid_cells,
    "demo_sites": _demo_sites,
    "site_corridor": _site_corridor,
    "site_tour": _site_tour,
    "site_candidates": _site_candidates,
}
