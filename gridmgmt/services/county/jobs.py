"""The township commands a county run repeats (gridmgmt.services.county.runs): picklable, each
returns what it did in a few Chinese words."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from gridmgmt.domain.grid_rules import GridRules
from gridmgmt.services.accounts.actors import Actor
from gridmgmt.services.grids.allocation import allocate_township


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
