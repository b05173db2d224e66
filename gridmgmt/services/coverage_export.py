"""The coverage workbook as an export: built from the township's coverage report and audited."""
from sqlalchemy.orm import Session

from gridmgmt.domain.branch_rules import CoverageRules
from gridmgmt.reports.coverage_workbook import coverage_workbook
from gridmgmt.reports.sheets import EXPORT_WORKBOOK
from gridmgmt.services.audit import Actor, record
from gridmgmt.services.coverage import township_coverage



def export_coverage_workbook(session: Session, code: str, actor: Actor, with_reach: bool = True,
                             rules: CoverageRules = CoverageRules()) -> bytes:
    """The .xlsx bytes of township CODE's coverage; writes the audit row and commits."""
    data = coverage_workbook(township_coverage(session, code, rules, with_reach))
    record(session, actor, EXPORT_WORKBOOK, target=f"coverage-{code}.xlsx",
           detail={"workbook": "coverage", "township": code, "reach": with_reach})
    session.commit()
    return data
