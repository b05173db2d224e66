"""组织生活 (三会一课 and 主题党日): what a branch must hold, and whether it did in a period.

002 第一篇 二(三)1「一般每季度召开 1 次党员大会、每月至少召开 1 次支部委会会议……每季度为党员上 1 次党课」
and 二(三)3「每月相对固定 1 天开展主题党日」; 000 三.2 says the same. A branch without a
committee (under 7 full members, 002 二(二)4) holds no 支委会. The 示范点 review uses
org_life_met as one of the four 创建标准 (002).
"""

from collections.abc import Iterable
from datetime import date, timedelta

MEETING_TYPES = {
    "general_meeting": "党员大会",
    "committee_meeting": "支委会",
    "theme_day": "主题党日",
    "party_lecture": "党课",
}
# 002 二(三)1「每季度召开 1 次党员大会、每月至少召开 1 次支部委会会议……每季度为党员上 1 次党课」.
# 002 二(三)3「每月相对固定 1 天开展主题党日」.
FREQUENCY = {
    "general_meeting": "quarter",
    "committee_meeting": "month",
    "theme_day": "month",
    "party_lecture": "quarter",
}
MONTHS = {"month": 1, "quarter": 3}


def _next(first: date, months: int) -> date:
    """The first day MONTHS months after FIRST (a first of month)."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def periods_in(start: date, end: date, frequency: str) -> list[tuple[date, date]]:
    """(first, last day) of every calendar month or quarter (FREQUENCY) lying wholly in START..END."""
    months = MONTHS[frequency]
    first = date(start.year, start.month, 1)
    while (first.month - 1) % months:
        first = _next(first, 1)
    out = []
    while first <= end:
        last = _next(first, months) - timedelta(days=1)
        if first >= start and last <= end:
            out.append((first, last))
        first = _next(first, months)
    return out


def required_types(has_committee: bool) -> list[str]:
    """The meeting types a branch must hold: 支委会 only where it has a committee."""
    return [t for t in MEETING_TYPES if has_committee or t != "committee_meeting"]


def org_life_gaps(
    meetings: Iterable[tuple[str, date]], start: date, end: date, has_committee: bool
) -> list[tuple[str, date]]:
    """(meeting type, first day of its month or quarter) of every meeting a branch failed to hold
    in START..END, given its MEETINGS as (type, date); only whole months and quarters count."""
    held = {}
    for kind, day in meetings:
        held.setdefault(kind, []).append(day)
    gaps = []
    for kind in required_types(has_committee):
        for first, last in periods_in(start, end, FREQUENCY[kind]):
            if not any(first <= day <= last for day in held.get(kind, ())):
                gaps.append((kind, first))
    return sorted(gaps, key=lambda gap: (gap[1], list(MEETING_TYPES).index(gap[0])))


def org_life_met(meetings: Iterable[tuple[str, date]], start: date, end: date, has_committee: bool = True) -> bool:
    """Whether a branch held every meeting 三会一课 and 主题党日 ask in START..END (its MEETINGS as (type, date))."""
    return not org_life_gaps(meetings, start, end, has_committee)


def period_label(kind: str, first: date) -> str:
    """'2026年7月主题党日' or '2026年第3季度党课' for a gap of KIND in the period starting FIRST."""
    when = f"{first.year}年{first.month}月" if FREQUENCY[kind] == "month" else quarter_label(first)
    return when + MEETING_TYPES[kind]


def quarter_span(year: int, quarter: int) -> tuple[date, date]:
    """(first, last day) of QUARTER (1–4) of YEAR."""
    first = date(year, 3 * quarter - 2, 1)
    return first, _next(first, 3) - timedelta(days=1)


def last_whole_quarter(today: date) -> tuple[date, date]:
    """(first, last day) of the last calendar quarter that ended before TODAY."""
    return last_whole_quarters(today, 1)


def last_whole_quarters(today: date, count: int) -> tuple[date, date]:
    """(first, last day) of the COUNT calendar quarters that ended last before TODAY."""
    this = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return _next(this, -3 * count), this - timedelta(days=1)


def quarter_label(day: date) -> str:
    """'2026年第3季度' for the quarter DAY lies in."""
    return f"{day.year}年第{(day.month + 2) // 3}季度"
