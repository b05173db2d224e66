"""Rounds from where the cadre stands, from home or from 驻地, and legs the road data does not
plausibly join, on the hand-made township of visit_fixtures: nineteen households every ~204 m
along a straight road at 23.91°N (x = 115.702 … 115.738), the cadres' home at 115.701, the
township seat (驻地, no venue) at 115.701, 23.9105."""

import pytest
import shapely
from sqlalchemy import delete, select

from gridmgmt.db.models import Household, Road
from gridmgmt.network.topology import build_topology
from gridmgmt.services.visits.routes import SPEED_MPS, RouteError, plan_route
from tests.integration.test_visits_compliance import DAY
from tests.integration.visit_fixtures import SETTINGS, build

M_PER_DEG = 101_770  # metres per degree of longitude at 23.91°N
OFF_ROAD = 11.1  # each house, and the position below, lies 0.0001° (11 m) north of the road
EAST_END = (115.739, 23.9101)


@pytest.fixture
def town(session):
    return build(session)


def _codes(session, route):
    ids = [s["household_id"] for s in route.stops]
    codes = dict(session.execute(select(Household.id, Household.code).where(Household.id.in_(ids))).all())
    return [codes[i] for i in ids]


def test_from_where_i_stand_is_an_open_round(session, town):
    route = plan_route(session, "C0", DAY, SETTINGS, hours=8, start="here", here=EAST_END)
    assert route.start == "当前位置" and not route.closed and route.base == EAST_END
    xs = [s["lon"] for s in route.stops]
    assert len(xs) == 19 and xs == sorted(xs, reverse=True)  # nearest first, westwards, no way back
    # From 115.739 to the last house at 115.702, on the road, 11 m up and down at each of 19 legs.
    assert route.length_m == pytest.approx((115.739 - 115.702) * M_PER_DEG + 2 * 19 * OFF_ROAD, abs=30)
    assert route.stops[0]["leg_m"] == pytest.approx(0.001 * M_PER_DEG + 2 * OFF_ROAD, abs=5)
    assert not route.gaps


def test_from_home_or_from_the_base_is_a_round_back(session, town):
    home = plan_route(session, "C0", DAY, SETTINGS, hours=8, start="home")
    base = plan_route(session, "C0", DAY, SETTINGS, hours=8, start="base")
    assert (home.start, home.base, home.closed) == ("家", (115.701, 23.9101), True)
    assert (base.start, base.base, base.closed) == ("驻地", (115.701, 23.9105), True)
    assert base.length_m > home.length_m  # the seat lies 55 m farther from the road, twice


def test_a_start_that_cannot_be_used_is_refused_with_the_reason(session, town):
    with pytest.raises(RouteError, match="还没有定位"):
        plan_route(session, "C0", DAY, SETTINGS, start="here")
    with pytest.raises(RouteError, match="离本镇超过 5 公里"):
        plan_route(session, "C0", DAY, SETTINGS, start="here", here=(116.5, 23.91))
    with pytest.raises(RouteError, match="未知出发地"):
        plan_route(session, "C0", DAY, SETTINGS, start="office")


def test_a_long_detour_is_reported_as_a_gap_and_not_walked(session, town):
    """The road between H010 (115.720) and H011 (115.722) replaced by a loop 4.4 km north and
    back: 9 km along the road for 204 m in a straight line, far over 3×."""
    session.execute(delete(Road).where(Road.code == "R10"))
    loop = "LINESTRING(115.720 23.91, 115.720 23.95, 115.722 23.95, 115.722 23.91)"
    session.add(Road(code="R99", road_class="village", geom=f"SRID=4326;{loop}"))
    build_topology(session)
    session.commit()
    route = plan_route(session, "C0", DAY, SETTINGS, hours=8, start="here", here=EAST_END)
    assert [(g.a, g.b) for g in route.gaps] == [("H011", "H010")]
    gap = route.gaps[0]
    assert gap.road_m > 3 * gap.straight_m and "请核对道路数据" in gap.describe()
    # Planned as 1.5 × the straight line, and drawn straight: nothing goes up the loop.
    leg = route.stops[_codes(session, route).index("H010")]
    assert leg["leg_m"] == pytest.approx(1.5 * gap.straight_m, abs=1)
    assert shapely.geometry.shape(route.line).bounds[3] < 23.92


def test_an_open_round_uses_the_time_a_round_back_would_spend_returning(session, town):
    """75 minutes from the east end: the first household of the work list, H001 at the far west
    end (3.8 km, 51 min walking, 15 min in the house), fits only because an open round does not
    walk back to where it started; then no other stop fits."""
    route = plan_route(session, "C0", DAY, SETTINGS, hours=1.25, start="here", here=EAST_END)
    assert _codes(session, route) == ["H001"] and route.travel_s + route.service_s <= 1.25 * 3600
    way_back_s = (EAST_END[0] - route.stops[-1]["lon"]) * M_PER_DEG / SPEED_MPS["walk"]
    assert route.travel_s + route.service_s + way_back_s > 1.25 * 3600
