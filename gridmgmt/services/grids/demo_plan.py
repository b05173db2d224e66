"""The demo township's grid plan, allocated, staffed and published, so the demo has grids from the start."""

from collections.abc import Callable

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import GridPlan, Township
from gridmgmt.domain.grid_rules import GridRules, redraw_refusal
from gridmgmt.services.accounts.actors import Actor
from gridmgmt.services.grids.allocation import allocate_township
from gridmgmt.services.grids.assignment import assign
from gridmgmt.services.grids.plans import publish
from gridmgmt.services.grids.redraw import redraw_outlines

DEMO_PLAN_NAME = "演示方案（自动划分）"


def ensure_demo_plan(
    session: Session, township_code: str, *, actor: Actor, say: Callable[[str], None] = lambda _: None
) -> GridPlan | None:
    """Allocate TOWNSHIP_CODE under the default rules, assign workers and 联户 members and publish, each step
    audited as ACTOR's and committed as a planner would; None when the township is not loaded or has any
    plan already (a planner's work is never replaced; the demo's own plan drawn the old way is redrawn)."""
    township = session.scalar(select(Township.id).where(Township.code == township_code))
    if township is None:
        say(f"数据库中没有演示乡镇 {township_code}，不生成网格方案")
        return None
    if session.scalar(select(exists().where(GridPlan.township_id == township))):
        say("演示乡镇已有网格方案，不再自动生成")
        _redraw_old_demo_plans(session, township, actor, say)
        return None
    report = allocate_township(session, township_code, DEMO_PLAN_NAME, GridRules(), actor=actor)
    say(f"网格方案 {report.plan_id}：{report.cells} 个网格，{len(report.splits)} 个村民小组拆分（原因见方案页）")
    staffed = assign(session, report.plan_id, actor=actor)
    say(
        f"网格员：{staffed.workers_assigned}/{staffed.cells} 个网格已配；"
        f"联户党员：{staffed.households_linked}/{staffed.households} 户已配"
    )
    # A cell no worker lives near is the planner's to staff; the demo still shows every grid.
    plan = publish(session, report.plan_id, allow_no_worker=True, actor=actor)
    say(f"方案 {plan.id}“{plan.name}”已发布：每户已归入网格")
    return plan


def _redraw_old_demo_plans(session: Session, township: int, actor: Actor, say: Callable[[str], None]) -> None:
    """The demo's own plans drawn before cells followed the 村民小组 lines are drawn again; a planner's are
    left to the planner (the plan page offers it)."""
    plans = session.execute(
        select(GridPlan.id, GridPlan.outlines, GridPlan.status).where(
            GridPlan.township_id == township, GridPlan.name == DEMO_PLAN_NAME
        )
    ).all()
    for plan_id in [plan.id for plan in plans if redraw_refusal(*plan) is None]:
        cells = redraw_outlines(session, plan_id, actor=actor)
        say(f"演示方案 {plan_id} 的 {cells} 个网格已沿村民小组界线重画边界（农户所属网格不变）")
