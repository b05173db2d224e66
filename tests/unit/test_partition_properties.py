"""Properties of allocation over random villages (seeded, so failures reproduce)."""

import numpy as np
import pytest
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from gridmgmt.analysis.grid_cells import ZONE_SLACK_M, build_mesh, dissolve
from gridmgmt.analysis.partition import allocate, is_connected, site_graph, split
from gridmgmt.analysis.polish import Polisher, stays_connected
from gridmgmt.domain.grid_rules import GridRules

RULES = GridRules(target=60, min_workload=40, max_workload=80, tolerance=0.1)


def _random_village(seed: int):
    """A blobby (often concave) village with hamlets, groups, weights and a road."""
    rng = np.random.default_rng(seed)
    blobs = [shapely.Point(rng.uniform(0, 1500, 2)).buffer(rng.uniform(300, 600)) for _ in range(4)]
    village = shapely.union_all(blobs).buffer(50).buffer(-50).simplify(5)
    village = max(shapely.get_parts(village), key=lambda p: p.area)
    hamlets = rng.uniform(*np.reshape(village.bounds, (2, 2)), (rng.integers(4, 12), 2))
    xy = np.vstack([h + rng.normal(0, rng.uniform(20, 120), (rng.integers(5, 60), 2)) for h in hamlets])
    xy = np.round(xy[shapely.contains_xy(village, *xy.T)], 1)
    group = np.argmin(((xy[:, None] - hamlets[None]) ** 2).sum(-1), axis=1) // 2
    weight = np.where(rng.random(len(xy)) < 0.15, 2.0, 1.0)
    road = shapely.LineString(rng.uniform(*np.reshape(village.bounds, (2, 2)), (3, 2)))
    return village, xy, group, weight, road


def _allocated(seed: int):
    """A random village allocated: (village, xy, weight, mesh, graph, site labels)."""
    village, xy, group, weight, road = _random_village(seed)
    mesh = build_mesh(xy, village)
    graph = site_graph(mesh, weight, group, [road])
    return village, xy, weight, mesh, graph, allocate(graph, RULES, seed=seed)


@pytest.mark.parametrize("seed", range(8))
def test_random_village_allocation_properties(seed):
    village, xy, weight, mesh, graph, sites = _allocated(seed)
    labels = np.unique(sites)
    k = len(labels)
    # Every household is in exactly one cell; cells are numbered 0..k-1.
    assert sites.shape == (len(mesh.xy),) and list(labels) == list(range(k))
    assert k == RULES.cell_count(weight.sum())
    # Each cell is connected on the adjacency graph and is one polygon.
    for c in labels:
        nodes = np.flatnonzero(sites == c)
        keep = np.isin(mesh.edges, nodes).all(axis=1)
        e = np.searchsorted(nodes, mesh.edges[keep])
        sub = coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(len(nodes),) * 2)
        assert connected_components(sub, directed=False)[0] == 1
    cells = dissolve(mesh, sites, k)
    assert (shapely.get_num_geometries(cells) == 1).all()
    # Cells stay inside the village, do not overlap, and cover it.
    slack = village.length * 1e-6
    assert shapely.area(shapely.difference(cells, village)).max() < slack
    assert sum(shapely.area(cells)) == pytest.approx(village.area, abs=slack)
    assert shapely.symmetric_difference(shapely.union_all(cells), village).area < slack
    # Each household lies in its own cell's polygon.
    hh_cell = sites[mesh.site_of]
    assert shapely.intersects_xy(cells[hh_cell], *xy.T).all()
    # Workloads respect the bounds whenever the village is big enough for them.
    load = np.bincount(sites, graph.weight, k)
    if weight.sum() >= RULES.min_workload:
        assert load.min() >= RULES.min_workload - 2 and load.max() <= RULES.max_workload + 2


@pytest.mark.parametrize("seed", range(4))
def test_split_of_a_random_cell_gives_two_connected_balanced_cells(seed):
    *_, mesh, graph, sites = _allocated(seed)
    cell = int(np.argmax(np.bincount(sites, graph.weight)))
    after = split(graph, RULES, sites, cell)
    new = sites.max() + 1
    # Only the split cell's sites change, and all of them go to it or to the new cell.
    assert (after[sites != cell] == sites[sites != cell]).all()
    assert set(np.unique(after[sites == cell])) == {cell, new}
    for label in (cell, new):
        assert is_connected(mesh.edges, after == label)
    load = np.bincount(after, graph.weight)
    half = graph.weight[sites == cell].sum() / 2
    assert abs(load[cell] - half) <= RULES.tolerance * half + graph.weight.max()


@pytest.mark.parametrize("seed", range(4))
def test_allocation_ends_where_no_allowed_move_improves_the_polish_objective(seed):
    *_, graph, sites = _allocated(seed)
    k = sites.max() + 1
    targets = np.full(k, graph.weight.sum() / k)
    low, high = np.array([RULES.band(t) for t in targets]).T
    polisher = Polisher(graph, sites.copy(), targets, low, high, np.ones(k, bool))
    site, _, gain = polisher._moves()
    improving = site[gain > 1e-9]
    assert not any(stays_connected(sites, polisher.ptr, polisher.nbr, int(s)) for s in improving)


def _group_areas(village, xy, group, seed: int) -> list:
    """Each group's area, drawn as survey data is: the Voronoi cells of its households' centre
    and the other groups', clipped to the village, each grown or shrunk by a micrometre."""
    rng = np.random.default_rng(seed)
    centres = np.array([xy[group == g].mean(axis=0) for g in np.unique(group)])
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(centres), ordered=True))
    drawn = shapely.intersection(cells, village.buffer(rng.uniform(-1e-6, 1e-6)))
    return list(shapely.buffer(drawn, rng.choice([-1e-6, 1e-6], len(drawn))))


@pytest.mark.parametrize("seed", range(8))
def test_random_village_cut_along_its_groups_still_tiles_with_cells_in_one_piece(seed):
    village, xy, group, weight, road = _random_village(seed)
    zones = _group_areas(village, xy, group, seed)
    mesh = build_mesh(xy, village, zones)
    # No region reaches into another group's area that has households (but the 1 cm an earlier
    # group may take); an area without any joins a neighbour.
    site, zone = shapely.STRtree(zones).query(shapely.points(mesh.xy), predicate="within")
    held = np.unique(zone)
    inner = shapely.buffer(np.array(zones)[held], -2 * ZONE_SLACK_M)
    for s, z in zip(site, zone):
        assert shapely.area(shapely.intersection(mesh.regions[s], inner[held != z])).max() < 1e-6
    graph = site_graph(mesh, weight, group, [road])
    sites = allocate(graph, RULES, seed=seed)
    cells = dissolve(mesh, sites, sites.max() + 1)
    assert (shapely.get_num_geometries(cells) == 1).all()
    # The regions are an exact coverage, so merging their shared edges is their union.
    assert mesh.exact and not build_mesh(xy, village).exact
    unions = [shapely.union_all(mesh.regions[sites == label]) for label in range(len(cells))]
    assert shapely.area(shapely.symmetric_difference(cells, unions)).max() < 1e-9
    slack = village.length * 1e-6
    assert sum(shapely.area(cells)) == pytest.approx(village.area, abs=slack)
    assert shapely.symmetric_difference(shapely.union_all(cells), village).area < slack
    assert shapely.intersects_xy(cells[sites[mesh.site_of]], *xy.T).all()


@pytest.mark.parametrize("seed", range(6))
def test_neighbours_matched_by_segment_are_the_regions_whose_outlines_meet_along_a_line(seed):
    """The mesh finds neighbours by the segments two outlines both hold, which needs the regions to
    share their edges vertex for vertex: with and without the groups' areas, the pairs and lengths
    are those of intersecting every two regions."""
    village, xy, group, *_ = _random_village(seed)
    for zones in ((), _group_areas(village, xy, group, seed)):
        mesh = build_mesh(xy, village, zones)
        i, j = np.triu_indices(len(mesh.regions), 1)
        shared = shapely.length(shapely.intersection(mesh.regions[i], mesh.regions[j]))
        meet = shared > 0.001
        assert mesh.edges.tolist() == np.column_stack([i[meet], j[meet]]).tolist()
        assert mesh.shared_m == pytest.approx(shared[meet], abs=1e-6)
