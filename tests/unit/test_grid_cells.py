"""Household Voronoi regions clipped to the village: exact tiling and adjacency."""

import numpy as np
import pytest
import shapely

from gridmgmt.analysis.grid_cells import ZONE_SLACK_M, OutsideVillage, build_mesh, dissolve


def _assert_tiles(parts, village):
    slack = village.length * 1e-6
    union = shapely.union_all(parts)
    assert shapely.symmetric_difference(union, village).area < slack
    assert sum(shapely.area(parts)) == pytest.approx(village.area, abs=slack)  # no overlaps


def test_four_sites_in_a_square_get_the_four_quadrants():
    village = shapely.box(0, 0, 100, 100)
    mesh = build_mesh(np.array([[25, 25], [75, 25], [25, 75], [75, 75.0]]), village)
    assert sorted(shapely.area(mesh.regions)) == [2500] * 4
    # Quadrants touching at the centre only are not neighbours: 4 edges, each 50 m long.
    assert sorted(map(tuple, mesh.edges)) == [(0, 1), (0, 2), (1, 3), (2, 3)]
    assert mesh.shared_m == pytest.approx([50] * 4)


def test_households_at_one_place_share_a_site():
    mesh = build_mesh(np.array([[10, 10], [10, 10], [90, 90.0]]), shapely.box(0, 0, 100, 100))
    assert len(mesh.xy) == 2
    assert mesh.site_of[0] == mesh.site_of[1] != mesh.site_of[2]


def test_a_single_site_gets_the_whole_village():
    village = shapely.box(0, 0, 100, 50)
    mesh = build_mesh(np.array([[10, 10.0]]), village)
    assert mesh.regions[0].equals(village)
    assert len(mesh.edges) == 0


def test_a_single_site_gets_the_village_to_the_last_digit():
    # Corners off the millimetre grid: the lone region was the village snapped to it, 0.19 m²
    # short of the village along the edge (found by the grid edit state machine).
    village = shapely.box(0.00031, 0.00047, 733.12345678, 412.98765432)
    mesh = build_mesh(np.array([[100, 100.0], [100, 100.0]]), village)
    assert shapely.symmetric_difference(mesh.regions[0], village).area == 0


def test_voronoi_piece_cut_off_by_a_bend_goes_to_a_neighbour():
    # A U-shaped village: the site low in the left arm has a Voronoi cell that
    # reaches across the notch into the right arm; that piece must not stay its own.
    village = shapely.Polygon([(0, 0), (300, 0), (300, 300), (200, 300), (200, 100), (100, 100), (100, 300), (0, 300)])
    xy = np.array([[50, 150], [250, 280], [150, 50], [250, 120], [50, 280]], float)
    mesh = build_mesh(xy, village)
    _assert_tiles(mesh.regions, village)
    assert all(shapely.get_num_geometries(mesh.regions) == 1)
    assert all(shapely.contains_xy(mesh.regions, *mesh.xy.T) | shapely.intersects_xy(mesh.regions, *mesh.xy.T))


def test_random_village_is_tiled_and_cells_dissolve_exactly():
    rng = np.random.default_rng(3)
    village = shapely.Polygon([(0, 0), (1000, 0), (1000, 1000), (500, 400), (0, 1000)])
    xy = rng.uniform(0, 1000, (400, 2))
    xy = xy[shapely.contains_xy(village, *xy.T)]
    mesh = build_mesh(xy, village)
    _assert_tiles(mesh.regions, village)
    cells = dissolve(mesh, (mesh.xy[:, 0] > 500).astype(int), 2)
    _assert_tiles(cells, village)


def test_a_household_outside_its_village_is_refused():
    with pytest.raises(OutsideVillage) as err:
        build_mesh(np.array([[10, 10], [150, 10.0]]), shapely.box(0, 0, 100, 100))
    assert list(err.value.rows) == [1]


def test_a_household_a_hair_outside_the_boundary_joins_its_nearest_neighbours_region():
    """The county demo's 安头村 and 桂埔村 cases (a household PostGIS has inside, but a few millimetres
    outside after projection and snapping): it stays in its village, in the region of the nearest
    household's site, and the regions still tile the village; one 1 m outside is still refused."""
    village = shapely.box(0, 0, 100, 100)
    xy = np.array([[50.0, 50.0], [20.0, 20.0], [80.0, 80.0], [100.02, 60.0], [99.9995, 10.0]])
    mesh = build_mesh(xy, village)
    _assert_tiles(mesh.regions, village)
    assert len(mesh.xy) == 4  # the household 2 cm out shares a site; the one 0.5 mm in keeps its own
    assert mesh.site_of[3] == mesh.site_of[2]  # (80, 80) is nearest to (100.02, 60)
    assert list(map(tuple, mesh.xy[mesh.site_of[[0, 1, 2, 4]]])) == [(50, 50), (20, 20), (80, 80), (100, 10)]
    with pytest.raises(OutsideVillage) as err:
        build_mesh(np.vstack([xy, [[101.0, 30.0]]]), village)
    assert list(err.value.rows) == [5]
    # A village of one household a hair outside: nothing to join, refused.
    with pytest.raises(OutsideVillage):
        build_mesh(np.array([[100.02, 60.0]]), village)


def _zone_slack(zone) -> float:
    # The earlier of two zones takes a ZONE_SLACK_M strip along their shared edge.
    return ZONE_SLACK_M * zone.length


def test_a_zone_keeps_its_households_regions_inside_it():
    # Plain Voronoi would give the site at x=20 only up to x=65; cut along the zones, it gets all of A.
    a, b = shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100)
    mesh = build_mesh(np.array([[20, 50], [110, 50], [190, 50.0]]), shapely.box(0, 0, 200, 100), [a, b])
    assert shapely.symmetric_difference(mesh.regions[0], a).area < _zone_slack(a)
    assert shapely.area(mesh.regions).tolist() == pytest.approx([10000, 5000, 5000], abs=2)
    assert sorted(map(tuple, mesh.edges)) == [(0, 1), (1, 2)]
    assert mesh.shared_m == pytest.approx([100, 100])


def test_a_zone_without_households_joins_the_region_it_shares_most_edge_with():
    # B (no households) shares 50 m with A and 100 m with C: it goes to C's site.
    a, b, c = shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 50), shapely.box(100, 50, 200, 100)
    mesh = build_mesh(np.array([[50, 50], [150, 75.0]]), shapely.box(0, 0, 200, 100), [a, b, c])
    assert shapely.symmetric_difference(mesh.regions[1], shapely.union(b, c)).area < _zone_slack(a)
    assert shapely.area(mesh.regions).tolist() == pytest.approx([10000, 10000], abs=2)


def test_the_part_of_the_village_in_no_zone_is_a_zone_of_its_own():
    village, a = shapely.box(0, 0, 200, 100), shapely.box(0, 0, 100, 100)
    mesh = build_mesh(np.array([[90, 50], [110, 50], [190, 50.0]]), village, [a])
    assert shapely.area(mesh.regions).tolist() == pytest.approx([10000, 5000, 5000], abs=2)


def test_zones_a_hair_apart_from_the_village_and_each_other_still_tile_it_in_single_pieces():
    """Group polygons drawn apart from the village (a projection, another survey): slivers along
    its edge and between the groups, and a 2 m overlap the earlier group keeps."""
    rng = np.random.default_rng(5)
    village = shapely.Polygon([(0, 0), (300, 0), (300, 200), (150, 260), (0, 200)])
    zones = [
        shapely.Polygon([(-1e-7, 1e-9), (101, 2e-9), (101, 240.4000001), (-1e-8, 200.0000001)]),
        shapely.Polygon([(99, -1e-9), (200.0000001, 0), (200, 240), (150, 260.0000001), (99, 239.6)]),
        shapely.Polygon([(200.0000002, 1e-8), (300.0000001, -1e-9), (300, 200), (200, 239.9999999)]),
    ]
    xy = rng.uniform(0, 300, (300, 2))
    xy = xy[shapely.contains_xy(village, *xy.T)]
    mesh = build_mesh(xy, village, zones)
    _assert_tiles(mesh.regions, village)
    assert (shapely.get_num_geometries(mesh.regions) == 1).all()
    first = shapely.intersection(zones[0], village)
    mine = shapely.intersects_xy(first, *mesh.xy.T)
    assert shapely.symmetric_difference(shapely.union_all(mesh.regions[mine]), first).area < _zone_slack(first)


def test_cells_of_whole_zones_are_the_zones_exactly():
    rng = np.random.default_rng(8)
    village = shapely.box(0, 0, 400, 400)
    zones = list(shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(rng.uniform(0, 400, (6, 2))))))
    zones = [shapely.intersection(z, village) for z in zones]
    xy = rng.uniform(0, 400, (500, 2))
    mesh = build_mesh(xy, village, zones)
    zone_of = np.array([np.flatnonzero(shapely.contains_xy(np.array(zones), *p))[0] for p in mesh.xy])
    cells = dissolve(mesh, zone_of, len(zones))
    _assert_tiles(cells, village)
    for cell, zone in zip(cells, zones):
        assert cell.geom_type == "Polygon"
        assert shapely.symmetric_difference(cell, zone).area < _zone_slack(zone)
