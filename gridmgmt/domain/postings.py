"""Postings of cadres to villages (包村, 挂点, 第一书记, 驻村工作队), read with their dates, what each
village needs of them and the rules of resident postings.

Every village has a 包村 cadre; 脱贫村, 乡村振兴重点村 and 软弱涣散村 get a first secretary
(003 二.1, branch_rules.DESIGNATIONS). A posting holds from its start date to its end date, both
included; an empty date is open. An ended posting satisfies nothing: not 挂点, not 包村, not a first
secretary, not a duty. Sources: 003 二.1 (第一书记和工作队), 003 三.5 (在村工作).
"""

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta

from gridmgmt.domain.branch_rules import designations_of
from gridmgmt.domain.duties import add_years
from gridmgmt.domain.errors import UserError

NEEDS = {"bao_cun": "无包村干部", "first_secretary": "重点村未派第一书记"}
# 003“第一书记和工作队员任期两年”
RESIDENT_TERM_YEARS = 2
# 003“每月在村工作不少于 20 天”
DAYS_A_MONTH = 20
# 003“继续选派第一书记和工作队，队长由第一书记兼任，队员一般不少于 2 人”
WORK_TEAM_MIN = 2
# Days before a resident's term ends from which the reminder shows (two months to pick a successor).
REMIND_DAYS = 60
RESIDENT_ASSIGNMENTS = ("first_secretary", "work_team")


class PostingError(UserError, ValueError):
    """A posting that cannot be added or ended; the message is Chinese."""


@dataclass(frozen=True)
class PostingRules:
    """The thresholds of resident postings; the seeds fix the first three, the reminder is ours."""

    term_years: int = RESIDENT_TERM_YEARS
    days_a_month: int = DAYS_A_MONTH
    work_team_min: int = WORK_TEAM_MIN
    remind_days: int = REMIND_DAYS


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


def in_force(start: date | None, end: date | None, day: date) -> bool:
    """True when a posting from START to END (both included, None open) holds on DAY."""
    return (start is None or start <= day) and (end is None or end >= day)


def term_end(start: date, rules: PostingRules = PostingRules()) -> date:
    """The last day of a first secretary's or work-team member's term that began on START."""
    return add_years(start, rules.term_years) - timedelta(days=1)


def term_finding(start: date | None, end: date | None, day: date, rules: PostingRules = PostingRules()) -> str | None:
    """'term_over' when a resident posting still in force on DAY has outlived its term,
    'term_ending' when its term ends within the reminder days, None otherwise (or no start)."""
    if start is None or not in_force(start, end, day):
        return None
    last = term_end(start, rules)
    if last < day:
        return "term_over"
    return "term_ending" if (last - day).days < rules.remind_days else None


def month_of(day: date) -> tuple[date, date]:
    """First and last day of DAY's month."""
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def days_required(start: date | None, end: date | None, month: date, rules: PostingRules = PostingRules()) -> int:
    """Days in the village owed in MONTH's month by a posting from START to END: the full
    number for a whole month posted, in proportion (rounded up) for part of one."""
    first, last = month_of(month)
    begins, ends = max(first, start or first), min(last, end or last)
    if ends < begins:
        return 0
    share = ((ends - begins).days + 1) / ((last - first).days + 1)
    return math.ceil(rules.days_a_month * share - 1e-9)


def work_team_short(team: int, rules: PostingRules = PostingRules()) -> bool:
    """True when a 脱贫村's work team in force has fewer members than the rule asks."""
    return team < rules.work_team_min
