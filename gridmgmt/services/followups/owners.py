"""Who answers for a follow-up: the cadres it may be handed to, and handing it over (改派).

A township-wide user (planner, admin) hands an item to any cadre of its township; a village
user (a field account) to a cadre of the item's village: posted there on the day, holding a
published cell in it, or living in it. Every hand-over is audited.
"""

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import Cadre, CadreVillage, Followup, GridCell, GridPlan, Household, Village
from gridmgmt.db.queries import household_scope, posting_in_force
from gridmgmt.domain.followups import FollowupError, StateConflict
from gridmgmt.domain.permissions import Scope
from gridmgmt.domain.vocab import CADRE_ROLES
from gridmgmt.services.accounts.audit import Actor, record
from gridmgmt.services.followups.raising import FollowupNotFound


def _item(session: Session, followup_id: int, scope: Scope, lock: bool = False) -> Followup:
    query = (
        select(Followup)
        .join(Household, Followup.household_id == Household.id)
        .where(Followup.id == followup_id, *household_scope(scope))
    )
    item = session.scalar(query.with_for_update(of=Followup) if lock else query)
    if item is None:
        raise FollowupNotFound(followup_id)
    return item


def _of_village(village_id: int, day: date):
    """WHERE clause: the cadre is posted to VILLAGE_ID on DAY, holds a published cell in it, or lives in it."""
    posted = select(CadreVillage.cadre_id).where(CadreVillage.village_id == village_id, posting_in_force(day))
    held = (
        select(GridCell.grid_worker_id)
        .join(GridPlan, GridPlan.id == GridCell.plan_id)
        .where(GridCell.village_id == village_id, GridPlan.status == "published", GridPlan.archived_at.is_(None))
    )
    living = select(Household.id).where(Household.village_id == village_id)
    return or_(Cadre.id.in_(posted), Cadre.id.in_(held), Cadre.household_id.in_(living))


def _candidates(session: Session, item: Followup, scope: Scope, day: date) -> list[Cadre]:
    township = select(Village.township_id).where(Village.id == item.village_id).scalar_subquery()
    query = select(Cadre).where(Cadre.township_id == township).order_by(Cadre.name, Cadre.code)
    if scope.village_ids is not None:  # a village user: the item's village's cadres
        query = query.where(_of_village(item.village_id, day))
    return list(session.scalars(query))


def owner_choices(session: Session, followup_id: int, scope: Scope, day: date) -> list[dict]:
    """The cadres the follow-up may be handed to by a user of SCOPE on DAY: id, name, role, and
    whether they answer for it now (owner)."""
    item = _item(session, followup_id, scope)
    return [
        {
            "id": c.id,
            "name": c.name,
            "role": CADRE_ROLES.get(c.cadre_role, c.cadre_role),
            "owner": c.id == item.owner_id,
        }
        for c in _candidates(session, item, scope, day)
    ]


def reassign_followup(
    session: Session, followup_id: int, owner_id: int, version: int, scope: Scope, day: date, actor: Actor
) -> Followup:
    """Hand follow-up FOLLOWUP_ID (as the user saw it at VERSION) to cadre OWNER_ID; audited. Commits.

    Raises FollowupNotFound outside SCOPE, StateConflict when it is closed or changed since
    VERSION, FollowupError when the cadre may not take it (Chinese messages)."""
    item = _item(session, followup_id, scope, lock=True)
    if item.version != version:
        raise StateConflict("此事项已被他人更新，请刷新页面后再操作")
    if item.state == "closed":
        raise StateConflict("此事项已办结，不能改派")
    if item.owner_id == owner_id:
        raise FollowupError("此干部已是负责人")
    if owner_id not in {c.id for c in _candidates(session, item, scope, day)}:
        where = "本村" if scope.village_ids is not None else "本镇"
        raise FollowupError(f"只能改派给{where}的干部")
    before, item.owner_id = item.owner_id, owner_id
    record(session, actor, "reassign_followup", target=f"followup:{item.id}", detail={"from": before, "to": owner_id})
    session.commit()
    return item
