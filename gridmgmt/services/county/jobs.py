"""The township commands a county run repeats (gridmgmt.services.county.runs): picklable, each
returns what it did in a few Chinese words for the progress line."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from gridmgmt.domain.branch_rules import CoverageRules
from gridmgmt.domain.duties import DutyError
from gridmgmt.domain.errors import UserError
from gridmgmt.domain.grid_rules import GridRules
from gridmgmt.domain.postings import PostingRules
from gridmgmt.services.accounts.actors import Actor
from gridmgmt.services.coverage.report import township_coverage
from gridmgmt.services.grids.allocation import allocate_township
from gridmgmt.services.visits.compliance import township_compliance
from gridmgmt.services.visits.desk import visit_totals
from gridmgmt.services.visits.settings import VisitSettings

# The coverage findings a county compares first; the others are counted together.
HEADLINE_FINDINGS = {"blank_group": "空白组", "blank_village": "空白村"}


@dataclass(frozen=True)
class Allocate:
    """Allocate a township into a new draft plan NAME under RULES, audited as ACTOR's."""

    name: str
    rules: GridRules
    actor: Actor

    def __call__(self, session: Session, code: str) -> str:
        """Allocate township CODE (commits); «76 个网格（方案 12）»."""
        report = allocate_township(session, code, self.name, self.rules, actor=self.actor)
        return f"{report.cells} 个网格（方案 {report.plan_id}）"


@dataclass(frozen=True)
class Coverage:
    """A township's party organisation coverage on DAY under RULES (reads only; no names leave it)."""

    rules: CoverageRules
    with_reach: bool
    day: date
    postings: PostingRules

    def __call__(self, session: Session, code: str) -> str:
        """«9876 户，党员 812 名（每百户 8.2 名）；空白组 3 个，空白村 0 个，其他问题 14 项»."""
        report = township_coverage(session, code, self.rules, self.with_reach, day=self.day, postings=self.postings)
        counts = {rule: len(rows) for rule, rows in report.findings.items()}
        headline = "，".join(f"{label} {counts.get(rule, 0)} 个" for rule, label in HEADLINE_FINDINGS.items())
        others = sum(n for rule, n in counts.items() if rule not in HEADLINE_FINDINGS)
        town = report.township
        return (
            f"{town['households']} 户，党员 {town['members']} 名（每百户 {town['per_100']:.1f} 名）；"
            f"{headline}，其他问题 {others} 项"
        )


@dataclass(frozen=True)
class Compliance:
    """A township's visit duties on DAY (四必到四必访; reads only)."""

    day: date
    settings: VisitSettings

    def __call__(self, session: Session, code: str) -> str:
        """«走访 812/1020 项已完成（79.6%），逾期 31 项»."""
        try:
            # Only the three totals are printed: no summary by duty, village and cadre.
            done, overdue, total = visit_totals(township_compliance(session, code, self.day, self.settings).status)
        except DutyError as exc:  # a stored duty the rules refuse: that township's reason
            raise UserError(str(exc)) from exc
        rate = f"{done / total:.1%}" if total else "无应走访对象"
        return f"走访 {done}/{total} 项已完成（{rate}），逾期 {overdue} 项"
