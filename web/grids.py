"""网格化 pages: a township's plans, the planner's editor, two plans compared on a map."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from gridmgmt.config import get_settings
from gridmgmt.domain.clock import local_now_text
from gridmgmt.domain.grid_rules import AUTO_PLAN_NAME, GridError, GridRules, redraw_refusal
from gridmgmt.domain.vocab import PLAN_OUTLINES
from gridmgmt.services.grids.allocation import allocate_township, plan_rules
from gridmgmt.services.grids.compare import diff_view
from gridmgmt.services.grids.views import plan_row, township_plans
from web.auth import current_actor, permission_required, require_township
from web.db import get_session
from web.inputs import AllocateForm, CompareQuery
from web.params import accepts

bp = Blueprint("grids", __name__)


def plan_or_404(plan_id: int):
    """The plan and its township code; 404 when unknown (PlanNotFound), 403 outside the user's township."""
    plan, township = plan_row(get_session(), plan_id)
    require_township(township)
    return plan, township


@bp.get("/townships/<code>/grids")
@permission_required("edit_grids")
def index(code: str):
    """The township's plans, a form to allocate a new one and one to compare two."""
    require_township(code)
    plans = township_plans(get_session(), code)
    return render_template("grids/index.html", code=code, plans=plans, rules=GridRules(), outlines=PLAN_OUTLINES)


@bp.post("/townships/<code>/grids")
@permission_required("edit_grids")
@accepts(form=AllocateForm)
def allocate(code: str, form: AllocateForm):
    """Allocate every village of the township into a new draft plan (one click)."""
    require_township(code)
    try:
        if form.problems:
            raise GridError("；".join(form.problems))
        rules = GridRules(**form.model_dump(exclude={"name"}))
        name = form.name or local_now_text(get_settings().timezone, AUTO_PLAN_NAME)
        report = allocate_township(get_session(), code, name, rules, actor=current_actor())
    except GridError as exc:
        flash(str(exc), "error")
        return redirect(url_for("grids.index", code=code))
    flash(
        f"已生成方案 {report.plan_id}：{report.cells} 个网格，最大偏离本村目标 {report.quality.worst_deviation:.0%}，"
        f"拆分村民小组 {len(report.splits)} 个（原因见方案页）",
        "info",
    )
    return redirect(url_for("grids.editor", plan_id=report.plan_id))


@bp.get("/grids/<int:plan_id>")
@permission_required("edit_grids")
def editor(plan_id: int):
    """The plan and its rules, on the map with live metrics and the editing tools (drafts only)."""
    plan, township = plan_or_404(plan_id)
    redrawable = redraw_refusal(plan.id, plan.outlines, plan.status) is None
    return render_template(
        "grids/editor.html", plan=plan, township=township, rules=plan_rules(plan), redrawable=redrawable
    )


@bp.get("/grids/compare")
@permission_required("edit_grids")
@accepts(query=CompareQuery)
def compare(query: CompareQuery):
    """Households that change cell from plan ?a= to plan ?b=, on a map and in a table."""
    if query.a is None or query.b is None:
        abort(404)
    (plan, township), (other, other_township) = plan_or_404(query.a), plan_or_404(query.b)
    if other_township != township:
        abort(404)
    view = diff_view(get_session(), plan.id, other.id)
    return render_template("grids/diff.html", plan=plan, other=other, township=township, view=view)
