"""走访覆盖图: the done rate of the all-household visit duties, aggregated to village groups and grid cells.

Never individual households, and never the 四必访 duties: the loaders leave them out.
"""

import math

from gridmgmt.maps.kinds.base import (
    BriefingData,
    MapKind,
    boundary_layer,
    classed,
    road_layers,
    seat_layer,
    spec_for,
    village_labels,
    village_layers,
    water_layers,
)
from gridmgmt.maps.static.spec import MapLabel, MapLayer, MapSpec

# Lowest first: the legend lists layers top-down, so 95% and above heads it.
RATE_CLASSES = [
    ("无走访任务", "#e0e0e0", lambda r: math.isnan(r)),
    ("完成率低于 50%", "#d7191c", lambda r: r < 0.50),
    ("完成率 50%–80%", "#fdae61", lambda r: 0.50 <= r < 0.80),
    ("完成率 80%–95%", "#a6d96a", lambda r: 0.80 <= r < 0.95),
    ("完成率 95% 及以上", "#1a9641", lambda r: r >= 0.95),
]
CELL_LINE = {"facecolor": "none", "edgecolor": "#263238", "linewidth": 0.9}


def build(data: BriefingData) -> MapSpec:
    """Groups coloured by the share of their households' visit duties done this period; the published
    plan's cells outlined, each with its own rate."""
    groups = data.layers["group_compliance"]
    cells = data.layers["cell_compliance"]
    layers = [
        *village_layers(data, fill="none"),
        *classed(groups, "rate", RATE_CLASSES, "polygon", {"edgecolor": "white", "linewidth": 0.3}, zorder=1),
        *(
            [MapLayer("polygon", cells, label="网格界（数字为网格完成率）", zorder=4, style=CELL_LINE)]
            if not cells.empty
            else []
        ),
        *water_layers(data),
        *road_layers(data, classes=("national", "provincial", "county", "township")),
        boundary_layer(data),
        *seat_layer(data),
    ]
    # Cell rates give way to village names where they would collide.
    points = cells.geometry.representative_point()
    rates = [
        MapLabel(f"{rate:.0%}", p.x, p.y, size=6, priority=-1, optional=True)
        for rate, p in zip(cells.rate, points)
        if not math.isnan(rate)
    ]
    total = int(groups.targets.sum())
    done = float((groups.rate.fillna(0) * groups.targets).sum())
    overall = f"{done / total:.1%}" if total else "—"
    unit = "按村民小组着色、按网格标注" if not cells.empty else "按村民小组汇总"
    notes = (
        f"统计截至 {data.made_on:%Y-%m-%d}，本周期完成率 {overall}",
        "口径：全部农户的走访职责，不含四必访",
        f"{unit}，不显示个别农户",
    )
    return spec_for(data, f"{data.place.name}走访覆盖图", layers, village_labels(data) + rates, notes)


KIND = MapKind("visits", "走访覆盖图", ("villages", "waters", "roads", "group_compliance", "cell_compliance"), build)
