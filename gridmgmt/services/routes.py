"""A cadre's visiting round for a day: urgent stops first, within hours, along the roads."""
import json
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from gridmgmt.analysis.compliance import PRIORITIES
from gridmgmt.analysis.routing import (
    Access, fit_budget, place_matrix, solve, straight_metres, tour_length, via_vertices,
)
from gridmgmt.services.compliance import cadre_work

SPEED_MPS = {"walk": 4.5 / 3.6, "drive": 25 / 3.6}
MODES = {"walk": "步行", "drive": "驾车"}
SERVICE_S = 15 * 60          # time spent in each household
SEARCH_S = 1.0               # time given to the order search
MARGIN_DEG = 0.03            # roads this far beyond the stops' box (about 3 km) may be used
# Places the road network does not join are charged the straight line times this.
DETOUR = 1.5

BASE_SQL = """
SELECT ST_X(p), ST_Y(p) FROM (
  SELECT COALESCE(c.home, (SELECT o.venue FROM cadre_village cv JOIN party_org o ON o.village_id = cv.village_id
                           WHERE cv.cadre_id = c.id AND o.venue IS NOT NULL ORDER BY o.id LIMIT 1),
                  t.seat) AS p
  FROM cadre c JOIN township t ON t.id = c.township_id WHERE c.id = :id) b"""
PLACES_SQL = """
SELECT 'h' || id AS key, ST_X(geom) AS lon, ST_Y(geom) AS lat, code FROM household WHERE id = ANY(:households)
UNION ALL
SELECT 'e' || id, ST_X(geom), ST_Y(geom), NULL FROM event WHERE id = ANY(:events)"""
SNAP_SQL = """
WITH p AS (SELECT k, ST_SetSRID(ST_MakePoint(x, y), 4326) AS g
           FROM unnest(CAST(:xs AS float8[]), CAST(:ys AS float8[])) WITH ORDINALITY AS t(x, y, k))
SELECT r.id, r.source, r.target, r.length_m * ST_LineLocatePoint(r.geom, p.g) AS to_source,
       r.length_m * (1 - ST_LineLocatePoint(r.geom, p.g)) AS to_target,
       ST_Distance(p.g::geography, r.geom::geography) AS off_road
FROM p CROSS JOIN LATERAL (SELECT id, source, target, length_m, geom FROM road WHERE source IS NOT NULL
                           ORDER BY geom <-> p.g LIMIT 1) r ORDER BY p.k"""
EDGES = ("SELECT id, source, target, length_m AS cost, length_m AS reverse_cost FROM road "
         "WHERE source IS NOT NULL AND geom && ST_MakeEnvelope({}, {}, {}, {}, 4326)")
MATRIX_SQL = "SELECT start_vid, end_vid, agg_cost FROM pgr_dijkstraCostMatrix(:edges, :vids, false)"
OWN_ROADS_SQL = "SELECT ST_AsGeoJSON(ST_LineMerge(ST_Collect(r.geom))) FROM road r WHERE r.id = ANY(:own)"
LINE_SQL = OWN_ROADS_SQL + """
   OR r.id IN (SELECT edge FROM pgr_dijkstraVia(:edges, :vids, false) WHERE edge > 0)"""


class RouteError(ValueError):
    """A round that cannot be planned (Chinese message)."""


@dataclass
class Route:
    """An ordered round from the base and back: stops, metres, seconds and the line."""

    cadre: dict
    mode: str
    base: tuple[float, float]
    stops: list[dict] = field(default_factory=list)
    length_m: float = 0.0
    travel_s: float = 0.0
    service_s: float = 0.0
    left_out: int = 0
    off_network: int = 0
    line: dict | None = None


def _edges_sql(lon: np.ndarray, lat: np.ndarray) -> str:
    box = (lon.min() - MARGIN_DEG, lat.min() - MARGIN_DEG, lon.max() + MARGIN_DEG, lat.max() + MARGIN_DEG)
    return EDGES.format(*(f"{v:.6f}" for v in box))


@dataclass
class RoadMatrix:
    """Road metres between places (inf where unjoined), and how they were found."""

    dist: np.ndarray
    access: Access
    vids: list[int]
    vertex: np.ndarray
    edges: str


def road_matrix(session: Session, lon: np.ndarray, lat: np.ndarray) -> RoadMatrix | None:
    """Road metres between the places LON/LAT: snapped to their nearest road, then
    pgr_dijkstraCostMatrix between the ends of those roads; None when no road is routable."""
    snapped = session.execute(text(SNAP_SQL), {"xs": list(map(float, lon)), "ys": list(map(float, lat))}).all()
    if len(snapped) != len(lon):
        return None
    snap = pd.DataFrame(snapped, columns=["edge", "source", "target", "to_source", "to_target", "off_road"])
    vids = sorted(set(snap.source) | set(snap.target))
    index = {v: k for k, v in enumerate(vids)}
    edges = _edges_sql(lon, lat)
    vertex = np.full((len(vids), len(vids)), np.inf)
    np.fill_diagonal(vertex, 0.0)
    for a, b, cost in session.execute(text(MATRIX_SQL), {"edges": edges, "vids": vids}):
        vertex[index[a], index[b]] = cost
    access = Access(snap.source.map(index), snap.target.map(index), snap.to_source, snap.to_target,
                    snap.edge, snap.off_road)
    return RoadMatrix(place_matrix(access, vertex), access, vids, vertex, edges)


def plan_route(session: Session, cadre_code: str, day: date, hours: float = 4.0,
               mode: str = "walk") -> Route:
    """The round cadre CADRE_CODE should walk (or drive) on DAY within HOURS."""
    if mode not in SPEED_MPS:
        raise RouteError(f"未知出行方式 {mode}；可选：{'、'.join(MODES)}")
    if not 0 < hours <= 24:
        raise RouteError("时间预算须在 0–24 小时之间")
    work = cadre_work(session, cadre_code, day)
    base = session.execute(text(BASE_SQL), {"id": work.cadre["id"]}).one()
    route = Route(work.cadre, mode, (base[0], base[1]))
    if work.work.empty:
        return route
    todo = _located(session, work.work)
    lon = np.concatenate([[base[0]], todo.lon.to_numpy()])
    lat = np.concatenate([[base[1]], todo.lat.to_numpy()])
    roads = road_matrix(session, lon, lat)
    joined = np.isfinite(roads.dist) if roads else np.eye(len(lon), dtype=bool)
    dist = np.where(joined, roads.dist if roads else 0.0, straight_metres(lon, lat) * DETOUR)
    chosen = [0] + fit_budget(dist, SERVICE_S, SPEED_MPS[mode], hours * 3600)
    sub = dist[np.ix_(chosen, chosen)]
    order = [chosen[k] for k in solve(sub, SEARCH_S)]
    _fill(route, todo, dist, order, mode)
    route.left_out = len(todo) - (len(order) - 1)
    route.off_network = int((~joined[np.ix_(order[1:], order)]).any(axis=1).sum())
    route.line = _line(session, roads, order) if roads else None
    return route


def _located(session: Session, work: pd.DataFrame) -> pd.DataFrame:
    """WORK (in its order) with lon, lat and code: the household's, or the event's point."""
    todo = work.assign(key=np.where(work.event_id.notna() & work.household_id.isna(),
                                    "e" + work.event_id.astype("string"),
                                    "h" + work.household_id.astype("Int64").astype("string")))
    todo = todo.drop_duplicates("key")  # two events at one household: one stop
    places = pd.read_sql_query(text(PLACES_SQL), session.connection(), params={
        "households": [int(h) for h in todo.household_id.dropna()],
        "events": [int(e) for e in todo.event_id.dropna()]}).drop_duplicates("key")
    return todo.merge(places, on="key")


def _fill(route: Route, todo: pd.DataFrame, dist: np.ndarray, order: list[int], mode: str) -> None:
    clock, legs = 0.0, dist[order, np.roll(order, -1)]
    for k, stop in enumerate(order[1:]):
        row = todo.iloc[stop - 1]
        clock += legs[k] / SPEED_MPS[mode]
        route.stops.append({
            "seq": k + 1, "household_id": _int(row.household_id), "event_id": _int(row.event_id),
            "code": row.code, "priority": PRIORITIES[row.priority], "lon": float(row.lon), "lat": float(row.lat),
            "leg_m": round(float(legs[k])), "arrive_min": round(clock / 60)})
        clock += SERVICE_S
    route.length_m = round(tour_length(dist, order), 1)
    route.travel_s = route.length_m / SPEED_MPS[mode]
    route.service_s = SERVICE_S * (len(order) - 1)


def _int(value) -> int | None:
    return None if pd.isna(value) else int(value)


def _line(session: Session, roads: RoadMatrix, order: list[int]) -> dict | None:
    """GeoJSON of the roads the round uses: the stops' own roads and the paths between."""
    via = [roads.vids[v] for v in via_vertices(roads.access, roads.vertex, order)]
    params = {"edges": roads.edges, "vids": via, "own": [int(e) for e in roads.access.edge[order]]}
    found = session.execute(text(LINE_SQL if len(via) > 1 else OWN_ROADS_SQL), params).scalar()
    return json.loads(found) if found else None
