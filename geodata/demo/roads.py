"""A connected road hierarchy: county road through the seat, township roads to every
village centre, village roads to every hamlet; noded so that edges meet at their ends."""

import numpy as np
import shapely

# Higher rank wins when noded pieces of two classes overlap.
RANK = {"county": 3, "township": 2, "village": 1}
# Noding grid (m): ends closer than this become one vertex.
GRID_M = 0.01


def meander(rng: np.random.Generator, start, end, step: float, wobble: float) -> np.ndarray:
    """Coordinates from START to END with a vertex every ~STEP m, bent sideways by WOBBLE."""
    start, end = np.asarray(start, float), np.asarray(end, float)
    length = float(np.hypot(*(end - start)))
    n = max(2, int(length // step) + 2)
    t = np.linspace(0, 1, n)
    normal = np.array([-(end - start)[1], (end - start)[0]]) / max(length, 1e-9)
    # A sine taper keeps both ends exactly where they are.
    offset = np.sin(np.pi * t) * np.cumsum(rng.normal(0, wobble * step, n)) / np.sqrt(n)
    return start + np.outer(t, end - start) + np.outer(offset, normal)


def _exit_point(boundary, seat: np.ndarray, angle: float) -> np.ndarray:
    ray = shapely.LineString([seat, seat + 1e6 * np.array([np.cos(angle), np.sin(angle)])])
    hits = shapely.get_coordinates(shapely.intersection(shapely.boundary(boundary), ray))
    return hits[np.argmin(np.hypot(*(hits - seat).T))]


def _spur(rng, network: list, point: np.ndarray, step: float) -> np.ndarray | None:
    link = shapely.shortest_line(shapely.multilinestrings(network), shapely.Point(point))
    start = np.asarray(link.coords[0])
    if np.hypot(*(start - point)) < 1.0:
        return None
    return meander(rng, start, point, step, 0.12)


def road_network(
    rng: np.random.Generator,
    boundary,
    seat: np.ndarray,
    hamlets: np.ndarray,
    hamlet_village: np.ndarray,
    centre_hamlet: np.ndarray,
) -> dict:
    """Unnoded road lines: {'geom', 'road_class', 'village', 'hamlet'} lists.

    CENTRE_HAMLET[v] is the hamlet at village v's centre. Every hamlet gets a road to
    the network built so far, nearest first, so all of them connect to the seat.
    """
    angle = rng.uniform(0, 2 * np.pi)
    turn = np.pi + rng.uniform(-0.5, 0.5)
    ends = [_exit_point(boundary, seat, angle), _exit_point(boundary, seat, angle + turn)]
    lines = {"geom": [], "road_class": [], "village": [], "hamlet": []}

    def add(coords, road_class, village, hamlet):
        lines["geom"].append(shapely.LineString(coords))
        lines["road_class"].append(road_class)
        lines["village"].append(village)
        lines["hamlet"].append(hamlet)

    for end in ends:
        add(meander(rng, end, seat, 900, 0.15), "county", -1, -1)
    is_centre = np.zeros(len(hamlets), bool)
    is_centre[centre_hamlet] = True
    centres = hamlets[centre_hamlet]
    for v in np.argsort(np.hypot(*(centres - seat).T)):
        coords = _spur(rng, lines["geom"], centres[v], 600)
        if coords is not None:
            add(coords, "township", int(v), int(centre_hamlet[v]))
    for h in np.argsort(np.hypot(*(hamlets - seat).T)):
        if not is_centre[h]:
            coords = _spur(rng, lines["geom"], hamlets[h], 300)
            if coords is not None:
                add(coords, "village", int(hamlet_village[h]), int(h))
    return lines


def node(lines: dict) -> dict:
    """Split LINES wherever they meet or cross; each piece keeps the best class it lies on."""
    originals = np.array(lines["geom"], dtype=object)
    pieces = shapely.get_parts(shapely.union_all(originals, grid_size=GRID_M))
    pieces = pieces[shapely.length(pieces) > 0]
    middles = shapely.line_interpolate_point(pieces, 0.5, normalized=True)
    tree = shapely.STRtree(originals)
    piece_idx, line_idx = tree.query(middles, predicate="dwithin", distance=5 * GRID_M)
    rank = np.array([RANK[c] for c in lines["road_class"]])[line_idx]
    order = np.lexsort((-rank, piece_idx))
    first = order[np.unique(piece_idx[order], return_index=True)[1]]
    best = np.full(len(pieces), -1)
    best[piece_idx[first]] = line_idx[first]
    if (best < 0).any():
        raise RuntimeError("road noding lost a piece")
    return {
        "geom": pieces,
        "road_class": np.array(lines["road_class"])[best],
        "village": np.array(lines["village"])[best],
    }
