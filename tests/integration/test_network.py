"""RoadNetwork on real PostGIS/pgRouting: the scoped edge set, snapping in metres, costs, paths
and network gaps; on a hand-made township and on the shipped OSM road sample."""

from pathlib import Path

import numpy as np
import pytest
import shapely
from sqlalchemy import text

from gridmgmt.db.models import Road, Township
from gridmgmt.network.legs import GAP_MIN_STRAIGHT_M, GAP_RATIO
from gridmgmt.network.roads import NoRoads, RoadNetwork
from gridmgmt.network.topology import build_topology
from gridmgmt.network.tours import order_stops
from gridmgmt.services.accounts.audit import Actor
from gridmgmt.services.imports import import_layer

OSM = Path(__file__).resolve().parents[2] / "geodata" / "samples" / "osm"
BOX = "SRID=4326;MULTIPOLYGON(((115.69 23.89,115.73 23.89,115.73 23.92,115.69 23.92,115.69 23.89)))"
# At 23.9°N a degree of longitude is 101.8 km on the ground and one of latitude 110.8 km.
ROADS = {
    "east": "LINESTRING(115.701 23.895, 115.701 23.905)",  # N–S road 0.001° east of P
    "north": "LINESTRING(115.695 23.90095, 115.699 23.90095)",  # E–W road 0.00095° north of P
    "lone": "LINESTRING(115.72 23.91, 115.725 23.91)",  # joined to nothing
    "outside": "LINESTRING(115.74 23.90, 115.75 23.90)",  # 1 km beyond the boundary
    "far": "LINESTRING(115.80 23.90, 115.81 23.90)",  # 7 km beyond it
}


@pytest.fixture
def town(session) -> int:
    township = Township(code="441500100000", name="路网镇", geom=BOX, seat="SRID=4326;POINT(115.70 23.90)")
    session.add(township)
    session.flush()
    session.add_all(
        Road(township_id=township.id, code=code, road_class="village", geom=f"SRID=4326;{wkt}")
        for code, wkt in ROADS.items()
    )
    session.flush()
    build_topology(session)
    session.commit()
    return township.id


def _codes(session, ids) -> list[str]:
    found = dict(
        session.execute(text("SELECT id, code FROM road WHERE id = ANY(:ids)"), {"ids": list(map(int, ids))}).all()
    )
    return [found[int(i)] for i in ids]


def test_the_edge_set_is_the_township_and_a_margin(session, town):
    network = RoadNetwork.of(session, town)
    assert sorted(_codes(session, network.edges.id)) == ["east", "lone", "north", "outside"]
    assert network.frame.epsg == 4548
    assert "far" in _codes(session, RoadNetwork.of(session, town, margin_m=8000).edges.id)
    session.execute(text("UPDATE road SET source = NULL"))
    with pytest.raises(NoRoads, match="没有可通行的道路"):
        RoadNetwork.of(session, town)


def test_points_snap_to_the_nearest_road_in_metres_not_degrees(session, town):
    network = RoadNetwork.of(session, town)
    # P is 0.001° (101.8 m) from the east road and 0.00095° (105.3 m) from the north road.
    p = network.snap([115.700], [23.900])
    assert _codes(session, p.edge) == ["east"]
    assert p.access[0] == pytest.approx(101.8 * 1.0002, abs=0.3)
    assert p.to_source[0] == pytest.approx(554, abs=2)  # 0.005° north of the road's start


def test_costs_paths_and_gaps(session, town):
    network = RoadNetwork.of(session, town)
    places = network.snap([115.7012, 115.701, 115.7225], [23.896, 23.904, 23.9101])
    legs = network.leg_matrix(places)
    assert legs.road[0, 1] == pytest.approx(0.008 * 110_800 + 0.0002 * 101_800, rel=0.003)
    assert np.isinf(legs.road[0, 2]) and legs.gap[0, 2] and not legs.gap[0, 1]
    gaps = legs.gaps([0, 1, 2], True, ["甲", "乙", "丙"])
    assert [(g.a, g.b) for g in gaps] == [("乙", "丙"), ("丙", "甲")]
    lines = network.draw(places, legs, [0, 1, 2], closed=True)
    # Along the road, the drawn leg is as long as its cost; across the gap it is straight.
    metres = network.frame.project(np.array(lines, dtype=object))
    assert shapely.length(metres[0]) == pytest.approx(legs.road[0, 1], rel=0.001)
    assert shapely.length(metres[1]) == pytest.approx(legs.straight[1, 2], rel=1e-6)
    # pgRouting's path between the two ends of the east road is that road.
    assert network.paths([(places.source[0], places.target[0])]).edge.tolist() == [places.edge[0]]


def test_the_shipped_osm_sample_routes_plausibly(session):
    import_layer(session, "townships", OSM / "township.geojson", actor=Actor("importer"))
    result = import_layer(session, "roads", OSM / "roads.geojson", township="449900102000", actor=Actor("importer"))
    assert result.road_vertices > 500
    town = session.execute(text("SELECT id FROM township WHERE code = '449900102000'")).scalar_one()
    network = RoadNetwork.of(session, town)
    assert len(network.edges) == 665
    lon, lat = np.meshgrid(np.linspace(116.490, 116.508, 5), np.linspace(24.492, 24.508, 4))
    places = network.snap(lon.ravel(), lat.ravel())
    legs = network.leg_matrix(places)
    order = order_stops(legs.metres, 0.3)
    pairs = list(zip(order, order[1:] + order[:1]))
    planned = np.array([legs.metres[i, j] / max(legs.straight[i, j], GAP_MIN_STRAIGHT_M) for i, j in pairs])
    gap = np.array([legs.gap[i, j] for i, j in pairs])
    assert (planned[~gap] <= GAP_RATIO).all() and len(legs.gaps(order, True, range(20))) == gap.sum()
    # Most pairs of places on a real network are joined within the ratio.
    assert legs.gap.mean() < 0.2 and np.isfinite(legs.road).all()
