"""组织生活 (三会一课 and 主题党日): what a branch and its 党小组 must hold, and whether they did in a period.

002 第一篇 二(三)1「一般每季度召开 1 次党员大会、每月至少召开 1 次支部委会会议、每月至少组织召开 1 次党小组会议，
每季度为党员上 1 次党课」and 二(三)3「每月相对固定 1 天开展主题党日」; 000 三.2 says the same
(「每月召开一次党支部委员会和党小组会」). A branch without a committee (under 7 full members,
002 二(二)4) holds no 支委会; a branch without 党小组 owes no 党小组会, and each 党小组 owes its own.
The 示范点 review uses these gaps as one of the four 创建标准 (002; gridmgmt.domain.site_standards).
"""

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

MEETING_TYPES = {
    "general_meeting": "党员大会",
    "committee_meeting": "支委会",
    "group_meeting": "党小组会",
    "theme_day": "主题党日",
    "party_lecture": "党课",
}
# Held by a 党小组 (recorded on the group), not by the branch itself.
GROUP_MEETING = "group_meeting"
# 002 二(三)1「每季度召开 1 次党员大会、每月至少召开 1 次支部委会会议、每月至少组织召开 1 次党小组会议，每季度为党员上 1 次党课」.
# 002 二(三)3「每月相对固定 1 天开展主题党日」.
FREQUENCY = {
    "general_meeting": "quarter",
    "committee_meeting": "month",
    "group_meeting": "month",
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
    """The meeting types a branch must hold itself: 支委会 only where it has a committee (党小组会 are its groups')."""
    return [t for t in MEETING_TYPES if t != GROUP_MEETING and (has_committee or t != "committee_meeting")]


def _missed(kind: str, days: Iterable[date], start: date, end: date) -> list[date]:
    """First days of the months or quarters (KIND's FREQUENCY) wholly in START..END with none of DAYS."""
    days = list(days)
    return [
        first for first, last in periods_in(start, end, FREQUENCY[kind]) if not any(first <= d <= last for d in days)
    ]


def group_gaps(group: str, days: Iterable[date], start: date, end: date) -> list[tuple[str, date, str]]:
    """(党小组会, first day of the month, GROUP) of every month wholly in START..END in which 党小组
    GROUP held no 党小组会 (DAYS: the days it held one); 002 二(三)1「每月至少组织召开 1 次党小组会议」."""
    return [(GROUP_MEETING, first, group) for first in _missed(GROUP_MEETING, days, start, end)]


def org_life_gaps(
    meetings: Iterable[tuple[str, date]],
    start: date,
    end: date,
    has_committee: bool,
    groups: Mapping[str, Iterable[date]] | None = None,
) -> list[tuple[str, date, str]]:
    """(meeting type, first day of its month or quarter, 党小组 name or '') of every meeting a branch
    or one of its GROUPS (name → days of its 党小组会) failed to hold in START..END, given the branch's
    own MEETINGS as (type, date); only whole months and quarters count."""
    held = {}
    for kind, day in meetings:
        held.setdefault(kind, []).append(day)
    gaps = [
        (kind, first, "")
        for kind in required_types(has_committee)
        for first in _missed(kind, held.get(kind, ()), start, end)
    ]
    for group, days in (groups or {}).items():
        gaps += group_gaps(group, days, start, end)
    return sorted(gaps, key=lambda gap: (gap[1], list(MEETING_TYPES).index(gap[0]), gap[2]))


def org_life_met(
    meetings: Iterable[tuple[str, date]],
    start: date,
    end: date,
    has_committee: bool = True,
    groups: Mapping[str, Iterable[date]] | None = None,
) -> bool:
    """Whether a branch (and its GROUPS) held every meeting 三会一课 and 主题党日 ask in START..END."""
    return not org_life_gaps(meetings, start, end, has_committee, groups)


def period_label(kind: str, first: date, group: str = "") -> str:
    """'2026年7月主题党日', '2026年第3季度党课' or '2026年7月党小组会（第1党小组）' for a gap of KIND in
    the period starting FIRST (of 党小组 GROUP)."""
    when = f"{first.year}年{first.month}月" if FREQUENCY[kind] == "month" else quarter_label(first)
    return when + MEETING_TYPES[kind] + (f"（{group}）" if group else "")


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
