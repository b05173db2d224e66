"""Data layers for briefing maps, read from PostGIS as GeoDataFrames in EPSG:4326.

Each loader takes (session, township id, as-of date). Household data leaves this
module only as bare positions or as counts per village group: never a 四必访 flag.
A map kind names the loaders it needs; each issue adds its loaders here.
"""
from collections.abc import Callable
from datetime import date

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import text
from sqlalchemy.orm import Session

from gridmgmt.analysis.siting import SelectionError
from gridmgmt.domain.site_criteria import SiteConfig
from gridmgmt.services.sites import layers as site_layers
from gridmgmt.config import get_settings
from gridmgmt.services.visits.compliance import township_compliance
from gridmgmt.services.visits.settings import VisitSettings
from gridmgmt.services.sites.measures import NoSeat
from gridmgmt.services.sites.selection import plan_tour

Loader = Callable[[Session, int, date], gpd.GeoDataFrame]


def frame(session: Session, sql: str, **params) -> gpd.GeoDataFrame:
    """Run SQL whose `geom` column is WKB; the rows as a GeoDataFrame in EPSG:4326."""
    rows = session.execute(text(sql), params)
    data = pd.DataFrame(rows.all(), columns=list(rows.keys()))
    geoms = shapely.from_wkb(data.pop("geom").to_numpy()) if len(data) else []
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geoms, crs=4326), crs=4326)


def _villages(session: Session, township_id: int, _as_of: date) -> gpd.GeoDataFrame:
    return frame(session, "SELECT code, name, ST_AsBinary(geom) AS geom FROM village "
                          "WHERE township_id = :t ORDER BY code", t=township_id)


def _groups(session: Session, township_id: int, _as_of: date) -> gpd.GeoDataFrame:
    return frame(session, "SELECT g.id, g.code, g.name, ST_AsBinary(g.geom) AS geom FROM village_group g "
                          "JOIN village v ON v.id = g.village_id WHERE v.township_id = :t ORDER BY g.code",
                 t=township_id)


def _households(session: Session, township_id: int, _as_of: date) -> gpd.GeoDataFrame:
    # Position, household code and group name, as the web map shows them: nothing about who lives there.
    return frame(session, "SELECT h.code, g.name AS group_name, ST_AsBinary(h.geom) AS geom FROM household h "
                          "JOIN village v ON v.id = h.village_id LEFT JOIN village_group g ON g.id = h.group_id "
                          "WHERE v.township_id = :t ORDER BY h.code", t=township_id)


def _roads(session: Session, township_id: int, _as_of: date) -> gpd.GeoDataFrame:
    return frame(session, "SELECT r.code, r.name, r.road_class, ST_AsBinary(r.geom) AS geom FROM road r "
                          "WHERE ST_Intersects(r.geom, (SELECT geom FROM township WHERE id = :t))",
                 t=township_id)


def _venues(session: Session, township_id: int, _as_of: date) -> gpd.GeoDataFrame:
    return frame(session, "SELECT code, name, org_type, ST_AsBinary(venue) AS geom FROM party_org "
                          "WHERE township_id = :t AND venue IS NOT NULL ORDER BY code", t=township_id)


def _group_members(session: Session, township_id: int, _as_of: date) -> gpd.GeoDataFrame:
    """Village groups with their households and the party members living in them."""
    return frame(session, """
        SELECT g.code, g.name, count(DISTINCT h.id) AS households, count(m.id) AS members,
               ST_AsBinary(g.geom) AS geom
        FROM village_group g JOIN village v ON v.id = g.village_id
        LEFT JOIN household h ON h.group_id = g.id
        LEFT JOIN party_member m ON m.household_id = h.id
        WHERE v.township_id = :t GROUP BY g.id ORDER BY g.code""", t=township_id)


def _above_scale_firms(session: Session, township_id: int, _as_of: date) -> gpd.GeoDataFrame:
    """规模以上 enterprises and co-ops, and whether each has a party organisation."""
    return frame(session, """
        SELECT code, name, party_org_id IS NOT NULL AS has_party_org, ST_AsBinary(geom) AS geom
        FROM economic_org WHERE township_id = :t AND above_scale ORDER BY code""", t=township_id)


def _household_duties(session: Session, township_id: int, as_of: date):
    """Status rows of the all-household visit duties on AS_OF; the 四必访 duties (flagged
    households) are left out, so no rate made from them tells of a flag."""
    code = session.execute(text("SELECT code FROM township WHERE id = :t"), {"t": township_id}).scalar()
    # Bridge until the briefing services take the visit settings from their caller (issue 16).
    comp = township_compliance(session, code, as_of, VisitSettings.of(get_settings()))
    duties = [d.code for d in comp.duties if d.target == "households"]
    status = comp.status[comp.status.duty.isin(duties)]
    return status.assign(group_id=status.target_id.map(comp.data.households.set_index("id").group_id))


def _with_rates(areas: gpd.GeoDataFrame, status, key: str) -> gpd.GeoDataFrame:
    """AREAS (an `id` column) with targets and done rate of STATUS rows grouped by KEY."""
    done = (status.status == "done").groupby(status[key]).agg(["sum", "size"])
    targets = areas.id.map(done["size"]).fillna(0).astype(int)
    return areas.assign(targets=targets, rate=areas.id.map(done["sum"]) / targets.where(targets > 0))


def _group_compliance(session: Session, township_id: int, as_of: date) -> gpd.GeoDataFrame:
    """Village groups with the done rate of the all-household visit duties on AS_OF."""
    return _with_rates(_groups(session, township_id, as_of), _household_duties(session, township_id, as_of),
                       "group_id")


def _cell_compliance(session: Session, township_id: int, as_of: date) -> gpd.GeoDataFrame:
    """Cells of the published plan with the same done rate (households' cells are the published plan's)."""
    cells = _grid_cells(session, township_id, as_of)
    cells = cells[cells.plan_status == "published"]
    return _with_rates(cells, _household_duties(session, township_id, as_of), "grid_cell_id")


def _grid_cells(session: Session, township_id: int, _as_of: date) -> gpd.GeoDataFrame:
    """Cells of the township's newest published plan (else its newest plan), with workloads."""
    return frame(session, """
        WITH plan AS (SELECT id, name, status FROM grid_plan WHERE township_id = :t
                      ORDER BY status = 'published' DESC, published_at DESC NULLS LAST, id DESC LIMIT 1)
        SELECT c.id, c.code, v.code AS village_code, c.name, plan.name AS plan_name, plan.status AS plan_status,
               w.name AS worker, (SELECT count(*) FROM grid_membership m WHERE m.cell_id = c.id) AS households,
               ST_AsBinary(c.geom) AS geom
        FROM grid_cell c JOIN plan ON plan.id = c.plan_id JOIN village v ON v.id = c.village_id
        LEFT JOIN cadre w ON w.id = c.grid_worker_id
        ORDER BY c.code""", t=township_id)


def _demo_sites(session: Session, township_id: int, _as_of: date) -> gpd.GeoDataFrame:
    """党建示范点 at their organisations' venues, with status and theme."""
    return frame(session, """
        SELECT o.id AS party_org_id, o.name, d.status, d.theme, ST_AsBinary(o.venue) AS geom
        FROM demo_site d JOIN party_org o ON o.id = d.party_org_id
        WHERE o.township_id = :t AND o.venue IS NOT NULL ORDER BY o.code""", t=township_id)


def _from_geojson(collection: dict) -> gpd.GeoDataFrame:
    if not collection["features"]:
        return gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=4326), crs=4326)
    return gpd.GeoDataFrame.from_features(collection, crs=4326)


def _site_corridor(session: Session, township_id: int, _as_of: date) -> gpd.GeoDataFrame:
    """The 公路交通沿线 corridor of the demo-site rules (SiteConfig)."""
    return _from_geojson(site_layers.corridors(session, township_id, SiteConfig()))


def _site_tour(session: Session, township_id: int, as_of: date) -> gpd.GeoDataFrame:
    """The road tour from the seat through the awarded sites; empty when there is none to make."""
    sites = _demo_sites(session, township_id, as_of)
    awarded = sites.party_org_id[sites.status == "awarded"].tolist()
    if not awarded:
        return _from_geojson({"features": []})
    code = session.execute(text("SELECT code FROM township WHERE id = :t"), {"t": township_id}).scalar()
    try:
        tour = plan_tour(session, code, awarded)
    except (SelectionError, NoSeat):
        return _from_geojson({"features": []})
    return _from_geojson(site_layers.tour_path(tour))


LOADERS: dict[str, Loader] = {
    "villages": _villages, "groups": _groups, "households": _households, "roads": _roads,
    "venues": _venues, "group_members": _group_members, "above_scale_firms": _above_scale_firms,
    "group_compliance": _group_compliance, "cell_compliance": _cell_compliance, "grid_cells": _grid_cells,
    "demo_sites": _demo_sites,
    "site_corridor": _site_corridor, "site_tour": _site_tour,
}
