"""Postings of cadres to villages (包村, 挂点, 第一书记, 驻村工作队) and what each village needs of them.

Every village has a 包村 cadre; 脱贫村, 乡村振兴重点村 and 软弱涣散村 get a first secretary
(003 二.1, branch_rules.DESIGNATIONS). A posting holds from its first day to its last, both
included; an empty end leaves it open.
"""

from datetime import date

from gridmgmt.domain.branch_rules import designations_of
from gridmgmt.domain.errors import UserError

NEEDS = {"bao_cun": "无包村干部", "first_secretary": "重点村未派第一书记"}


class PostingError(UserError, ValueError):
    """A posting that cannot be added or ended; the message is Chinese."""


def posting_code(cadre_code: str, village_code: str, kind: str, start: date | None) -> str:
    """The code naming a posting when none is given: who, where, which kind, from when."""
    return f"{cadre_code}-{village_code}-{kind}-{start.isoformat() if start else '起始未定'}"


def check_dates(start: date | None, end: date | None) -> None:
    """PostingError when END falls before START."""
    if start is not None and end is not None and end < start:
        raise PostingError(f"结束日期 {end} 早于开始日期 {start}")


def village_needs(flags: dict[str, bool], kinds: set[str]) -> list[str]:
    """What a village with designation FLAGS and postings of KINDS in force lacks (Chinese labels)."""
    missing = [] if "bao_cun" in kinds else [NEEDS["bao_cun"]]
    if designations_of(flags) and "first_secretary" not in kinds:
        missing.append(NEEDS["first_secretary"])
    return missing
