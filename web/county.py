"""The 县级总览 (/counties/<county>): a county's townships ranked on one figure, on a table and a map,
the same table as Excel and the map on paper (A3). County users open their own county, admins any; township users none."""

import tempfile
from pathlib import Path

from flask import Blueprint, render_template
from flask_login import current_user

from gridmgmt.config import get_settings
from gridmgmt.domain.county import FIGURE_KEYS, FIGURES, shading, worst_first
from gridmgmt.domain.permissions import may
from gridmgmt.domain.wording import file_name
from gridmgmt.maps.static.page import Page
from gridmgmt.readmodels import CountyOverview
from gridmgmt.services.county.briefing import export_county_map
from gridmgmt.services.county.overview import county_overview
from gridmgmt.services.county.workbook import export_county_workbook
from gridmgmt.services.coverage.settings import coverage_rules
from gridmgmt.services.visits.settings import VisitSettings
from web.auth import current_actor, permission_required, require_county
from web.db import get_session
from web.downloads import XLSX, attachment
from web.exports import MIMETYPES
from web.inputs import CountyMapQuery, CountyQuery
from web.params import accepts

bp = Blueprint("county", __name__)


def _settings() -> dict:
    """The day, visit settings and coverage rules the overview is made under."""
    settings = get_settings()
    return {"day": settings.today(), "visits": VisitSettings.of(settings), "rules": coverage_rules(settings)}


def _overview(county: str) -> CountyOverview:
    """COUNTY's overview today, once the current user may open it."""
    require_county(county)
    s = _settings()
    return county_overview(get_session(), county, s["day"], s["visits"], s["rules"])


@bp.get("/counties/<county>")
@permission_required("view_county")
@accepts(query=CountyQuery)
def show(county: str, query: CountyQuery):
    """The county's townships ranked by ?sort= (a figure), worst first, with the county map."""
    overview = _overview(county)
    # Each figure links to the township page that explains it, when the role may open that page.
    pages = {f.key: f.page for f in FIGURES if may(current_user.role, f.action)}
    return render_template(
        "county/show.html",
        overview=overview,
        rows=worst_first(overview.rows, query.sort),
        figures=FIGURES,
        sort=FIGURE_KEYS[query.sort],
        pages=pages,
        shadings=[{"key": f.key, "label": f.label, "worse": f.worse, **shading(overview.rows, f)} for f in FIGURES],
    )


@bp.get("/counties/<county>/map.<any(pdf, png):fmt>")
@permission_required("view_county")
@accepts(query=CountyMapQuery)
def print_map(county: str, fmt: str, query: CountyMapQuery):
    """The county briefing map: the townships coloured by ?figure= on A3 (?paper=, ?orientation=), audited."""
    require_county(county)
    page = Page(query.paper, query.orientation)
    filename = file_name("county_map", county, FIGURE_KEYS[query.figure].label, ext=fmt)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / filename
        export_county_map(get_session(), county, query.figure, fmt, path, page, current_actor(), **_settings())
        content = path.read_bytes()
    return attachment(content, MIMETYPES[fmt], filename)


@bp.get("/counties/<county>.xlsx")
@permission_required("view_county")
@accepts(query=CountyQuery)
def workbook(county: str, query: CountyQuery):
    """The same table as an Excel workbook, in the page's order (audited)."""
    require_county(county)
    data = export_county_workbook(get_session(), county, current_actor(), query.sort, **_settings())
    return attachment(data, XLSX, file_name("county", county, ext="xlsx"))
