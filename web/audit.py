"""The audit log for admins: a paged, filtered table and CSV/XLSX exports."""

from flask import Blueprint, abort, render_template, request

from gridmgmt.config import get_settings
from gridmgmt.domain.wording import file_name
from gridmgmt.services.accounts.audit import ACTIONS, AuditFilter, audit_page, export_audit
from web.auth import current_actor, permission_required
from web.db import get_session
from web.downloads import attachment
from web.inputs import AuditQuery
from web.params import accepts

bp = Blueprint("audit", __name__, url_prefix="/audit")
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _filters(query: AuditQuery) -> AuditFilter:
    """The filters of the checked query string."""
    return AuditFilter(get_settings().timezone, **query.model_dump(exclude={"page"}))


@bp.get("")
@permission_required("view_audit")
@accepts(query=AuditQuery)
def index(query: AuditQuery):
    """Newest audit rows first, 50 a page, filtered by user, action and dates."""
    page = audit_page(get_session(), _filters(query), query.page)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("audit/index.html", page=page, actions=ACTIONS, args=args)


@bp.get("/export.<fmt>")
@permission_required("view_audit")
@accepts(query=AuditQuery)
def export(fmt: str, query: AuditQuery):
    """The filtered rows as a CSV or XLSX download (the export itself is audited)."""
    if fmt not in MIMETYPES:
        abort(404)
    data = export_audit(get_session(), _filters(query), fmt, current_actor())
    return attachment(data, MIMETYPES[fmt], file_name("audit_log", ext=fmt))
