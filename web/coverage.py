"""The coverage page: a township's party organisation gaps on the map and in one table."""

from dataclasses import dataclass

from flask import Blueprint, render_template
from flask_login import current_user

from gridmgmt.config import get_settings
from gridmgmt.domain.wording import file_name, rule_titles
from gridmgmt.maps.coverage import PER_100_BANDS, add_coverage_overlays, focus, legend_entries, village_bounds
from gridmgmt.maps.township import render_parts
from gridmgmt.reports.coverage_tables import LABELS, RULE_COLUMNS, summary
from gridmgmt.services.coverage.layers import coverage_layers, gap_locations
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


@dataclass(frozen=True)
class Gap:
    """One row of the page's gap table."""

    rule: str
    village: str
    what: str
    detail: str
    where: tuple[float, float] | None


def _describe(rule: str, row) -> tuple[str, str]:
    """(what, detail) of a finding ROW: its name or code, and its other columns as text."""
    columns = RULE_COLUMNS[rule]
    what = row.get("name") if "name" in columns else row.get("code")
    rest = [c for c in columns if c not in ("village", "name", "code")]
    detail = "，".join(f"{LABELS[c]} {_plain(row.get(c))}" for c in rest if row.get(c) is not None)
    return str(what), detail


def _plain(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return f"{value:.0f}" if isinstance(value, float) else str(value)


def gaps(report, places: dict, village: str | None) -> list[Gap]:
    """Every finding as a table row, in RULES order; only VILLAGE's when given."""
    rows, titles = [], rule_titles(report.rules)
    for rule, frame in report.findings.items():
        for (_, row), where in zip(frame.iterrows(), places[rule]):
            name = row.get("village") if isinstance(row.get("village"), str) else ""
            if rule in ("blank_village", "village_uncovered", "first_secretary_missing", "work_team_short"):
                name = row.get("name")
            if village and name != village:
                continue
            rows.append(Gap(titles[rule], name, *_describe(rule, row.to_dict()), where))
    return rows


@bp.get("/townships/<code>/coverage")
@permission_required("view_coverage")
@accepts(query=CoverageQuery)
def page(code: str, query: CoverageQuery):
    """Coverage map and gap table of township CODE, optionally for one village (?village=名称)."""
    require_township(code)
    session = get_session()
    settings = get_settings()
    postings = VisitSettings.of(settings).postings
    report = township_coverage(session, code, coverage_rules(settings), day=settings.today(), postings=postings)
    layers, fmap = role_map(session, code)
    add_coverage_overlays(fmap, coverage_layers(session, report))
    village = query.village
    bounds = village_bounds(layers.villages, village)
    if bounds:
        focus(fmap, bounds)
    return render_template(
        "coverage/page.html",
        report=report,
        layers=layers,
        map=render_parts(fmap),
        map_name=fmap.get_name(),
        summary=summary(report),
        gaps=gaps(report, gap_locations(session, report), village),
        villages=report.villages.name.tolist(),
        village=village,
        bands=PER_100_BANDS,
        overlays=legend_entries(),
        unhelped=unhelped_households(
            session, code, current_user.role, current_scope(), current_actor(), settings.today()
        ),
    )


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
