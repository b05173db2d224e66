"""A planner states why a draft plan splits a 村民小组 (001 §11: rural grids keep groups whole)."""

from sqlalchemy.orm import Session

from gridmgmt.domain.grid_rules import GridError
from gridmgmt.services.accounts.actors import Actor, record
from gridmgmt.services.grids.allocation import draft_plan, plan_rules, plan_target
from gridmgmt.services.grids.reasons import note_group_reason
from gridmgmt.services.grids.splits import group_splits


def explain_group_split(session: Session, plan_id: int, group_code: str, reason: str, *, actor: Actor) -> None:
    """Keep ACTOR's REASON why draft PLAN_ID splits village group GROUP_CODE; GridError when the plan
    keeps that group whole. Audited, commits."""
    plan = draft_plan(session, plan_id)
    if group_code not in {s.group_code for s in group_splits(session, plan, plan_rules(plan))}:
        raise GridError(f"本方案没有拆分村民小组 {group_code}，无需说明原因")
    note_group_reason(session, plan.id, group_code, reason, actor)
    record(session, actor, "edit_plan", plan_target(plan), {"edit": "split_reason", "group": group_code})
    session.commit()
