"""Cell polygons that tile a village exactly: household Voronoi regions clipped and dissolved.

Where the village is cut into zones (its 村民小组's polygons), each household's region is cut
from the Voronoi diagram of its own zone, so cells of whole groups follow the groups' lines.

Work in metres on the township frame's tangent plane (gridmgmt.network.frame.LocalPlane):
an affine map of longitude/latitude, so the village's straight edges stay straight both
ways and cells clipped to it map back onto the stored boundary. Voronoi
vertices are snapped to a millimetre grid before clipping, so regions that share an
edge share it exactly and their union has no slivers.
"""

from dataclasses import dataclass

import numpy as np
import shapely

GRID_M = 0.001
# A household this close to its village's boundary is in it: the millimetre snapping, the
# centimetre rounding of sites and the projection can each put it a hair outside.
NEAR_BOUNDARY_M = 0.05
# Zones are widened this much before the village is cut along them: drawn apart from the village
# (a projection, another survey), they leave slivers along its edge that no household holds.
ZONE_SLACK_M = 0.01


class OutsideVillage(ValueError):
    """Some households (ROWS of the input) lie outside their village polygon."""

    def __init__(self, rows: np.ndarray):
        self.rows = rows
        super().__init__(f"{len(rows)} household(s) outside the village polygon")


@dataclass(frozen=True)
class VillageMesh:
    """A village's household sites (unique locations), their regions and region adjacency."""

    xy: np.ndarray  # (m, 2) site coordinates
    site_of: np.ndarray  # (n,) site of each household
    regions: np.ndarray  # (m,) polygon of each site; together they tile the village
    edges: np.ndarray  # (e, 2) site pairs i < j whose regions share a boundary
    shared_m: np.ndarray  # (e,) length of that shared boundary
    # The regions share every edge vertex for vertex, the village's edge too (cut along zones and
    # cleaned). Plain clipped Voronoi regions may differ there by an ulp.
    exact: bool = False


def _voronoi(xy: np.ndarray, village) -> np.ndarray:
    # Reach well past the village, so every cell on its edge is clipped to the exact boundary
    # (a lone site too: the village itself would be snapped to the millimetre grid).
    x0, y0, x1, y1 = village.bounds
    frame = shapely.box(x0 - 100, y0 - 100, x1 + 100, y1 + 100)
    if len(xy) == 1:
        return np.array([frame], dtype=object)
    cells = shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=frame, ordered=True)
    return shapely.get_parts(cells)


def _own_parts(xy: np.ndarray, village) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Clipped Voronoi parts: (main region per site, orphan parts, their old site)."""
    cells = _voronoi(xy, village)
    # Snap, then drop the grid again: GEOS would otherwise snap every later overlay result.
    cells = shapely.set_precision(shapely.set_precision(cells, GRID_M), 0)
    # Only cells crossing the boundary need the (slow) overlay, against the exact boundary.
    shapely.prepare(village)
    inside = shapely.contains_properly(village, cells)
    clipped = cells.copy()
    clipped[~inside] = shapely.intersection(cells[~inside], village)
    parts, owner = shapely.get_parts(clipped, return_index=True)
    kept = shapely.area(parts) > 0
    parts, owner = parts[kept], owner[kept]
    holding = np.flatnonzero(shapely.intersects(parts, shapely.points(xy[owner])))
    # A site on the seam of two of its own parts keeps only the first as its main region.
    _, first = np.unique(owner[holding], return_index=True)
    holds = np.zeros(len(parts), bool)
    holds[holding[first]] = True
    main = np.full(len(xy), None, dtype=object)
    main[owner[holds]] = parts[holds]
    missing = np.flatnonzero(shapely.is_missing(main))
    if len(missing):
        raise OutsideVillage(missing)
    return main, parts[~holds], owner[~holds]


def _joining(regions: np.ndarray, parts: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """The region each of PARTS shares the longest edge with, or its FALLBACK where it touches none."""
    tree = shapely.STRtree(regions)
    target = np.array(fallback, dtype=int)
    for i, part in enumerate(parts):
        near = tree.query(part, predicate="intersects")
        lengths = shapely.length(shapely.intersection(regions[near], part))
        if len(near) and lengths.max() > 0:
            target[i] = near[np.argmax(lengths)]
    return target


def _attach_orphans(main: np.ndarray, orphans: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Give each orphan part (a Voronoi piece cut off by a bend of the boundary) to the
    site it shares the longest edge with, or, touching none, back to its own site."""
    pieces: list[list] = [[g] for g in main]
    for part, site in zip(orphans, _joining(main, orphans, owner)):
        pieces[site].append(part)
    return np.array([g[0] if len(g) == 1 else shapely.union_all(g) for g in pieces], dtype=object)


def _adjacency(regions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(pairs i < j of REGIONS sharing an edge, its length): the segments two outlines both hold.
    The regions share their edges vertex for vertex (one Voronoi diagram snapped to the grid, or
    a cleaned coverage), so matching segments is exact, and cheaper than intersecting neighbours."""
    parts, part_region = shapely.get_parts(regions, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    xy, point_ring = shapely.get_coordinates(rings, return_index=True)
    on_ring = point_ring[:-1] == point_ring[1:]
    a, b = xy[:-1][on_ring], xy[1:][on_ring]
    region = part_region[ring_part[point_ring[:-1][on_ring]]]
    # Either way round, a segment is one key.
    flip = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    a[flip], b[flip] = b[flip].copy(), a[flip].copy()
    _, segment, count = np.unique(np.hstack([a, b]), axis=0, return_inverse=True, return_counts=True)
    segment = segment.ravel()
    order = np.argsort(segment, kind="stable")
    both = order[count[segment[order]] == 2]  # each shared segment's two rows, side by side
    pair = np.sort(region[both].reshape(-1, 2), axis=1)
    length = np.hypot(*(b - a)[both[::2]].T)
    apart = pair[:, 0] != pair[:, 1]
    edges, inverse = np.unique(pair[apart], axis=0, return_inverse=True)
    shared = np.bincount(inverse.ravel(), length[apart], len(edges))
    touching = shared > GRID_M
    return edges[touching].reshape(-1, 2), shared[touching]


def _voronoi_regions(sites: np.ndarray, area) -> np.ndarray:
    """The Voronoi region of each of SITES within AREA; OutsideVillage (site rows)."""
    main, orphans, owner = _own_parts(sites, area)
    return _attach_orphans(main, orphans, owner)


def _tiles(village, zones) -> np.ndarray:
    """VILLAGE cut along ZONES (polygons; where two overlap, the earlier keeps it): one polygon a piece."""
    widened = shapely.intersection(shapely.buffer(zones, ZONE_SLACK_M, join_style="mitre"), village)
    # Only the areas: a zone touching the village along a line leaves that line too.
    parts, zone = shapely.get_parts(widened, return_index=True)
    areas = shapely.get_type_id(parts) == 3
    pieces = shapely.coverage_clean(
        shapely.multipolygons(parts[areas], indices=zone[areas]), merge_strategy="min_index"
    )
    rest = shapely.difference(village, shapely.coverage_union_all(pieces))
    parts = shapely.get_parts(np.append(pieces, rest))
    # Overlay dust (1e-15 m²) is no piece: cleaning the coverage hands it to a neighbour.
    return parts[(shapely.get_type_id(parts) == 3) & (shapely.area(parts) > GRID_M**2)]


def _zoned_regions(sites: np.ndarray, tiles: np.ndarray) -> np.ndarray:
    """The region of each of SITES within the tile holding it; a tile holding none joins the
    region it shares most edge with (the nearest when it touches none). OutsideVillage (site rows)."""
    tree = shapely.STRtree(tiles)
    site, tile = tree.query(shapely.points(sites), predicate="intersects")
    tile_of = np.full(len(sites), -1)
    tile_of[site[::-1]] = tile[::-1]  # a site on a zone's edge: the first zone
    if (tile_of < 0).any():
        raise OutsideVillage(np.flatnonzero(tile_of < 0))
    regions = np.empty(len(sites), dtype=object)
    for t in np.unique(tile_of):
        held = np.flatnonzero(tile_of == t)
        try:
            regions[held] = _voronoi_regions(sites[held], tiles[t])
        except OutsideVillage as exc:
            raise OutsideVillage(held[exc.rows]) from None
    spare = tiles[np.setdiff1d(np.arange(len(tiles)), tile_of)]
    nearest = shapely.STRtree(regions).query_nearest(spare, all_matches=False)[1]
    region_of = np.concatenate([np.arange(len(sites)), _joining(regions, spare, nearest)])
    return _as_coverage(np.concatenate([regions, spare]), region_of)


def _as_coverage(pieces: np.ndarray, region_of: np.ndarray) -> np.ndarray:
    """The regions (REGION_OF each of PIECES) with every shared edge made alike on both sides: pieces cut
    from different zones each cut a zone's edge with crossings of their own, so a hair apart."""
    # A gap or overlap a hair wide goes to the piece it shares the longest edge with.
    cleaned = shapely.coverage_clean(pieces, gap_width=GRID_M)
    return np.array(
        [shapely.coverage_union_all(cleaned[region_of == i]) for i in range(region_of.max() + 1)], dtype=object
    )


def _regions(sites: np.ndarray, village, zones=()) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """(regions, adjacent pairs, shared lengths, whether the regions are an exact coverage) of SITES
    tiling VILLAGE, none crossing the edge of one of ZONES; OutsideVillage (site rows)."""
    tiles = _tiles(village, zones) if len(zones) else np.array([village], dtype=object)
    zoned = len(tiles) > 1
    regions = _zoned_regions(sites, tiles) if zoned else _voronoi_regions(sites, village)
    edges, shared = _adjacency(regions)
    return regions, edges, shared, zoned


def _without_edge_sites(sites: np.ndarray, lost: np.ndarray, village, zones) -> tuple[np.ndarray, tuple, np.ndarray]:
    """(kept sites, their regions, the new site of every old one) of SITES but LOST (sites on the
    boundary whose own region the snapping took): a lost site joins the kept site whose region is
    nearest to it. OutsideVillage (old site rows) when a kept site loses its region too."""
    keep = np.setdiff1d(np.arange(len(sites)), lost)
    try:
        mesh = _regions(sites[keep], village, zones)
    except OutsideVillage as exc:
        raise OutsideVillage(keep[exc.rows]) from None
    new_site = np.empty(len(sites), dtype=int)
    new_site[keep] = np.arange(len(keep))
    new_site[lost] = shapely.STRtree(mesh[0]).query_nearest(shapely.points(sites[lost]), all_matches=False)[1]
    return sites[keep], mesh, new_site


def build_mesh(xy: np.ndarray, village, zones=()) -> VillageMesh:
    """The mesh of households at XY (metres) in the VILLAGE polygon (metres), whose regions cross
    no edge of ZONES (polygons in metres: the village's groups; a part in none is a zone too).

    A household within NEAR_BOUNDARY_M of the boundary whose own region is lost to the snapping
    (or that lies a hair outside after the projection) shares the region nearest to it, so it
    stays in its own village's cells; one farther out raises OutsideVillage (household rows).
    """
    # Households within a centimetre of each other share a site.
    sites, site_of = np.unique(np.round(np.asarray(xy, float), 2), axis=0, return_inverse=True)
    site_of = site_of.ravel()
    try:
        try:
            mesh, new_site = _regions(sites, village, zones), np.arange(len(sites))
        except OutsideVillage as exc:
            near = shapely.distance(village, shapely.points(sites[exc.rows])) <= NEAR_BOUNDARY_M
            if not near.all() or len(exc.rows) == len(sites):
                raise OutsideVillage(exc.rows[~near] if not near.all() else exc.rows) from None
            sites, mesh, new_site = _without_edge_sites(sites, exc.rows, village, zones)
    except OutsideVillage as exc:
        raise OutsideVillage(np.flatnonzero(np.isin(site_of, exc.rows))) from None
    return VillageMesh(sites, new_site[site_of], *mesh)


def dissolve(mesh: VillageMesh, site_labels: np.ndarray, k: int) -> np.ndarray:
    """One polygon per label 0..K-1: the union of its sites' regions (empty when unused)."""
    # coverage_union_all only merges shared edges (a tenth of union_all's time on the demo), so it
    # needs them alike on both sides: on plain Voronoi regions' clipped edges they may differ by an ulp.
    union = shapely.coverage_union_all if mesh.exact else shapely.union_all
    cells = np.empty(k, dtype=object)
    for label in range(k):
        cells[label] = union(mesh.regions[site_labels == label])
    return cells
