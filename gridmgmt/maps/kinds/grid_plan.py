"""网格划分图: the cells of the published grid plan, coloured by workload, with their workers."""

from gridmgmt.domain.vocab import PLAN_STATUSES
from gridmgmt.maps.kinds.base import (
    BriefingData,
    KindRefused,
    MapKind,
    boundary_layer,
    classed,
    road_layers,
    seat_layer,
    spec_for,
    village_labels,
    water_layers,
)
from gridmgmt.maps.static.spec import MapLabel, MapLayer, MapSpec

# Households per cell, in bands around the default target of 150: balance shows at a glance.
WORKLOAD_CLASSES = [
    ("少于 120 户", "#edf8e9", lambda n: n < 120),
    ("120–149 户", "#bae4b3", lambda n: 120 <= n < 150),
    ("150–179 户", "#74c476", lambda n: 150 <= n < 180),
    ("180 户及以上", "#31a354", lambda n: n >= 180),
]


def build(data: BriefingData) -> MapSpec:
    """Cells by workload with their number in the village and grid worker; village names on top."""
    cells = data.layers["grid_cells"]
    if cells.empty:
        raise KindRefused(f"{data.place.name}还没有网格方案，无法生成网格划分图")
    layers = [
        *classed(
            cells, "households", WORKLOAD_CLASSES, "polygon", {"edgecolor": "#2b6b2b", "linewidth": 0.6}, zorder=2
        ),
        MapLayer(
            "polygon",
            data.layers["villages"],
            label="行政村界",
            zorder=4,
            style={"facecolor": "none", "edgecolor": "#555555", "linewidth": 1.1, "linestyle": "-."},
        ),
        *water_layers(data),
        *road_layers(data, classes=("national", "provincial", "county", "township")),
        boundary_layer(data),
        *seat_layer(data),
    ]
    points = cells.geometry.representative_point()
    # Cell labels give way to village names; the roster workbook lists every cell.
    labels = [
        MapLabel(_cell_text(code.removeprefix(village), worker), p.x, p.y, size=6, priority=-1, optional=True)
        for code, village, worker, p in zip(cells.code, cells.village_code, cells.worker, points)
    ]
    plan = f"{cells.plan_name.iloc[0]}（{PLAN_STATUSES.get(cells.plan_status.iloc[0], '')}）"
    notes = (f"网格方案：{plan}", f"网格 {len(cells)} 个，户数 {int(cells.households.sum())}")
    return spec_for(data, f"{data.place.name}网格划分图", layers, village_labels(data) + labels, notes)


def _cell_text(code: str, worker: str | None) -> str:
    return f"{code}\n{worker}" if worker else code


KIND = MapKind("grid_plan", "网格划分图", ("villages", "waters", "roads", "grid_cells"), build)
