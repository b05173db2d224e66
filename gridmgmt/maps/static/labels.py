"""Label placement: each label takes the first free spot around its anchor.

Pure geometry on boxes in page units (points), so it is tested without drawing.
"""

from collections.abc import Sequence

Box = tuple[float, float, float, float]  # x0, y0, x1, y1

# Candidate centres, in units of (label width, label height): on the anchor first,
# then above, below, right, left, the diagonals, and the same again further out.
_RING = [(0, 0), (0, 1), (0, -1), (0.6, 0), (-0.6, 0), (0.6, 1), (-0.6, 1), (0.6, -1), (-0.6, -1)]
CANDIDATES = _RING + [(dx * 1.85, dy * 2) for dx, dy in _RING[1:]]


def overlaps(a: Box, b: Box) -> bool:
    """True when boxes A and B share some area (touching edges do not count)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(box: Box, frame: Box) -> bool:
    """True when BOX lies wholly within FRAME."""
    return frame[0] <= box[0] and frame[1] <= box[1] and box[2] <= frame[2] and box[3] <= frame[3]


def _box(cx: float, cy: float, w: float, h: float) -> Box:
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def place_labels(
    anchors: Sequence[tuple[float, float]],
    sizes: Sequence[tuple[float, float]],
    frame: Box,
    obstacles: Sequence[Box] = (),
) -> list[tuple[float, float] | None]:
    """Centre of each label (in the order given, which is priority order), or None.

    A label goes to the first candidate spot around its anchor whose box stays
    inside FRAME and overlaps neither an earlier label nor an OBSTACLE.
    """
    taken = list(obstacles)
    placed: list[tuple[float, float] | None] = []
    for (ax, ay), (w, h) in zip(anchors, sizes):
        spot = None
        for dx, dy in CANDIDATES:
            centre = (ax + dx * w, ay + dy * h)
            box = _box(*centre, w, h)
            if inside(box, frame) and not any(overlaps(box, other) for other in taken):
                spot = centre
                taken.append(box)
                break
        placed.append(spot)
    return placed
