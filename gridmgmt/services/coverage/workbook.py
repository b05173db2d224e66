"""The coverage workbook as an export: built from the township's coverage report and audited."""

from datetime import date

from sqlalchemy.orm import Session

from gridmgmt.domain.branch_rules import CoverageRules
from gridmgmt.domain.postings import PostingRules
from gridmgmt.domain.wording import file_name
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
    with_reach: bool = True,
    rules: CoverageRules = CoverageRules(),
    *,
    day: date,
    postings: PostingRules = PostingRules(),
) -> CoverageReport:
    """Township CODE's coverage on DAY (it names cadres and party members) as an export in FMT: audited,
    committed; resident postings are checked by POSTINGS."""
    report = township_coverage(session, code, rules, with_reach, day=day, postings=postings)
    record(
        session,
        actor,
        EXPORT_WORKBOOK,
        target=file_name("coverage", code, ext=fmt),
        detail={"workbook": "coverage", "township": code, "reach": with_reach, "format": fmt},
    )
    session.commit()
    return report


def export_coverage_workbook(
    session: Session,
    code: str,
    actor: Actor,
    with_reach: bool = True,
    rules: CoverageRules = CoverageRules(),
    *,
    day: date,
    postings: PostingRules = PostingRules(),
) -> bytes:
    """The .xlsx bytes of township CODE's coverage on DAY; writes the audit row and commits."""
    return coverage_workbook(
        audited_coverage(session, code, actor, "xlsx", with_reach, rules, day=day, postings=postings)
    )
