"""The coverage workbook as an export: built from the township's coverage report and audited."""

from sqlalchemy.orm import Session

from gridmgmt.domain.branch_rules import CoverageRules
from gridmgmt.domain.postings import PostingCheck
from gridmgmt.readmodels import CoverageReport
from gridmgmt.reports.coverage_workbook import coverage_workbook
from gridmgmt.reports.sheets import EXPORT_WORKBOOK
from gridmgmt.services.accounts.audit import Actor, record
from gridmgmt.services.coverage.report import township_coverage


def audited_coverage(
    session: Session,
    code: str,
    actor: Actor,
    fmt: str,
    postings: PostingCheck,
    with_reach: bool = True,
    rules: CoverageRules = CoverageRules(),
) -> CoverageReport:
    """Township CODE's coverage (it names cadres and party members) as an export in FMT: audited, committed."""
    report = township_coverage(session, code, rules, with_reach, postings=postings)
    record(
        session,
        actor,
        EXPORT_WORKBOOK,
        target=f"coverage-{code}.{fmt}",
        detail={"workbook": "coverage", "township": code, "reach": with_reach, "format": fmt},
    )
    session.commit()
    return report


def export_coverage_workbook(
    session: Session,
    code: str,
    actor: Actor,
    postings: PostingCheck,
    with_reach: bool = True,
    rules: CoverageRules = CoverageRules(),
) -> bytes:
    """The .xlsx bytes of township CODE's coverage; writes the audit row and commits."""
    return coverage_workbook(audited_coverage(session, code, actor, "xlsx", postings, with_reach, rules))
