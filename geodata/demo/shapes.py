"""Boundaries in metres: an irregular outline, tiled without gaps or overlaps by cells."""

import numpy as np
import shapely

# The demo county sits near 115.7°E 23.9°N (和平县, 河源). Work is done in metres on a
# local equirectangular plane: being affine, it keeps straight edges straight, so
# cells that share edges in metres still share them exactly in degrees. Its origin
# (0, 0) is CENTRE_LONLAT.
CENTRE_LONLAT = (115.7, 23.9)
METRES_PER_DEGREE = (111_320.0 * np.cos(np.radians(CENTRE_LONLAT[1])), 110_760.0)


def to_lonlat(geometries: np.ndarray) -> np.ndarray:
    """Geometries on the local plane (m) as EPSG:4326 longitude/latitude."""
    scale, origin = np.array(METRES_PER_DEGREE), np.array(CENTRE_LONLAT)
    return shapely.transform(np.asarray(geometries, dtype=object), lambda xy: origin + xy / scale)


def blob(rng: np.random.Generator, centre, radius: float, vertices: int = 96) -> shapely.Polygon:
    """An irregular star-shaped polygon around CENTRE with mean RADIUS (m)."""
    angle = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    r = np.ones(vertices)
    for k in range(2, 7):
        r += rng.normal(0, 0.16 / k) * np.cos(k * angle + rng.uniform(0, 2 * np.pi))
    r = np.clip(r, 0.55, None) * radius
    return shapely.Polygon(np.column_stack([centre[0] + r * np.cos(angle), centre[1] + r * np.sin(angle)]))


def random_points(rng: np.random.Generator, polygon, n: int) -> np.ndarray:
    """N uniform random points inside POLYGON, as an (N, 2) array."""
    shapely.prepare(polygon)
    minx, miny, maxx, maxy = polygon.bounds
    found = np.empty((0, 2))
    while len(found) < n:
        xy = rng.uniform((minx, miny), (maxx, maxy), size=(2 * n + 16, 2))
        found = np.vstack([found, xy[shapely.contains_xy(polygon, xy[:, 0], xy[:, 1])]])
    return found[:n]


def as_multipolygon(geometry) -> shapely.MultiPolygon:
    """The polygonal parts of GEOMETRY as one MultiPolygon (drops stray lines and points)."""
    parts = [p for p in shapely.get_parts(geometry) if isinstance(p, shapely.Polygon) and p.area > 0]
    return shapely.MultiPolygon(parts)


def _cells(seeds: np.ndarray, polygon) -> np.ndarray:
    regions = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=polygon, ordered=True)
    return shapely.intersection(shapely.get_parts(regions), polygon)


def tile(rng: np.random.Generator, polygon, n: int, relax: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Split POLYGON into N cells (Voronoi of Lloyd-relaxed random seeds).

    Returns (cells as MultiPolygons, seeds (N, 2)); each seed lies in its own cell.
    """
    seeds = random_points(rng, polygon, n)
    for _ in range(relax):
        cells = _cells(seeds, polygon)
        inner = shapely.centroid(cells)
        outside = ~shapely.contains(cells, inner)
        inner[outside] = shapely.point_on_surface(cells[outside])
        seeds = shapely.get_coordinates(inner)
    cells = np.array([as_multipolygon(c) for c in _cells(seeds, polygon)], dtype=object)
    return cells, seeds


def second_points(rng: np.random.Generator, cells: np.ndarray, anchors: np.ndarray, min_gap: float) -> np.ndarray:
    """One random point per cell at least MIN_GAP from its anchor when possible."""
    points = np.empty((len(cells), 2))
    for i, cell in enumerate(cells):
        candidates = random_points(rng, cell, 12)
        gap = np.hypot(*(candidates - anchors[i]).T)
        points[i] = candidates[np.argmax(gap)] if gap.max() < min_gap else candidates[gap >= min_gap][0]
    return points


def pull_inside(
    cells: np.ndarray, x: np.ndarray, y: np.ndarray, cx: np.ndarray, cy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Move points that fall outside their cell halfway towards (CX, CY) until inside."""
    x, y = x.copy(), y.copy()
    shapely.prepare(cells)
    for _ in range(16):
        out = ~shapely.contains_xy(cells, x, y)
        if not out.any():
            break
        x[out] = (x[out] + cx[out]) / 2
        y[out] = (y[out] + cy[out]) / 2
    out = ~shapely.contains_xy(cells, x, y)
    x[out], y[out] = cx[out], cy[out]
    return x, y
