"""驻村包村一览 (/townships/<code>/postings): who covers each village today, villages lacking a 包村
cadre or a first secretary highlighted; planners add and end postings here."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from gridmgmt.config import get_settings
from gridmgmt.domain.permissions import may
from gridmgmt.domain.postings import PostingError
from gridmgmt.domain.vocab import ASSIGNMENTS, CADRE_ROLES
from gridmgmt.services.postings.changes import NewPosting, add_posting, end_posting
from gridmgmt.services.postings.overview import postings_overview
from web.auth import current_actor, permission_required, require_township
from web.db import get_session
from web.inputs import EndPostingForm, PostingForm
from web.params import accepts

bp = Blueprint("postings", __name__)


@bp.get("/townships/<code>/postings")
@permission_required("view_coverage")
def page(code: str):
    """Every village with its postings in force today (and those to begin), what it lacks first."""
    require_township(code)
    overview = postings_overview(get_session(), code, get_settings().today())
    return render_template(
        "postings/page.html",
        overview=overview,
        kinds=ASSIGNMENTS,
        roles=CADRE_ROLES,
        can_edit=may(current_user.role, "edit_postings"),
    )


def _back(code: str, message: str | None, problem: str | None):
    flash(f"未保存：{problem}" if problem else message, "error" if problem else "info")
    return redirect(url_for("postings.page", code=code))


@bp.post("/townships/<code>/postings")
@permission_required("edit_postings")
@accepts(form=PostingForm)
def add(code: str, form: PostingForm):
    """Add a posting; refused with the reason (nothing written) when a rule is broken."""
    require_township(code)
    if form.problems:
        return _back(code, None, "；".join(form.problems))
    new = NewPosting(form.cadre, form.village, form.kind, form.start, form.end)
    try:
        posting = add_posting(get_session(), code, new, actor=current_actor())
    except PostingError as exc:
        return _back(code, None, str(exc))
    return _back(code, f"已添加：{posting.code}", None)


@bp.post("/townships/<code>/postings/<int:posting_id>/end")
@permission_required("edit_postings")
@accepts(form=EndPostingForm)
def end(code: str, posting_id: int, form: EndPostingForm):
    """End a posting on the given day (default today: it still holds today, not tomorrow)."""
    require_township(code)
    if form.problems:
        return _back(code, None, "；".join(form.problems))
    last = form.end or get_settings().today()
    try:
        posting = end_posting(get_session(), code, posting_id, last, actor=current_actor())
    except PostingError as exc:
        return _back(code, None, str(exc))
    return _back(code, f"已结束：{posting.code or posting.id}，最后一天 {last}", None)
