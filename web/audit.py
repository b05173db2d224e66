"""The audit log for admins: a paged, filtered table and CSV/XLSX exports."""
from flask import Blueprint, Response, abort, render_template, request

from gridmgmt.services.audit import ACTIONS, AuditFilter, audit_page, export_audit, parse_day
from web.auth import current_actor, permission_required
from web.db import get_session

bp = Blueprint("audit", __name__, url_prefix="/audit")
MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _filters() -> AuditFilter:
    """The filters from the query string; 400 with a Chinese message when a date is malformed."""
    try:
        since, until = parse_day(request.args.get("since")), parse_day(request.args.get("until"))
    except ValueError:
        abort(400, "日期格式应为 YYYY-MM-DD")
    return AuditFilter(actor=request.args.get("actor") or None,
                       action=request.args.get("action") or None, since=since, until=until)


@bp.get("")
@permission_required("view_audit")
def index():
    """Newest audit rows first, 50 a page, filtered by user, action and dates."""
    page = audit_page(get_session(), _filters(), request.args.get("page", 1, type=int))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("audit/index.html", page=page, actions=ACTIONS, args=args)


@bp.get("/export.<fmt>")
@permission_required("view_audit")
def export(fmt: str):
    """The filtered rows as a CSV or XLSX download (the export itself is audited)."""
    if fmt not in MIMETYPES:
        abort(404)
    data = export_audit(get_session(), _filters(), fmt, current_actor())
    return Response(data, mimetype=MIMETYPES[fmt],
                    headers={"Content-Disposition": f"attachment; filename=audit_log.{fmt}"})
