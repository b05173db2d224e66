"""The coverage page: a township's party organisation gaps as counts by rule, on the map and in lists."""

from flask import Blueprint, jsonify, render_template, url_for
from flask_login import current_user

from gridmgmt.config import get_settings
from gridmgmt.domain.branch_rules import HOUSEHOLD_RULES
from gridmgmt.domain.wording import file_name
from gridmgmt.maps.coverage import PER_100_BANDS, add_coverage_overlays, focus, legend_entries, village_bounds
from gridmgmt.maps.township import render_parts
from gridmgmt.readmodels import CoverageReport
from gridmgmt.services.coverage.layers import coverage_layers, far_households
from gridmgmt.services.coverage.problems import cards, problem_sections
from gridmgmt.services.coverage.report import township_coverage
from gridmgmt.services.coverage.settings import coverage_rules
from gridmgmt.services.coverage.workbook import export_coverage_workbook
from gridmgmt.services.orgs.pairings import unhelped_households
from gridmgmt.services.visits.settings import VisitSettings
from web.auth import current_actor, current_scope, permission_required, require_township
from web.db import get_session
from web.downloads import XLSX, attachment
from web.inputs import CoverageQuery
from web.pagemap import role_map
from web.params import accepts

bp = Blueprint("coverage", __name__)


def _report(code: str) -> CoverageReport:
    """The coverage report of township CODE under the configured rules, today."""
    require_township(code)
    settings = get_settings()
    postings = VisitSettings.of(settings).postings
    return township_coverage(get_session(), code, coverage_rules(settings), day=settings.today(), postings=postings)


@bp.get("/townships/<code>/coverage")
@permission_required("view_coverage")
@accepts(query=CoverageQuery)
def page(code: str, query: CoverageQuery):
    """Coverage map, cards and problems of township CODE, optionally for one village (?village=名称)
    and one rule (?rule=代码)."""
    session, village = get_session(), query.village
    report = _report(code)
    sections = problem_sections(session, report, village)
    layers, fmap = role_map(session, code, base_layers=True)
    far_url = url_for("coverage.far", code=code, village=village)
    add_coverage_overlays(fmap, coverage_layers(session, report), far_url)
    bounds = village_bounds(layers.villages, village)
    if bounds:
        focus(fmap, bounds)
    return render_template(
        "coverage/page.html",
        report=report,
        map=render_parts(fmap),
        map_name=fmap.get_name(),
        cards=cards(report, sections, village),
        sections=sections,
        rule=query.rule,
        villages=report.villages.name.tolist(),
        village=village,
        bands=PER_100_BANDS,
        overlays=legend_entries(),
        household_rules=HOUSEHOLD_RULES,
        unhelped=unhelped_households(
            session, code, current_user.role, current_scope(), current_actor(), get_settings().today()
        ),
    )


@bp.get("/townships/<code>/coverage/far.geojson")
@permission_required("view_coverage")
@accepts(query=CoverageQuery)
def far(code: str, query: CoverageQuery):
    """The households of township CODE beyond reach as GeoJSON points (code and why), for the
    coverage map from village zoom on; only VILLAGE's when given."""
    return jsonify(far_households(get_session(), _report(code), query.village))


@bp.get("/townships/<code>/coverage.xlsx")
@permission_required("view_coverage")
def workbook(code: str):
    """The coverage workbook of township CODE: one sheet per rule."""
    require_township(code)
    settings = get_settings()
    data = export_coverage_workbook(
        get_session(),
        code,
        current_actor(),
        rules=coverage_rules(settings),
        day=settings.today(),
        postings=VisitSettings.of(settings).postings,
    )
    return attachment(data, XLSX, file_name("coverage", code, ext="xlsx"))
