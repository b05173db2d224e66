"""A cadre's visiting round for a day: urgent stops first, within hours, along the roads.

Distances, the order and the drawn line come from the township's RoadNetwork
(gridmgmt.network); legs the road data does not plausibly join are network gaps,
planned as the straight line times legs.DETOUR and reported with the places named.
"""

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import shapely
from geoalchemy2 import Geography
from sqlalchemy import Text, cast, func, literal_column, null, select, union_all
from sqlalchemy.orm import Session

from gridmgmt.analysis.compliance import PRIORITIES
from gridmgmt.analysis.routing import fit_budget
from gridmgmt.db.models import Cadre, CadreVillage, Event, Household, PartyOrg, Township
from gridmgmt.db.queries import among, lonlat, posting_in_force, rounded
from gridmgmt.domain.errors import UserError
from gridmgmt.network.distances import VertexCosts
from gridmgmt.network.legs import Gap, LegMatrix
from gridmgmt.network.roads import NoRoads, RoadNetwork, township_frame
from gridmgmt.network.tours import order_stops, tour_length
from gridmgmt.services.visits.settings import VisitSettings
from gridmgmt.services.visits.work import cadre_work

SPEED_MPS = {"walk": 4.5 / 3.6, "drive": 25 / 3.6}
MODES = {"walk": "步行", "drive": "驾车"}
SERVICE_S = 15 * 60  # time spent in each household
SEARCH_S = 1.0  # time given to the order search
STARTS = {"here": "当前位置", "home": "家", "base": "驻地"}
NEAR_KM = 5  # a position farther from the township is not a start: GPS off, or another place


class RouteError(UserError, ValueError):
    """A round that cannot be planned (Chinese message)."""


@dataclass
class Route:
    """An ordered round from its start (and back, when CLOSED): stops, metres, seconds, the line and the gaps."""

    cadre: dict
    mode: str
    base: tuple[float, float]
    stops: list[dict] = field(default_factory=list)
    length_m: float = 0.0
    travel_s: float = 0.0
    service_s: float = 0.0
    left_out: int = 0
    gaps: list[Gap] = field(default_factory=list)
    line: dict | None = None
    start: str = STARTS["base"]
    closed: bool = True  # back to the start; open from where the cadre stands


def road_legs(session: Session, township_id: int, lon: np.ndarray, lat: np.ndarray):
    """(network or None, snapped places or None, LegMatrix) between the places LON/LAT; with no
    routable road in the township every leg is a gap."""
    try:
        network = RoadNetwork.of(session, township_id)
    except NoRoads:
        x, y = township_frame(session, township_id).to_metres(lon, lat)
        straight = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
        none = VertexCosts(np.zeros(0, np.int64), np.zeros((0, 0)))
        return None, None, LegMatrix(np.where(np.eye(len(x), dtype=bool), 0.0, np.inf), straight, none)
    places = network.snap(lon, lat)
    return network, places, network.leg_matrix(places)


def cadre_places(
    session: Session, cadre_id: int, day: date
) -> tuple[tuple[float, float] | None, tuple[float, float], int]:
    """(home, 驻地, township id) of cadre CADRE_ID on DAY: home None when not recorded; 驻地 the venue
    of a village they are posted to then, else the township seat."""
    venue = (
        select(PartyOrg.venue)
        .join(CadreVillage, CadreVillage.village_id == PartyOrg.village_id)
        .where(CadreVillage.cadre_id == Cadre.id, PartyOrg.venue.is_not(None), posting_in_force(day))
        .order_by(PartyOrg.id)
        .limit(1)
        .scalar_subquery()
    )
    places = (
        select(Cadre.home.label("home"), func.coalesce(venue, Township.seat).label("base"), Cadre.township_id)
        .join(Township, Township.id == Cadre.township_id)
        .where(Cadre.id == cadre_id)
        .subquery()
    )
    home_lon, home_lat, lon, lat, township_id = session.execute(
        select(*lonlat(places.c.home), *lonlat(places.c.base), places.c.township_id)
    ).one()
    return (None if home_lon is None else (home_lon, home_lat)), (lon, lat), township_id


def cadre_base(session: Session, cadre_id: int, day: date) -> tuple[float, float, int]:
    """(lon, lat, township id) of where cadre CADRE_ID's rounds start by default on DAY: their
    home, else their 驻地."""
    home, base, township_id = cadre_places(session, cadre_id, day)
    return (*(home or base), township_id)


def start_of(session: Session, cadre_id: int, day: date, start: str | None, here: tuple[float, float] | None) -> tuple:
    """(lon, lat, township id, name, closed) of where the round starts: START "here" (HERE, the
    phone's position; an open round ending at its last stop), "home" or "base" (驻地), or by
    default home else 驻地 (rounds back to where they start)."""
    if start is not None and start not in STARTS:
        raise RouteError(f"未知出发地 {start}；可选：{'、'.join(STARTS.values())}")
    home, base, township_id = cadre_places(session, cadre_id, day)
    if start == "here":
        if here is None:
            raise RouteError("还没有定位：请打开手机定位，或改为从家或驻地出发")
        if not near_township(session, township_id, *here):
            raise RouteError(f"您的位置离本镇超过 {NEAR_KM} 公里：请到镇里再规划，或改为从家或驻地出发")
        return (*here, township_id, STARTS["here"], False)
    if start == "home" and home is None:
        raise RouteError("没有登记您家的位置：请改为从当前位置或驻地出发，或请组织委员登记")
    if start == "base" or home is None:
        return (*base, township_id, STARTS["base"], True)
    return (*home, township_id, STARTS["home"], True)


def near_township(session: Session, township_id: int, lon: float, lat: float) -> bool:
    """True when LON/LAT lies within NEAR_KM of the township's area."""
    point = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    return session.scalar(
        select(func.ST_DWithin(cast(Township.geom, Geography), cast(point, Geography), NEAR_KM * 1000)).where(
            Township.id == township_id
        )
    )


def plan_route(
    session: Session,
    cadre_code: str,
    day: date,
    settings: VisitSettings,
    hours: float = 4.0,
    mode: str = "walk",
    start: str | None = None,
    here: tuple[float, float] | None = None,
) -> Route:
    """The round cadre CADRE_CODE should walk (or drive) on DAY within HOURS, from START (see
    start_of; HERE is the phone's lon, lat)."""
    if mode not in SPEED_MPS:
        raise RouteError(f"未知出行方式 {mode}；可选：{'、'.join(MODES)}")
    if not 0 < hours <= 24:
        raise RouteError("时间预算须在 0–24 小时之间")
    work = cadre_work(session, cadre_code, day, settings)
    base_lon, base_lat, township_id, start_name, closed = start_of(session, work.cadre["id"], day, start, here)
    route = Route(work.cadre, mode, (base_lon, base_lat), start=start_name, closed=closed)
    if work.work.empty:
        return route
    todo = located(session, work.work)
    lon = np.concatenate([[base_lon], todo.lon.to_numpy()])
    lat = np.concatenate([[base_lat], todo.lat.to_numpy()])
    network, places, legs = road_legs(session, township_id, lon, lat)
    dist = legs.metres
    chosen = [0] + fit_budget(dist if closed else _no_way_back(dist), SERVICE_S, SPEED_MPS[mode], hours * 3600)
    order = [chosen[k] for k in order_stops(dist[np.ix_(chosen, chosen)], SEARCH_S, closed)]
    _fill(route, todo, dist, order, mode)
    route.left_out = len(todo) - (len(order) - 1)
    route.gaps = legs.gaps(
        order,
        closed,
        [start_name]
        + [code if isinstance(code, str) else f"事件 {int(e)}" for code, e in zip(todo.code, todo.event_id)],
    )
    route.line = _line(network.draw(places, legs, order, closed=closed)) if network else None
    return route


def located(session: Session, work: pd.DataFrame) -> pd.DataFrame:
    """WORK (in its order) with lon, lat and code: the household's, or the event's point."""
    todo = work.assign(
        key=np.where(
            work.event_id.notna() & work.household_id.isna(),
            "e" + work.event_id.astype("string"),
            "h" + work.household_id.astype("Int64").astype("string"),
        )
    )
    todo = todo.drop_duplicates("key")  # two events at one household: one stop
    homes = select(
        literal_column("'h'").concat(cast(Household.id, Text)).label("key"), *lonlat(Household.geom), Household.code
    ).where(among(Household.id, todo.household_id.dropna()))
    events = select(literal_column("'e'").concat(cast(Event.id, Text)), *lonlat(Event.geom), null()).where(
        among(Event.id, todo.event_id.dropna())
    )
    places = pd.read_sql(union_all(homes, events), session.connection()).drop_duplicates("key")
    return todo.merge(places, on="key")


def _fill(route: Route, todo: pd.DataFrame, dist: np.ndarray, order: list[int], mode: str) -> None:
    clock, legs = 0.0, dist[order, np.roll(order, -1)]
    for k, stop in enumerate(order[1:]):
        row = todo.iloc[stop - 1]
        clock += legs[k] / SPEED_MPS[mode]
        route.stops.append(
            {
                "seq": k + 1,
                "household_id": _int(row.household_id),
                "event_id": _int(row.event_id),
                "code": row.code,
                "priority": PRIORITIES[row.priority],
                "lon": float(row.lon),
                "lat": float(row.lat),
                "leg_m": round(float(legs[k])),
                "arrive_min": round(clock / 60),
            }
        )
        clock += SERVICE_S
    route.length_m = round(tour_length(dist, order, route.closed), 1)
    route.travel_s = route.length_m / SPEED_MPS[mode]
    route.service_s = SERVICE_S * (len(order) - 1)


def _no_way_back(dist: np.ndarray) -> np.ndarray:
    """DIST with every leg back to the start (index 0) free: an open round ends at its last stop."""
    open_dist = dist.copy()
    open_dist[:, 0] = 0.0
    return open_dist


def _int(value) -> int | None:
    return None if pd.isna(value) else int(value)


def _line(legs: list) -> dict:
    """GeoJSON of the round's legs as one multi-line."""
    parts = shapely.get_parts(np.array(legs, dtype=object))
    return shapely.geometry.mapping(rounded(shapely.multilinestrings(parts)))
