"""Cell polygons that tile a village exactly: household Voronoi regions clipped and dissolved.

Work in metres (a projected CRS). Every vertex is snapped to a millimetre grid, so
regions that share an edge share it exactly and their union has no slivers.
"""
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import CRS

GRID_M = 0.001


class OutsideVillage(ValueError):
    """Some household sites lie outside their village polygon."""

    def __init__(self, sites: np.ndarray):
        self.sites = sites
        super().__init__(f"{len(sites)} household site(s) outside the village polygon")


@dataclass(frozen=True)
class VillageMesh:
    """A village's household sites (unique locations), their regions and region adjacency."""

    xy: np.ndarray        # (m, 2) site coordinates
    site_of: np.ndarray   # (n,) site of each household
    regions: np.ndarray   # (m,) polygon of each site; together they tile the village
    edges: np.ndarray     # (e, 2) site pairs i < j whose regions share a boundary
    shared_m: np.ndarray  # (e,) length of that shared boundary


def utm_crs(lon: float, lat: float) -> CRS:
    """The WGS 84 UTM zone CRS for a place: metres for a township's metric work."""
    zone = int((lon + 180) // 6) + 1
    return CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


def _voronoi(xy: np.ndarray, village) -> np.ndarray:
    if len(xy) == 1:
        return np.array([village], dtype=object)
    cells = shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=village, ordered=True)
    return shapely.get_parts(cells)


def _own_parts(xy: np.ndarray, village) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Clipped Voronoi parts: (main region per site, orphan parts, their old site)."""
    cells = _voronoi(xy, village)
    # Only cells crossing the boundary need the (slow) overlay; the rest are just snapped.
    shapely.prepare(village)
    inside = shapely.contains_properly(village, cells)
    clipped = np.empty(len(cells), dtype=object)
    clipped[inside] = shapely.set_precision(cells[inside], GRID_M)
    clipped[~inside] = shapely.intersection(cells[~inside], village, grid_size=GRID_M)
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


def _attach_orphans(main: np.ndarray, orphans: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Give each orphan part (a Voronoi piece cut off by a bend of the boundary) to the
    site it shares the longest edge with, or, touching none, back to its own site."""
    pieces: list[list] = [[g] for g in main]
    tree = shapely.STRtree(main)
    for part, site in zip(orphans, owner):
        near = tree.query(part, predicate="intersects")
        lengths = shapely.length(shapely.intersection(main[near], part, grid_size=GRID_M))
        best = int(near[np.argmax(lengths)]) if len(near) and lengths.max() > 0 else int(site)
        pieces[best].append(part)
    return np.array([g[0] if len(g) == 1 else shapely.union_all(g, grid_size=GRID_M)
                     for g in pieces], dtype=object)


def _adjacency(regions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    i, j = shapely.STRtree(regions).query(regions, predicate="intersects")
    keep = i < j
    i, j = i[keep], j[keep]
    # Vertices are already on the grid, so the exact overlay gives the shared edges.
    shared = shapely.length(shapely.intersection(regions[i], regions[j]))
    touching = shared > GRID_M
    return np.column_stack([i[touching], j[touching]]), shared[touching]


def build_mesh(xy: np.ndarray, village) -> VillageMesh:
    """The mesh of households at XY (metres) in the VILLAGE polygon (metres)."""
    village = shapely.set_precision(village, GRID_M)
    sites, site_of = np.unique(np.round(np.asarray(xy, float), 3), axis=0, return_inverse=True)
    main, orphans, owner = _own_parts(sites, village)
    regions = _attach_orphans(main, orphans, owner)
    edges, shared = _adjacency(regions)
    return VillageMesh(sites, site_of.ravel(), regions, edges.reshape(-1, 2), shared)


def dissolve(mesh: VillageMesh, site_labels: np.ndarray, k: int) -> np.ndarray:
    """One polygon per label 0..K-1: the union of its sites' regions (empty when unused)."""
    cells = np.empty(k, dtype=object)
    for label in range(k):
        # Regions are edge-matched on the grid: a coverage, whose union is fast and exact.
        cells[label] = shapely.coverage_union_all(mesh.regions[site_labels == label])
    return cells
