"""The grid editor's JSON: the plan's data, and every edit (each validated, 409 when stale)."""

from flask import Blueprint, request

from gridmgmt.domain.grid_alternatives import EditRefused
from gridmgmt.domain.grid_rules import GridError, StaleCell
from gridmgmt.network.roads import NoRoads
from gridmgmt.services.grids import edits as grid_edits
from gridmgmt.services.grids import plans as grid_plans
from gridmgmt.services.grids.assignment import assign
from gridmgmt.services.grids.explain import explain_group_split
from gridmgmt.services.grids.locks import plan_locks, unlock
from gridmgmt.services.grids.rebalance import preview_rebalance, rebalance
from gridmgmt.services.grids.redraw import redraw_outlines
from gridmgmt.services.grids.reshape import merge_cells, redivide_cells, split_cell
from gridmgmt.services.grids.views import edit_view, plan_view
from web import api
from web.auth import current_actor, permission_required
from web.db import get_session
from web.grids import plan_or_404
from web.inputs import EditBody, PublishBody, UnlockBody
from web.params import accepts

bp = Blueprint("grids_api", __name__, url_prefix="/api/grids")
api.json_errors(bp, {NoRoads: 409})  # a GridError is a UserError: web.errors answers it


@bp.errorhandler(StaleCell)
def _stale(error: StaleCell):
    # The editor highlights CHANGED (cell code → its version now, None when deleted).
    return {"error": {"code": "conflict", "message": str(error)}, "changed": error.changed}, 409


@bp.errorhandler(EditRefused)
def _refused(error: EditRefused):
    # The editor offers ALTERNATIVE (cells, into, text) as a button that runs it as a redivide.
    alternative = error.alternative.as_dict() if error.alternative else None
    return {"error": {"code": "bad_request", "message": str(error)}, "alternative": alternative}, 400


def _seen(body: EditBody) -> dict[str, int]:
    if body.seen is None:
        raise GridError("请求须带上所见网格的版本（seen）")
    return body.seen


def _text(body: EditBody, key: str) -> str:
    value = getattr(body, key)
    if not value:
        raise GridError(f"缺少参数 {key}")
    return value


@bp.get("/<int:plan_id>")
@permission_required("edit_grids")
def data(plan_id: int):
    """The editor's data: the plan and its rules, cells with metrics, villages, the summary,
    households (no flags), groups, and the groups the plan splits with their reasons."""
    plan, _ = plan_or_404(plan_id)
    view = plan_view(get_session(), plan.id)
    return {
        "plan": view.plan,
        "rules": view.rules.as_dict(),
        "cells": view.cells,
        "villages": view.villages,
        "summary": view.summary,
        "households": view.households,
        "groups": view.groups,
        "splits": view.splits,
        "cell_splits": view.cell_splits,
        "locks": plan_locks(get_session(), plan.id),
    }


def _edit(plan_id: int, body: EditBody):
    """Run the edit named by the URL's action on PLAN_ID with BODY; the changed versions."""
    action, session, actor = request.view_args["action"], get_session(), current_actor()
    if action == "move":
        if body.households is None:
            raise GridError("请先选择要移动的农户")
        return grid_edits.move_households(
            session, plan_id, body.households, _text(body, "to"), _seen(body), actor=actor
        )
    if action == "group":
        return grid_edits.move_group(
            session, plan_id, _text(body, "group"), _text(body, "to"), _seen(body), actor=actor
        )
    if action == "redraw":
        return grid_edits.redraw(session, plan_id, _text(body, "cell"), body.area, _seen(body), actor=actor)
    if action == "split":
        return split_cell(session, plan_id, _text(body, "cell"), _seen(body), actor=actor, reason=body.reason)
    if action == "merge":
        keep, other = _text(body, "keep"), _text(body, "other")
        return merge_cells(session, plan_id, keep, other, _seen(body), actor=actor)
    if action == "redivide":
        if not body.cells or body.into is None:
            raise GridError("请说明要重新划分的网格和划分个数")
        return redivide_cells(session, plan_id, body.cells, body.into, _seen(body), actor=actor)
    cell = _text(body, "cell")
    return grid_edits.set_locked(session, plan_id, cell, body.locked, _seen(body).get(cell, -1), actor=actor)


@bp.post("/<int:plan_id>/<any(move, group, redraw, split, merge, redivide, lock):action>")
@permission_required("edit_grids")
@accepts(body=EditBody)
def edit(plan_id: int, action: str, body: EditBody):
    """One edit of a draft plan: what it changed (cells, their households, the summary); 400 with
    the Chinese reason when refused, 409 when stale."""
    plan, _ = plan_or_404(plan_id)
    return edit_view(get_session(), plan.id, _edit(plan.id, body).versions)


@bp.post("/<int:plan_id>/reason")
@permission_required("edit_grids")
@accepts(body=EditBody)
def split_reason(plan_id: int, body: EditBody):
    """Keep the planner's reason why the draft plan splits the body's village group."""
    plan, _ = plan_or_404(plan_id)
    explain_group_split(get_session(), plan.id, _text(body, "group"), body.reason, actor=current_actor())
    return {"group": body.group, "reason": body.reason.strip()}


@bp.post("/<int:plan_id>/unlock")
@permission_required("edit_grids")
@accepts(body=UnlockBody)
def unlock_households(plan_id: int, body: UnlockBody):
    """Unlock the body's households (or every one) placed by hand in the draft plan."""
    plan, _ = plan_or_404(plan_id)
    if not body.every and body.households is None:
        raise GridError("请选择要解锁的农户，或选择全部解锁")
    count = unlock(get_session(), plan.id, None if body.every else body.households, actor=current_actor())
    return {"unlocked": count}


@bp.get("/<int:plan_id>/rebalance")
@permission_required("edit_grids")
def rebalance_preview(plan_id: int):
    """What rebalancing the draft plan would change (households moved, cells changed, cells
    kept); changes nothing."""
    plan, _ = plan_or_404(plan_id)
    return preview_rebalance(get_session(), plan.id).as_dict()


@bp.post("/<int:plan_id>/rebalance")
@permission_required("edit_grids")
def rebalance_plan(plan_id: int):
    """Re-allocate the draft plan around its locked cells and the households placed by hand."""
    plan, _ = plan_or_404(plan_id)
    report = rebalance(get_session(), plan.id, actor=current_actor())
    return {
        "cells": report.cells,
        "quality": report.quality.as_dict(),
        "splits": [split.as_dict() for split in report.splits],
    }


@bp.post("/<int:plan_id>/redraw-outlines")
@permission_required("edit_grids")
def redraw_plan_outlines(plan_id: int):
    """Draw the plan's cells again along the 村民小组 lines; no household changes cell."""
    plan, _ = plan_or_404(plan_id)
    return {"cells": redraw_outlines(get_session(), plan.id, actor=current_actor())}


@bp.post("/<int:plan_id>/assign")
@permission_required("edit_grids")
def assign_plan(plan_id: int):
    """Grid worker per cell and 联户 party member per household, by road distance."""
    plan, _ = plan_or_404(plan_id)
    report = assign(get_session(), plan.id, actor=current_actor())
    return {
        "workers_assigned": report.workers_assigned,
        "cells": report.cells,
        "no_worker": report.no_worker,
        "households_linked": report.households_linked,
        "households": report.households,
        "short": report.short,
        "shortfalls": report.shortfalls,
    }


@bp.post("/<int:plan_id>/publish")
@permission_required("edit_grids")
@accepts(body=PublishBody)
def publish(plan_id: int, body: PublishBody):
    """Publish the draft: every household's grid is set, the previous plan archived."""
    plan, _ = plan_or_404(plan_id)
    published = grid_plans.publish(get_session(), plan.id, body.allow_no_worker, actor=current_actor())
    return {"id": published.id, "status": published.status}
