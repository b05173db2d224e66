"""A split the bound proves needed is named as proven on real PostGIS (001 §11 网格化: rural grids
keep 村民小组 whole): a village whose groups, 90, 150, 80 and 70 households in bands north to south,
fit no allocation within ±15 % and 100–200 without cutting one, although none alone is too heavy."""

import numpy as np
import pandas as pd
from sqlalchemy import func, select

from gridmgmt.db.models import GridCell, Household, Township, Village, VillageGroup
from gridmgmt.db.models.grids import GridMembership, GridSplitReason
from gridmgmt.domain.grid_rules import GridError, GridRules, proven_split_reason
from gridmgmt.services.accounts.actors import Actor
from gridmgmt.services.grids.allocation import allocate_township
from gridmgmt.services.grids.edits import move_households
from gridmgmt.services.grids.reasons import note_group_reason
from gridmgmt.services.grids.rebalance import rebalance
from gridmgmt.services.grids.views import plan_view
from tests.integration.grid_town import _box, _point

TOWN, VILLAGE = "441624188000", "441624188201"
SIZES = (90, 150, 80, 70)


def _plant(session) -> None:
    """丁村: four groups side by side, each a band 0.002° deep, households spread over it."""
    rng = np.random.default_rng(5)
    town = Township(code=TOWN, name="证明镇", geom=_box(115.70, 115.71, 23.900, 23.908))
    session.add(town)
    session.flush()
    village = Village(township_id=town.id, code=VILLAGE, name="丁村", geom=_box(115.70, 115.71, 23.900, 23.908))
    session.add(village)
    session.flush()
    for k, n in enumerate(SIZES):
        y0 = 23.906 - 0.002 * k
        code = f"{VILLAGE}{k + 1:02d}"
        group = VillageGroup(
            village_id=village.id, code=code, name=f"{k + 1}组", geom=_box(115.70, 115.71, y0, y0 + 0.002)
        )
        session.add(group)
        session.flush()
        xy = np.column_stack([rng.uniform(115.7002, 115.7098, n), rng.uniform(y0 + 0.0001, y0 + 0.0019, n)])
        session.add_all(
            Household(village_id=village.id, group_id=group.id, code=f"{code}{i:03d}", head="户主", geom=_point(*p))
            for i, p in enumerate(xy)
        )
    session.commit()


def test_the_one_needed_split_is_named_as_proven_in_the_report_and_on_the_plan_page(session):
    _plant(session)
    rules = GridRules()
    report = allocate_township(session, TOWN, "证明", rules, actor=Actor("planner"))
    assert report.quality.worst_deviation <= 0.15
    (split,) = report.splits
    assert not split.must_split and split.reason == proven_split_reason(1, rules)
    (shown,) = plan_view(session, report.plan_id).splits
    assert shown["proven"] and shown["reason"] == shown["stated"] == proven_split_reason(1, rules)
    assert shown["stated_by"] == "自动划分"


def test_a_rebalance_and_a_planners_reason_keep_the_split_proven(session):
    """A rebalance proves its splits as the allocation does; a planner's words for a proven split replace the
    kept text but not the proof, which goes while an edit makes the village split more than it must."""
    _plant(session)
    rules = GridRules()
    plan_id = allocate_township(session, TOWN, "证明", rules, actor=Actor("planner")).plan_id
    (split,) = rebalance(session, plan_id, actor=Actor("planner")).splits
    assert split.proven and split.reason == proven_split_reason(1, rules)
    assert session.scalar(select(GridSplitReason.proven).where(GridSplitReason.subject == split.group_code))

    note_group_reason(session, plan_id, split.group_code, "二组跨两片，两名网格员分片包干", Actor("planner"))
    session.commit()
    (shown,) = plan_view(session, plan_id).splits
    assert shown["proven"] and shown["reason"] == proven_split_reason(1, rules)
    assert (shown["stated"], shown["stated_by"]) == ("二组跨两片，两名网格员分片包干", "planner")

    whole, own, other = _whole_group_and_its_neighbour(session, plan_id, split.group_code)
    _move_one(session, plan_id, whole, own, other)
    shown = {s["group_code"]: s for s in plan_view(session, plan_id).splits}
    assert not shown[split.group_code]["proven"] and "或方案经过人工调整" in shown[split.group_code]["reason"]
    assert shown[split.group_code]["stated"] == "二组跨两片，两名网格员分片包干"
    _move_one(session, plan_id, whole, other, own)  # back: one split again, the fewest possible
    (shown,) = plan_view(session, plan_id).splits
    assert shown["proven"] and shown["stated"] == "二组跨两片，两名网格员分片包干"


def _homes(session, plan_id: int) -> pd.DataFrame:
    """Each household of the plan: code, group code, cell code and version, x and y."""
    return pd.read_sql(
        select(
            Household.code,
            VillageGroup.code.label("group"),
            GridCell.code.label("cell"),
            GridCell.version,
            func.ST_X(Household.geom).label("x"),
            func.ST_Y(Household.geom).label("y"),
        )
        .join(GridMembership, GridMembership.household_id == Household.id)
        .join(GridCell, GridCell.id == GridMembership.cell_id)
        .join(VillageGroup, VillageGroup.id == Household.group_id)
        .where(GridMembership.plan_id == plan_id),
        session.connection(),
    )


def _move_one(session, plan_id: int, group: str, from_cell: str, to_cell: str) -> None:
    """Move the household of GROUP in FROM_CELL nearest to TO_CELL into it (the nearest one the rules let go)."""
    homes = _homes(session, plan_id)
    there = homes[homes.cell == to_cell][["x", "y"]].to_numpy()
    movable = homes[(homes.group == group) & (homes.cell == from_cell)].copy()
    movable["far"] = [np.hypot(*(there - p).T).min() for p in movable[["x", "y"]].to_numpy()]
    seen = dict(zip(homes.cell, homes.version))
    for code in movable.sort_values("far").code[:10]:
        try:
            move_households(session, plan_id, [code], to_cell, seen, actor=Actor("planner"))
            return
        except GridError:
            session.rollback()
    raise AssertionError(f"no household of {group} in {from_cell} could move to {to_cell}")


def test_an_edit_keeps_the_proof_only_while_the_village_splits_as_few_groups(session):
    """A move within the split group keeps its proof (still one split); a move that splits a second group
    replaces the proof by the rule's reason, and the newly split group gets no automatic reason."""
    _plant(session)
    rules = GridRules()
    report = allocate_township(session, TOWN, "证明", rules, actor=Actor("planner"))
    (split,) = report.splits
    first, second = split.cells
    _move_one(session, report.plan_id, split.group_code, first, second)
    (shown,) = plan_view(session, report.plan_id).splits
    assert shown["stated"] == proven_split_reason(1, rules)

    whole, own, other = _whole_group_and_its_neighbour(session, report.plan_id, split.group_code)
    _move_one(session, report.plan_id, whole, own, other)
    shown = {s["group_code"]: s for s in plan_view(session, report.plan_id).splits}
    assert len(shown) == 2 and shown[whole]["stated"] == ""
    assert shown[split.group_code]["stated"] not in ("", proven_split_reason(1, rules))
    assert shown[split.group_code]["stated_by"] == "自动划分"
    assert not any(s["proven"] for s in shown.values())


def _whole_group_and_its_neighbour(session, plan_id: int, split_group: str) -> tuple[str, str, str]:
    """A group other than SPLIT_GROUP kept whole, its cell, and the other cell nearest to it."""
    homes = _homes(session, plan_id)
    cells = homes.groupby("group").cell.agg(lambda c: sorted(set(c)))
    whole = next(g for g, c in cells.items() if len(c) == 1 and g != split_group)
    (own,) = cells[whole]
    mine = homes[homes.group == whole][["x", "y"]].to_numpy()
    near = {
        c: min(np.hypot(*(mine - p).T).min() for p in rows[["x", "y"]].to_numpy()) for c, rows in homes.groupby("cell")
    }
    return whole, own, min((c for c in near if c != own), key=near.get)
