"""The 县级总览 workbook as an export: the overview ranked by one figure, audited."""

from datetime import date

from sqlalchemy.orm import Session

from gridmgmt.domain.branch_rules import CoverageRules
from gridmgmt.domain.county import FIGURE_KEYS, worst_first
from gridmgmt.domain.wording import file_name
from gridmgmt.reports.county_workbook import county_workbook
from gridmgmt.reports.sheets import EXPORT_WORKBOOK
from gridmgmt.services.accounts.audit import Actor, record
from gridmgmt.services.county.overview import county_overview
from gridmgmt.services.visits.settings import VisitSettings


def export_county_workbook(
    session: Session,
    county: str,
    actor: Actor,
    sort: str,
    *,
    day: date,
    visits: VisitSettings,
    rules: CoverageRules = CoverageRules(),
) -> bytes:
    """The .xlsx bytes of COUNTY's overview on DAY ranked by SORT, worst first; writes the audit row and commits."""
    overview = county_overview(session, county, day, visits, rules)
    data = county_workbook(overview, worst_first(overview.rows, sort), FIGURE_KEYS[sort].label)
    record(
        session,
        actor,
        EXPORT_WORKBOOK,
        target=file_name("county", county, ext="xlsx"),
        detail={"workbook": "county", "county": county, "sort": sort},
    )
    session.commit()
    return data
