"""Data layers for briefing maps, read from PostGIS as GeoDataFrames in EPSG:4326.

Each loader takes (session, township id, as-of date). Household data leaves this
module only as bare positions or as counts per village group: never a 四必访 flag.
A map kind names the loaders it needs; each issue adds its loaders here.
"""
from collections.abc import Callable
from datetime import date, timedelta

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import text
from sqlalchemy.orm import Session

# A visit counts for compliance when it falls within this many days before the as-of date.
VISIT_WINDOW_DAYS = 365

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
    return frame(session, "SELECT g.code, g.name, ST_AsBinary(g.geom) AS geom FROM village_group g "
                          "JOIN village v ON v.id = g.village_id WHERE v.township_id = :t ORDER BY g.code",
                 t=township_id)


def _households(session: Session, township_id: int, _as_of: date) -> gpd.GeoDataFrame:
    # Positions only: a dot per household, nothing that says who lives there.
    return frame(session, "SELECT ST_AsBinary(h.geom) AS geom FROM household h "
                          "JOIN village v ON v.id = h.village_id WHERE v.township_id = :t", t=township_id)


def _roads(session: Session, township_id: int, _as_of: date) -> gpd.GeoDataFrame:
    return frame(session, "SELECT r.code, r.name, r.road_class, ST_AsBinary(r.geom) AS geom FROM road r "
                          "WHERE ST_Intersects(r.geom, (SELECT geom FROM township WHERE id = :t))",
                 t=township_id)


def _venues(session: Session, township_id: int, _as_of: date) -> gpd.GeoDataFrame:
    return frame(session, "SELECT code, name, org_type, ST_AsBinary(venue) AS geom FROM party_org "
                          "WHERE township_id = :t AND venue IS NOT NULL ORDER BY code", t=township_id)


def _group_members(session: Session, township_id: int, _as_of: date) -> gpd.GeoDataFrame:
    """Village groups with the number of party members living in their households."""
    return frame(session, """
        SELECT g.code, g.name, count(m.id) AS members, ST_AsBinary(g.geom) AS geom
        FROM village_group g JOIN village v ON v.id = g.village_id
        LEFT JOIN household h ON h.group_id = g.id
        LEFT JOIN party_member m ON m.household_id = h.id
        WHERE v.township_id = :t GROUP BY g.id ORDER BY g.code""", t=township_id)


def _above_scale_firms(session: Session, township_id: int, _as_of: date) -> gpd.GeoDataFrame:
    """规模以上 enterprises and co-ops, and whether each has a party organisation."""
    return frame(session, """
        SELECT code, name, party_org_id IS NOT NULL AS has_party_org, ST_AsBinary(geom) AS geom
        FROM economic_org WHERE township_id = :t AND above_scale ORDER BY code""", t=township_id)


def _group_visits(session: Session, township_id: int, as_of: date) -> gpd.GeoDataFrame:
    """Village groups with their household count and how many were visited in the window."""
    return frame(session, """
        SELECT g.code, g.name, count(h.id) AS households,
               count(h.id) FILTER (WHERE EXISTS (
                   SELECT 1 FROM visit s WHERE s.household_id = h.id
                   AND s.visited_at >= :since AND s.visited_at < :until)) AS visited,
               ST_AsBinary(g.geom) AS geom
        FROM village_group g JOIN village v ON v.id = g.village_id
        LEFT JOIN household h ON h.group_id = g.id
        WHERE v.township_id = :t GROUP BY g.id ORDER BY g.code""",
                 t=township_id, since=as_of - timedelta(days=VISIT_WINDOW_DAYS),
                 until=as_of + timedelta(days=1))


def _grid_cells(session: Session, township_id: int, _as_of: date) -> gpd.GeoDataFrame:
    """Cells of the township's newest published plan (else its newest plan), with workloads."""
    return frame(session, """
        WITH plan AS (SELECT id, name, status FROM grid_plan WHERE township_id = :t
                      ORDER BY status = 'published' DESC, published_at DESC NULLS LAST, id DESC LIMIT 1)
        SELECT c.code, c.name, plan.name AS plan_name, plan.status AS plan_status,
               w.name AS worker, (SELECT count(*) FROM household h WHERE h.grid_cell_id = c.id) AS households,
               ST_AsBinary(c.geom) AS geom
        FROM grid_cell c JOIN plan ON plan.id = c.plan_id LEFT JOIN cadre w ON w.id = c.grid_worker_id
        ORDER BY c.code""", t=township_id)


def _demo_sites(session: Session, township_id: int, _as_of: date) -> gpd.GeoDataFrame:
    """党建示范点 at their organisations' venues, with status and theme."""
    return frame(session, """
        SELECT o.name, d.status, d.theme, ST_AsBinary(o.venue) AS geom
        FROM demo_site d JOIN party_org o ON o.id = d.party_org_id
        WHERE o.township_id = :t AND o.venue IS NOT NULL ORDER BY o.code""", t=township_id)


LOADERS: dict[str, Loader] = {
    "villages": _villages, "groups": _groups, "households": _households, "roads": _roads,
    "venues": _venues, "group_members": _group_members, "above_scale_firms": _above_scale_firms,
    "group_visits": _group_visits, "grid_cells": _grid_cells, "demo_sites": _demo_sites,
}
