"""Which village groups a plan splits, and why (001 §11 网格化: rural grids keep 村民小组 whole).

Read from the plan's memberships and rules, so it holds for allocated and edited plans
alike: a group heavier than its village's band had to be split; a split the allocation proved
needed (its village splits no more groups than any allocation within the band must) is named
with that proof; any other split is named as avoidable (no whole-group cells fit the band, or
an edit made it). The reason kept when it was split (the allocation's, or a planner's in words;
services.grids.reasons) is stated beside it.
"""

from collections import Counter
from dataclasses import asdict, dataclass, replace

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from gridmgmt.analysis.group_bound import least_splits
from gridmgmt.analysis.partition import SiteGraph
from gridmgmt.db.models import GridCell, GridPlan, Household, Village, VillageGroup
from gridmgmt.db.models.grids import GridMembership
from gridmgmt.db.queries import must_visit
from gridmgmt.domain.grid_rules import GridRules, group_must_split, proven_split_reason, split_reason
from gridmgmt.services.grids.reasons import plan_reasons


@dataclass(frozen=True)
class GroupSplit:
    """A village group whose households lie in more than one cell of a plan."""

    village: str
    group_code: str
    group: str
    cells: list[str]
    workload: float
    must_split: bool
    reason: str
    stated: str = ""  # the reason kept when it was split
    stated_by: str = ""  # 自动划分, or the planner's username
    proven: bool = False  # its village cannot split fewer groups within the band (with_proofs)

    def as_dict(self) -> dict:
        """Plain dict, for JSON and templates."""
        return asdict(self)


def _memberships(session: Session, plan_id: int, village_id: int | None) -> pd.DataFrame:
    """One row per household of the plan (of VILLAGE_ID only, when given): village, group, cell code, 必访 as
    one bool."""
    query = (
        select(
            Village.name.label("village"),
            GridCell.village_id,
            VillageGroup.code.label("group_code"),
            VillageGroup.name.label("group"),
            GridCell.code.label("cell"),
            must_visit().label("must_visit"),
        )
        .select_from(GridMembership)
        .join(Household, Household.id == GridMembership.household_id)
        .join(GridCell, GridCell.id == GridMembership.cell_id)
        .join(Village, Village.id == GridCell.village_id)
        .outerjoin(VillageGroup, VillageGroup.id == Household.group_id)
        .where(GridMembership.plan_id == plan_id)
    )
    if village_id is not None:
        query = query.where(GridCell.village_id == village_id)
    return pd.read_sql(query, session.connection())


def _stated(row) -> tuple[str, str]:
    """(reason, who gave it) of a kept reason ROW; empty without one."""
    if row is None:
        return "", ""
    return row.reason, row.given_by if row.source == "planner" else "自动划分"


def group_splits(
    session: Session, plan: GridPlan, rules: GridRules, village_id: int | None = None, kept_proofs: bool = True
) -> list[GroupSplit]:
    """The groups PLAN splits (in VILLAGE_ID only, when given), by village and group code, each with its
    reason under RULES: the proof kept for it, unless KEPT_PROOFS is false (to prove them again)."""
    homes = _memberships(session, plan.id, village_id)
    if homes.empty:
        return []
    homes["workload"] = homes.must_visit.map({True: rules.workload(True), False: rules.workload(False)})
    village = homes.groupby("village_id").agg(total=("workload", "sum"), cells=("cell", "nunique"))
    stated = {r.subject: r for r in plan_reasons(session, plan.id, "group")}
    found = []
    grouped = homes.dropna(subset=["group_code"]).groupby(["village_id", "group_code"], sort=True)
    for (village_id, code), rows in grouped:
        cells = sorted(rows.cell.unique())
        if len(cells) < 2:
            continue
        total, k = village.loc[village_id, "total"], int(village.loc[village_id, "cells"])
        workload = float(rows.workload.sum())
        split = GroupSplit(
            rows.village.iat[0],
            code,
            rows.group.iat[0],
            cells,
            workload,
            group_must_split(workload, total, k, rules),
            split_reason(workload, total, k, rules),
            *_stated(stated.get(code)),
        )
        found.append((village_id, split))
    in_village = Counter(village_id for village_id, _ in found)
    splits = [
        replace(s, reason=proven_split_reason(in_village[v], rules), proven=True)
        if kept_proofs and not s.must_split and getattr(stated.get(s.group_code), "proven", False)
        else s
        for v, s in found
    ]
    return sorted(splits, key=lambda s: s.group_code)


def with_proofs(splits: list[GroupSplit], graphs: dict[str, SiteGraph], rules: GridRules) -> list[GroupSplit]:
    """SPLITS, with the reason of each split of a group that fits its band replaced by the proof that
    its village cannot do with fewer, where the village (by name, in GRAPHS: its allocation graph)
    splits exactly as many groups as any allocation within the band must (group_bound.least_splits)."""
    villages: dict[str, list[GroupSplit]] = {}
    for s in splits:
        villages.setdefault(s.village, []).append(s)
    proved = []
    for village, found in villages.items():
        if village in graphs and not all(s.must_split for s in found):
            least, undecided = least_splits(graphs[village], rules)
            if not undecided and least == len(found):
                reason = proven_split_reason(least, rules)
                found = [s if s.must_split else replace(s, reason=reason, proven=True) for s in found]
        proved.extend(found)
    return sorted(proved, key=lambda s: s.group_code)


def split_notes(session: Session, plan: GridPlan, rules: GridRules) -> dict[str, str]:
    """Each cell of PLAN that a split touches (cell code → text): the groups it shares with other
    cells and the cut it came from, each with its reason (the one kept, else the rule's)."""
    notes: dict[str, list[str]] = {}
    for s in group_splits(session, plan, rules):
        for cell in s.cells:
            notes.setdefault(cell, []).append(f"{s.village}{s.group}（{s.group_code}）跨网格：{s.stated or s.reason}")
    for row in plan_reasons(session, plan.id, "cell"):
        for cell in row.cells:
            notes.setdefault(cell, []).append(f"由网格 {row.subject} 拆分：{row.reason}")
    return {cell: "；".join(texts) for cell, texts in notes.items()}
