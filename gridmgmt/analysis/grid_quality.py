"""How good an allocation is: workload balance, compactness, contiguity, groups kept whole."""

from dataclasses import asdict, dataclass

import numpy as np
import shapely


@dataclass(frozen=True)
class Quality:
    """Plan or village quality figures; deviations are shares of each cell's target."""

    cells: int
    households: int
    workload_max_min: float  # heaviest cell's workload over the lightest's
    workload_cv: float  # coefficient of variation of cell workloads
    worst_deviation: float  # max |workload / target - 1|
    polsby_popper_mean: float
    polsby_popper_worst: float
    contiguous_share: float  # share of cells that are one piece
    group_kept_share: float  # households whose whole village group is in their cell
    groups_whole_share: float  # village groups lying in one cell, by count

    def as_dict(self) -> dict:
        """Plain dict, for JSON and tables."""
        return asdict(self)


def polsby_popper(polygons) -> np.ndarray:
    """4πA/P² per polygon: 1 for a circle, near 0 for a thin sliver."""
    polygons = np.asarray(polygons, dtype=object)
    perimeter = shapely.length(polygons)
    return np.where(perimeter > 0, 4 * np.pi * shapely.area(polygons) / np.maximum(perimeter, 1e-12) ** 2, 0.0)


def group_kept_share(cell: np.ndarray, group: np.ndarray) -> float:
    """Share of households whose village group lies wholly in their cell (no group: counts as kept)."""
    cell, group = np.asarray(cell), np.asarray(group)
    if len(cell) == 0:
        return 1.0
    _, g = np.unique(group, return_inverse=True)
    _, c = np.unique(cell, return_inverse=True)
    cells_per_group = np.bincount(np.unique(np.column_stack([g, c]), axis=0)[:, 0])
    kept = (cells_per_group[g] == 1) | (group < 0)
    return float(kept.mean())


def groups_whole_share(cell: np.ndarray, group: np.ndarray) -> float:
    """Share of village groups (ids >= 0) whose households all lie in one cell."""
    cell, group = np.asarray(cell), np.asarray(group)
    pairs = np.unique(np.column_stack([group, cell])[group >= 0], axis=0)
    if len(pairs) == 0:
        return 1.0
    _, cells_per_group = np.unique(pairs[:, 0], return_counts=True)
    return float((cells_per_group == 1).mean())


def quality(polygons, cell: np.ndarray, weight: np.ndarray, group: np.ndarray, targets: np.ndarray) -> Quality:
    """Figures for cells POLYGONS (metres) given each household's CELL index, WEIGHT and
    GROUP, and each cell's workload TARGETS."""
    polygons = np.asarray(polygons, dtype=object)
    load = np.bincount(cell, weight, len(polygons))
    pp = polsby_popper(polygons)
    pieces = shapely.get_num_geometries(polygons)
    return Quality(
        cells=len(polygons),
        households=len(cell),
        workload_max_min=float(load.max() / load.min()) if load.min() > 0 else float("inf"),
        workload_cv=float(load.std() / load.mean()),
        worst_deviation=float(np.abs(load / np.asarray(targets) - 1).max()),
        polsby_popper_mean=float(pp.mean()),
        polsby_popper_worst=float(pp.min()),
        contiguous_share=float((pieces == 1).mean()),
        group_kept_share=group_kept_share(cell, group),
        groups_whole_share=groups_whole_share(cell, group),
    )
