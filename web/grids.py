"""网格化 pages: a township's plans, the planner's editor, two plans compared on a map."""
import time

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from gridmgmt.domain.grid_rules import GridError, GridRules
from gridmgmt.services.grid_views import diff_view, plan_row, township_plans
from gridmgmt.services.grids import allocate_township, plan_rules
from web.auth import permission_required, require_township
from web.db import get_session

bp = Blueprint("grids", __name__)


def plan_or_404(plan_id: int):
    """The plan and its township code; 404 when unknown, 403 outside the user's township."""
    try:
        plan, township = plan_row(get_session(), plan_id)
    except GridError:
        abort(404)
    require_township(township)
    return plan, township


@bp.get("/townships/<code>/grids")
@permission_required("edit_grids")
def index(code: str):
    """The township's plans, a form to allocate a new one and one to compare two."""
    require_township(code)
    return render_template("grids/index.html", code=code, plans=township_plans(get_session(), code),
                           rules=GridRules())


def _float(name: str, default: float) -> float:
    value = request.form.get(name, "").strip()
    return float(value) if value else default


@bp.post("/townships/<code>/grids")
@permission_required("edit_grids")
def allocate(code: str):
    """Allocate every village of the township into a new draft plan (one click)."""
    require_township(code)
    try:
        default = GridRules()
        rules = GridRules(target=_float("target", default.target), min_workload=_float("min", default.min_workload),
                          max_workload=_float("max", default.max_workload),
                          must_visit_extra=_float("must_visit_extra", default.must_visit_extra),
                          tolerance=_float("tolerance", default.tolerance))
        report = allocate_township(get_session(), code, request.form.get("name") or
                                   time.strftime("自动划分 %Y-%m-%d %H:%M"), rules)
    except ValueError as exc:  # GridError is a ValueError; so is a number typed wrong
        flash(str(exc) if isinstance(exc, GridError) else "目标、下限、上限、加权和容差须为数字", "error")
        return redirect(url_for("grids.index", code=code))
    flash(f"已生成方案 {report.plan_id}：{report.cells} 个网格，最大偏离本村目标 "
          f"{report.quality.worst_deviation:.0%}", "info")
    return redirect(url_for("grids.editor", plan_id=report.plan_id))


@bp.get("/grids/<int:plan_id>")
@permission_required("edit_grids")
def editor(plan_id: int):
    """The plan and its rules, on the map with live metrics and the editing tools (drafts only)."""
    plan, township = plan_or_404(plan_id)
    return render_template("grids/editor.html", plan=plan, township=township, rules=plan_rules(plan))


@bp.get("/grids/compare")
@permission_required("edit_grids")
def compare():
    """Households that change cell from plan ?a= to plan ?b=, on a map and in a table."""
    a, b = request.args.get("a", type=int), request.args.get("b", type=int)
    if a is None or b is None:
        abort(404)
    (plan, township), (other, other_township) = plan_or_404(a), plan_or_404(b)
    if other_township != township:
        abort(404)
    view = diff_view(get_session(), plan.id, other.id)
    return render_template("grids/diff.html", plan=plan, other=other, township=township, view=view)
