"""Briefing downloads: a map of a township as PNG, PDF or offline HTML, and the grid roster workbook."""

import tempfile
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template

from gridmgmt.domain.wording import file_name
from gridmgmt.maps.kinds import KINDS
from gridmgmt.maps.static.page import Page
from gridmgmt.services.briefing.exports import MAP_FORMATS, export_map
from gridmgmt.services.briefing.roster import NoPlan, grid_roster
from web.auth import current_actor, current_scope, permission_required, require_township
from web.db import get_session
from web.downloads import attachment
from web.inputs import MapQuery
from web.params import accepts
from web.visits import visit_settings

bp = Blueprint("exports", __name__)
MIMETYPES = {
    "png": "image/png",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@bp.get("/townships/<code>/maps/<kind>.<fmt>")
@permission_required("export_maps")
@accepts(query=MapQuery)
def download_map(code: str, kind: str, fmt: str, query: MapQuery):
    """Map KIND of township CODE as a file; ?paper=A4|A3&orientation=portrait|landscape."""
    require_township(code)
    if kind not in KINDS or fmt not in MAP_FORMATS:
        abort(404)
    page = Page(**query.model_dump(exclude_none=True))
    filename = f"{code}-{KINDS[kind].label}.{fmt}"
    with tempfile.TemporaryDirectory() as folder:
        path = export_map(
            get_session(),
            kind,
            code,
            fmt,
            Path(folder) / filename,
            page,
            current_actor(),
            households=current_scope().households,
            node_modules=current_app.config["NODE_MODULES"],
            visits=visit_settings(),
        )
        content = path.read_bytes()
    return attachment(content, MIMETYPES[fmt], filename)


@bp.get("/townships/<code>/grid-roster.xlsx")
@permission_required("export_maps")
def download_roster(code: str):
    """The grid roster (网格花名册) of township CODE's newest published plan, else its newest plan."""
    require_township(code)
    try:
        content = grid_roster(get_session(), code, current_actor())
    except NoPlan as missing:
        return render_template("error.html", message=str(missing)), 409
    return attachment(content, MIMETYPES["xlsx"], file_name("grid_roster", code, ext="xlsx"))
