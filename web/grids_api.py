"""The grid editor's JSON: the plan's data, and every edit (each validated, 409 when stale)."""
from flask import Blueprint, request

from gridmgmt.domain.grid_rules import GridError, StaleCell
from gridmgmt.services import grid_edits, grid_plans
from gridmgmt.services.grid_assignment import assign
from gridmgmt.services.grid_views import plan_view
from gridmgmt.services.grids import rebalance
from web import api
from web.auth import permission_required
from web.db import get_session
from web.grids import plan_or_404

bp = Blueprint("grids_api", __name__, url_prefix="/api/grids")
api.json_errors(bp, {GridError: 400})


@bp.errorhandler(StaleCell)
def _stale(error: StaleCell):
    # The editor highlights CHANGED (cell code → its version now, None when deleted).
    return {"error": {"code": "conflict", "message": str(error)}, "changed": error.changed}, 409


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise GridError("请求须为 JSON 对象")
    return body


def _seen(body: dict) -> dict[str, int]:
    seen = body.get("seen")
    if not isinstance(seen, dict) or not all(isinstance(v, int) for v in seen.values()):
        raise GridError("请求须带上所见网格的版本（seen）")
    return seen


def _text(body: dict, key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise GridError(f"缺少参数 {key}")
    return value


@bp.get("/<int:plan_id>")
@permission_required("edit_grids")
def data(plan_id: int):
    """The editor's data: the plan and its rules, cells with metrics, villages, the summary,
    households (no flags), groups."""
    plan, _ = plan_or_404(plan_id)
    view = plan_view(get_session(), plan.id)
    return {"plan": view.plan, "rules": view.rules.as_dict(), "cells": view.cells, "villages": view.villages,
            "summary": view.summary, "households": view.households, "groups": view.groups}


def _edit(plan_id: int, body: dict):
    """Run the edit named by the URL's action on PLAN_ID with BODY; the changed versions."""
    action, session = request.view_args["action"], get_session()
    if action == "move":
        codes = body.get("households")
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise GridError("请先选择要移动的农户")
        return grid_edits.move_households(session, plan_id, codes, _text(body, "to"), _seen(body))
    if action == "group":
        return grid_edits.move_group(session, plan_id, _text(body, "group"), _text(body, "to"), _seen(body))
    if action == "redraw":
        return grid_edits.redraw(session, plan_id, _text(body, "cell"), body.get("area"), _seen(body))
    if action == "split":
        return grid_edits.split_cell(session, plan_id, _text(body, "cell"), _seen(body))
    if action == "merge":
        return grid_edits.merge_cells(session, plan_id, _text(body, "keep"), _text(body, "other"), _seen(body))
    cell = _text(body, "cell")
    return grid_edits.set_locked(session, plan_id, cell, bool(body.get("locked")), _seen(body).get(cell, -1))


@bp.post("/<int:plan_id>/<any(move, group, redraw, split, merge, lock):action>")
@permission_required("edit_grids")
def edit(plan_id: int, action: str):
    """One edit of a draft plan; 400 with the Chinese reason when refused, 409 when stale."""
    plan, _ = plan_or_404(plan_id)
    return {"versions": _edit(plan.id, _body()).versions}


@bp.post("/<int:plan_id>/rebalance")
@permission_required("edit_grids")
def rebalance_plan(plan_id: int):
    """Re-allocate the draft plan around its locked cells."""
    plan, _ = plan_or_404(plan_id)
    report = rebalance(get_session(), plan.id)
    return {"cells": report.cells, "quality": report.quality.as_dict()}


@bp.post("/<int:plan_id>/assign")
@permission_required("edit_grids")
def assign_plan(plan_id: int):
    """Grid worker per cell and 联户 party member per household, by road distance."""
    plan, _ = plan_or_404(plan_id)
    report = assign(get_session(), plan.id)
    return {"workers_assigned": report.workers_assigned, "cells": report.cells, "no_worker": report.no_worker,
            "households_linked": report.households_linked, "households": report.households, "short": report.short}


@bp.post("/<int:plan_id>/publish")
@permission_required("edit_grids")
def publish(plan_id: int):
    """Publish the draft: every household's grid is set, the previous plan archived."""
    plan, _ = plan_or_404(plan_id)
    published = grid_plans.publish(get_session(), plan.id, bool(_body().get("allow_no_worker")))
    return {"id": published.id, "status": published.status}
