"""Two plans of a township compared: both drawn, the cells one has and the other has not
(by name), the households that change cell, and the plans' metrics side by side."""

import json

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import GridCell, GridPlan, Household
from gridmgmt.db.models.grids import GridMembership
from gridmgmt.db.queries import collection, rounded
from gridmgmt.services.grids.allocation import find_plan, plan_rules
from gridmgmt.services.grids.plans import diff, plan_gaps
from gridmgmt.services.grids.splits import group_splits
from gridmgmt.services.grids.views import cell_features, cell_metrics, summary_of

# (key, Chinese label) of the metrics shown side by side, in order.
METRIC_ROWS = [
    ("cells", "网格数"),
    ("households", "划入网格的户数"),
    ("per_cell", "每格户数 最少 / 平均 / 最多"),
    ("workload_cv", "工作量离散程度（变异系数，越小越均衡）"),
    ("out_of_bounds", "工作量超出上下限的网格"),
    ("groups_whole", "保持完整的村民小组"),
    ("compactness", "形状规整度 平均 / 最差（1 为圆形）"),
    ("contiguous", "连成一片的网格"),
    ("unassigned", "未划入任何网格的户数"),
    ("no_worker", "未配网格员的网格"),
]


def plan_metrics(session: Session, plan: GridPlan) -> dict:
    """PLAN's metrics for the comparison table, as display texts keyed as METRIC_ROWS."""
    rules = plan_rules(plan)
    cells = cell_metrics(session, plan, rules)
    if not cells:
        return {key: "—" for key, _ in METRIC_ROWS} | {"cells": "0"}
    summary = summary_of(cells, rules)
    homes = np.array([c["households"] for c in cells])
    groups = session.scalar(
        select(func.count(Household.group_id.distinct()))
        .join(GridMembership, GridMembership.household_id == Household.id)
        .where(GridMembership.plan_id == plan.id)
    )
    split = len(group_splits(session, plan, rules))
    unassigned, no_worker = plan_gaps(session, plan)
    return {
        "cells": str(summary["cells"]),
        "households": str(summary["households"]),
        "per_cell": f"{homes.min()} / {homes.mean():.0f} / {homes.max()}",
        "workload_cv": f"{summary['workload_cv']:.1%}",
        "out_of_bounds": str(len(summary["out_of_bounds"])),
        "groups_whole": f"{groups - split} / {groups}",
        "compactness": f"{summary['pp_mean']} / {summary['pp_worst']}",
        "contiguous": f"{summary['contiguous_share']:.0%}",
        "unassigned": str(unassigned),
        "no_worker": str(len(no_worker)),
    }


def _names(session: Session, plan_id: int, codes) -> list[dict]:
    """Code and name of cells CODES of PLAN_ID, by code."""
    rows = session.execute(
        select(GridCell.code, GridCell.name)
        .where(GridCell.plan_id == plan_id, GridCell.code.in_(list(codes)))
        .order_by(GridCell.code)
    )
    return [dict(r) for r in rows.mappings()]


def diff_view(session: Session, plan_a: int, plan_b: int) -> dict:
    """Plans A and B compared for the page: both plans' cells, the cells only B has (added) and
    only A has (removed), the matched pairs, the moved households, the metrics side by side."""
    result = diff(session, plan_a, plan_b)
    paired = result.matches[result.matches.shared > 0]  # a pair sharing no household is no match
    a, b = find_plan(session, plan_a), find_plan(session, plan_b)
    cells_a, cells_b = cell_features(session, a, plan_rules(a)), cell_features(session, b, plan_rules(b))
    codes_a = {f["properties"]["code"] for f in cells_a["features"]}
    codes_b = {f["properties"]["code"] for f in cells_b["features"]}
    moved = result.moved.assign(geometry=rounded(result.moved.geometry.array))
    metrics_a, metrics_b = plan_metrics(session, a), plan_metrics(session, b)
    return {
        "cells_a": cells_a,
        "cells": cells_b,
        "added": _names(session, plan_b, codes_b - set(paired.b_code)),
        "removed": _names(session, plan_a, codes_a - set(paired.a_code)),
        "moved": json.loads(moved.to_json(drop_id=True)) if len(moved) else collection([]),
        "matches": result.matches.astype({"shared": int}).to_dict(orient="records"),
        "metrics": [(label, metrics_a[key], metrics_b[key]) for key, label in METRIC_ROWS],
    }
