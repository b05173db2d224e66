"""Assign a draft plan's grid workers and party-member liaisons by road distance.

Grid workers come from the township's 网格员 and 村干部 who live in a household
(网格员 preferred); liaisons from the party members living in the village who are
not 流动党员. A plan's liaisons are kept per plan (grid_liaison) and replace the
township's 联户 links (liaison table) when the plan is published.
"""

from dataclasses import dataclass, field, replace
from math import ceil

import numpy as np
import pandas as pd
from sqlalchemy import and_, delete, select, update
from sqlalchemy.orm import Session

from gridmgmt.analysis.grid_assignment import assign_workers, link_households
from gridmgmt.db.bulk import copy_rows
from gridmgmt.db.models import Cadre, GridCell, Household, PartyMember, Village
from gridmgmt.db.models.grids import GridLiaison, GridMembership
from gridmgmt.db.queries import must_visit
from gridmgmt.domain.branch_rules import CoverageRules
from gridmgmt.network.distances import Snapped, VertexCosts, nearest_distances, pair_distances
from gridmgmt.network.roads import RoadNetwork
from gridmgmt.services.accounts.actors import Actor, record
from gridmgmt.services.coverage.reach import snap
from gridmgmt.services.grids.allocation import draft_plan, plan_rules, plan_target

# A 村干部 counts as this much farther away than a 网格员, so 网格员 go first.
CADRE_PENALTY_M = 1500.0
# A member from another cell of the village counts as this much farther away.
OTHER_CELL_PENALTY_M = 800.0


@dataclass(frozen=True)
class AssignmentReport:
    """Cells left without a worker, and cells whose households are not all linked."""

    cells: int
    workers_assigned: int
    households_linked: int
    households: int
    no_worker: list[str] = field(default_factory=list)
    short: dict[str, int] = field(default_factory=dict)  # cell code → unlinked households
    # The cells short of liaisons or of a worker, by name: see shortfalls().
    shortfalls: list[dict] = field(default_factory=list)


def _load(session: Session, plan_id: int, township_id: int) -> list[pd.DataFrame]:
    """The plan's cells, its households (with their cell and one must-visit bool), the township's
    grid workers and 村干部 living in a household, and the members living in the plan's households."""
    in_plan = GridMembership.plan_id == plan_id
    queries = [
        select(GridCell.id, GridCell.code, GridCell.village_id)
        .where(GridCell.plan_id == plan_id)
        .order_by(GridCell.code),
        select(Household.id, Household.village_id, GridMembership.cell_id, must_visit().label("first")).join(
            GridMembership, and_(GridMembership.household_id == Household.id, in_plan)
        ),
        select(Cadre.id, Cadre.household_id, Cadre.cadre_role)
        .where(
            Cadre.township_id == township_id,
            Cadre.household_id.is_not(None),
            Cadre.cadre_role.in_(["grid_worker", "village_secretary", "village_cadre"]),
        )
        .order_by(Cadre.id),
        select(PartyMember.id, PartyMember.household_id)
        .join(GridMembership, and_(GridMembership.household_id == PartyMember.household_id, in_plan))
        .where(~PartyMember.is_mobile)
        .order_by(PartyMember.id),
    ]
    return [pd.read_sql(query, session.connection()) for query in queries]


def _worker_costs(cells, homes, workers, snapped: Snapped, row_of, costs: VertexCosts) -> np.ndarray:
    """(workers × cells) road metres from each worker's home to the nearest household of each cell."""
    worker_rows = workers.household_id.map(row_of).to_numpy()
    cost = np.empty((len(workers), len(cells)))
    for j, cell_id in enumerate(cells.id):
        mine = homes.id[homes.cell_id == cell_id].map(row_of).to_numpy()
        cost[:, j] = nearest_distances(snapped.take(worker_rows), snapped.take(mine), costs)
    return cost + np.where(workers.cadre_role.to_numpy() == "grid_worker", 0, CADRE_PENALTY_M)[:, None]


def _village_links(homes, members, snapped: Snapped, row_of, costs: VertexCosts, capacity: int) -> np.ndarray:
    """Member id (or -1) per household of one village."""
    home_cell = dict(zip(homes.id, homes.cell_id))
    rows = homes.id.map(row_of).to_numpy()
    dist = pair_distances(snapped.take(rows), costs)
    local = {h: i for i, h in enumerate(homes.id)}
    cols = members.household_id.map(local).to_numpy()
    cost = dist[:, cols] + OTHER_CELL_PENALTY_M * (
        homes.cell_id.to_numpy()[:, None] != members.household_id.map(home_cell).to_numpy()[None, :]
    )
    cost[cols, np.arange(len(cols))] = np.inf  # a member does not link their own household
    linked = link_households(cost, capacity, homes["first"].to_numpy(bool))
    return np.where(linked >= 0, members.id.to_numpy()[np.maximum(linked, 0)], -1)


def shortfalls(session: Session, plan_id: int, capacity: int) -> list[dict]:
    """The cells of PLAN_ID short of 联户 party members or of a grid worker, most unlinked
    households first: code, name, village, households, unlinked, liaisons (has), needs (at
    CAPACITY households each), the members' names, the worker's name (None when there is none)."""
    homes = pd.read_sql(
        select(GridMembership.cell_id, PartyMember.id.label("member"), PartyMember.name)
        .outerjoin(
            GridLiaison,
            and_(
                GridLiaison.plan_id == GridMembership.plan_id, GridLiaison.household_id == GridMembership.household_id
            ),
        )
        .outerjoin(PartyMember, PartyMember.id == GridLiaison.party_member_id)
        .where(GridMembership.plan_id == plan_id),
        session.connection(),
    )
    cells = session.execute(
        select(GridCell.id, GridCell.code, GridCell.name, Village.name.label("village"), Cadre.name.label("worker"))
        .join(Village, Village.id == GridCell.village_id)
        .outerjoin(Cadre, Cadre.id == GridCell.grid_worker_id)
        .where(GridCell.plan_id == plan_id)
    ).all()
    rows = []
    for cell in cells:
        mine = homes[homes.cell_id == cell.id]
        members = mine.dropna(subset=["member"]).drop_duplicates("member").sort_values("name").name.tolist()
        unlinked = int(mine.member.isna().sum())
        if unlinked or cell.worker is None:
            rows.append(
                {
                    "cell": cell.code,
                    "name": cell.name,
                    "village": cell.village,
                    "households": len(mine),
                    "unlinked": unlinked,
                    "liaisons": len(members),
                    "needs": ceil(len(mine) / capacity),
                    "members": members,
                    "worker": cell.worker,
                }
            )
    return sorted(rows, key=lambda r: (-r["unlinked"], r["cell"]))


def assign(session: Session, plan_id: int, *, actor: Actor, **changes) -> AssignmentReport:
    """Set every cell's grid worker and every household's liaison in draft plan PLAN_ID under
    its rules; CHANGES (max_cells_per_worker, liaison_capacity) are kept in them. Audited, commits."""
    plan = draft_plan(session, plan_id)
    rules = replace(plan_rules(plan), **changes)
    plan.rules = rules.as_dict()
    cells, homes, workers, members = _load(session, plan.id, plan.township_id)
    network = RoadNetwork.of(session, plan.township_id)
    ids, snapped = snap(session, network, "households", CoverageRules())
    costs = network.costs(snapped)
    row_of = pd.Series(np.arange(len(ids)), index=ids)
    workers = workers[workers.household_id.isin(ids)].reset_index(drop=True)
    chosen = assign_workers(_worker_costs(cells, homes, workers, snapped, row_of, costs), rules.max_cells_per_worker)
    for cell_id, w in zip(cells.id, chosen):
        session.execute(
            update(GridCell)
            .where(GridCell.id == int(cell_id))
            .values(grid_worker_id=int(workers.id[w]) if w >= 0 else None, version=GridCell.version + 1)
        )
    homes = homes.assign(member=-1)
    for _vid, village in homes.groupby("village_id"):
        local = members[members.household_id.isin(village.id)]
        homes.loc[village.index, "member"] = _village_links(
            village, local, snapped, row_of, costs, rules.liaison_capacity
        )
    session.execute(delete(GridLiaison).where(GridLiaison.plan_id == plan.id))
    linked = homes[homes.member >= 0]
    copy_rows(
        session,
        "grid_liaison",
        ["plan_id", "household_id", "party_member_id"],
        ((plan.id, int(h), int(m)) for h, m in zip(linked.id, linked.member)),
    )
    detail = {"workers_assigned": int((chosen >= 0).sum()), "households_linked": len(linked)}
    record(session, actor, "assign_plan", plan_target(plan), detail)
    session.commit()
    code = dict(zip(cells.id, cells.code))
    short = homes[homes.member < 0].groupby("cell_id").size()
    return AssignmentReport(
        cells=len(cells),
        workers_assigned=int((chosen >= 0).sum()),
        households_linked=len(linked),
        households=len(homes),
        no_worker=[c for c, w in zip(cells.code, chosen) if w < 0],
        short={code[c]: int(n) for c, n in short.items()},
        shortfalls=shortfalls(session, plan.id, rules.liaison_capacity),
    )
