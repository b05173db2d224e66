"""The county briefing map as an export: the overview drawn by one figure on paper, audited."""

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from gridmgmt.domain.branch_rules import CoverageRules
from gridmgmt.domain.county import FIGURE_KEYS
from gridmgmt.maps.county import county_map_spec
from gridmgmt.maps.static import Page, render, save
from gridmgmt.services.accounts.actors import Actor, audited_file
from gridmgmt.services.county.overview import county_overview
from gridmgmt.services.visits.settings import VisitSettings


def export_county_map(
    session: Session,
    county: str,
    figure: str,
    fmt: str,
    path: Path,
    page: Page,
    actor: Actor,
    *,
    day: date,
    visits: VisitSettings,
    rules: CoverageRules = CoverageRules(),
) -> Path:
    """Write COUNTY's townships coloured by FIGURE on PAGE to PATH in FMT (png/pdf) and audit it."""
    spec = county_map_spec(county_overview(session, county, day, visits, rules), FIGURE_KEYS[figure])
    rendered = render(spec, page)
    detail = {"kind": "county", "county": county, "figure": figure, "format": fmt, "paper": page.paper}
    return audited_file(session, path, lambda p: save(rendered, p, fmt, spec.title), actor, detail)
