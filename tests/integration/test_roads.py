"""Road topology joins edge ends into shared vertices that pgRouting can route over."""

from sqlalchemy import text

from gridmgmt.db.models import Road
from gridmgmt.network.topology import build_topology


def _road(code, wkt):
    return Road(code=code, road_class="village", geom=f"SRID=4326;{wkt}")


def test_topology_and_route(session):
    # A — B — C in a line, plus a spur B — D whose start is 5 cm off B.
    session.add_all(
        [
            _road("r1", "LINESTRING(115.70 23.90, 115.71 23.90)"),
            _road("r2", "LINESTRING(115.71 23.90, 115.72 23.90)"),
            _road("r3", "LINESTRING(115.7100003 23.90, 115.71 23.91)"),
        ]
    )
    session.flush()
    assert build_topology(session) == 4
    rows = session.execute(text("SELECT code, source, target, length_m FROM road ORDER BY code")).all()
    assert rows[0].target == rows[1].source == rows[2].source
    # 0.01° of longitude at 23.9°N is about 1018 m.
    assert abs(rows[0].length_m - 1018) < 5
    cost = session.execute(
        text(
            "SELECT max(agg_cost) FROM pgr_dijkstra("
            "'SELECT id, source, target, length_m AS cost FROM road', :a, :b, false)"
        ),
        {"a": rows[0].source, "b": rows[1].target},
    ).scalar_one()
    assert abs(cost - 2036) < 10
