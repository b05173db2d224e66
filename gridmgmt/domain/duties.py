"""Visit duties (四必访, 包村走访, 三个走遍) as plain data, and the period arithmetic they use.

A duty says who visits (cadre roles or one named cadre), over what scope, which
targets (households, flagged households, village groups) and how often. The
defaults follow 000 三.1 and 003 三.5; the database holds the editable copy.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from gridmgmt.domain.vocab import CADRE_ROLES, EVENT_TYPES, MUST_VISIT_FLAGS

PERIODS = {
    "week": "每周",
    "month": "每月",
    "quarter": "每季度",
    "half_year": "每半年",
    "year": "每年",
    "term": "任期内",
}
SCOPES = {
    "posted_villages": "包村/驻村的村",
    "home_village": "本村（所在村）",
    "own_grid": "所管网格（无已发布网格时为所在村）",
    "township": "全镇",
}
TARGETS = {"households": "全部农户", "flagged_households": "必访户", "village_groups": "全部村民小组"}
# A township party committee sits for five years (the 2021 换届 onwards); configurable.
TERM_YEARS = 5
DEFAULT_TERM_START = date(2021, 10, 1)
# Hours to attend each 四必到 type: an emergency cannot wait a day, a grievance can wait two.
DEFAULT_ATTEND_HOURS = {"emergency": 2.0, "dispute": 24.0, "bereavement_hardship": 24.0, "grievance": 48.0}


class DutyError(ValueError):
    """A duty definition that cannot be followed; the message is Chinese."""


@dataclass(frozen=True)
class Duty:
    """Who visits which targets in what scope how often; `cadre_id` names one cadre."""

    code: str
    name: str
    scope: str
    target: str
    period: str
    cadre_roles: tuple[str, ...] = ()
    cadre_id: int | None = None
    flags: tuple[str, ...] = ()
    active: bool = True

    def __post_init__(self):
        check_duty(self)


def check_duty(duty: Duty) -> None:
    """Raise DutyError (Chinese) when DUTY uses unknown words or names nobody."""
    for value, allowed, what in (
        (duty.scope, SCOPES, "范围"),
        (duty.target, TARGETS, "对象"),
        (duty.period, PERIODS, "周期"),
    ):
        if value not in allowed:
            raise DutyError(f"未知{what} {value}；可选：{'、'.join(allowed)}")
    unknown = [r for r in duty.cadre_roles if r not in CADRE_ROLES]
    if unknown:
        raise DutyError(f"未知干部角色 {'、'.join(unknown)}；可选：{'、'.join(CADRE_ROLES)}")
    if not duty.cadre_roles and duty.cadre_id is None:
        raise DutyError(f"职责“{duty.name}”须指定干部类别或具体干部")
    bad_flags = [f for f in duty.flags if f not in MUST_VISIT_FLAGS]
    if bad_flags:
        raise DutyError(f"未知必访标记 {'、'.join(bad_flags)}")
    if duty.target == "flagged_households" and not duty.flags:
        raise DutyError(f"职责“{duty.name}”的对象为必访户，须指定至少一个必访标记")
    if duty.target != "flagged_households" and duty.flags:
        raise DutyError(f"职责“{duty.name}”的对象不是必访户，不能指定必访标记")


def per_person(duty: Duty) -> bool:
    """True when each responsible cadre must visit every target themselves (a 走遍 duty), False
    when one visit by any of them serves (四必访 flagged households are cared for, not walked)."""
    # 000 三.1“每名镇干部每年走遍包村的农户”: each cadre, not the cadres together.
    return duty.target != "flagged_households"


def binds(duty: Duty, cadre_role: str, cadre_id: int) -> bool:
    """True when active DUTY binds the cadre CADRE_ID of CADRE_ROLE, by role or by name."""
    return duty.active and (cadre_role in duty.cadre_roles or duty.cadre_id == cadre_id)


def covers_township(duties: list[Duty], cadre_role: str, cadre_id: int) -> bool:
    """True when one of the active DUTIES of scope 全镇 binds the cadre CADRE_ID of
    CADRE_ROLE (by role or by name): they answer for targets anywhere in their township."""
    return any(d.scope == "township" and binds(d, cadre_role, cadre_id) for d in duties)


DEFAULT_DUTIES = (
    Duty(
        "resident_quarterly",
        "第一书记、工作队每季度走访全部农户",
        "posted_villages",
        "households",
        "quarter",
        cadre_roles=("first_secretary", "work_team"),
    ),
    Duty(
        "bao_cun_yearly",
        "包村镇干部每年走访包村全部农户",
        "posted_villages",
        "households",
        "year",
        cadre_roles=("township_cadre",),
    ),
    Duty(
        "must_visit_monthly",
        "四必访：必访户每月走访",
        "own_grid",
        "flagged_households",
        "month",
        cadre_roles=("township_cadre", "village_secretary", "village_cadre", "grid_worker"),
        flags=tuple(MUST_VISIT_FLAGS),
    ),
    # The third 走遍 (000 三.1 三个走遍): the village party secretary walks every household of the village.
    Duty(
        "village_secretary_yearly",
        "三个走遍：村党组织书记每年走遍本村所有农户",
        "home_village",
        "households",
        "year",
        cadre_roles=("village_secretary",),
    ),
    Duty(
        "walk_groups_term",
        "三个走遍：镇党委书记任期内走遍所有村民小组",
        "township",
        "village_groups",
        "term",
        cadre_roles=("township_secretary",),
    ),
    Duty(
        "walk_hardship_term",
        "三个走遍：镇党委书记任期内走遍所有困难户",
        "township",
        "flagged_households",
        "term",
        cadre_roles=("township_secretary",),
        flags=("hardship",),
    ),
)
WALK_DUTIES = ("walk_groups_term", "walk_hardship_term")


@dataclass(frozen=True)
class Term:
    """The term of office that periods of kind "term" follow."""

    start: date = DEFAULT_TERM_START
    years: int = TERM_YEARS


def add_years(day: date, years: int) -> date:
    """DAY moved by YEARS; 29 February becomes 28 February in a common year."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


def period_bounds(period: str, day: date, term: Term = Term()) -> tuple[date, date]:
    """First and last day (inclusive) of the PERIOD that contains DAY; weeks run Monday to Sunday."""
    if period == "week":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    if period == "half_year":
        # 003“单位主要负责同志每半年至少到村调研指导1次”: January–June and July–December.
        return (
            (date(day.year, 1, 1), date(day.year, 6, 30))
            if day.month <= 6
            else (date(day.year, 7, 1), date(day.year, 12, 31))
        )
    if period == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if period == "quarter":
        first = 3 * ((day.month - 1) // 3) + 1
        last = first + 2
        return date(day.year, first, 1), date(day.year, last, calendar.monthrange(day.year, last)[1])
    if period == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if period == "term":
        k = (day.year - term.start.year) // term.years + 1
        while add_years(term.start, k * term.years) > day:
            k -= 1
        start = add_years(term.start, k * term.years)
        return start, add_years(term.start, (k + 1) * term.years) - timedelta(days=1)
    raise DutyError(f"未知周期 {period}；可选：{'、'.join(PERIODS)}")


def previous_period(period: str, day: date, term: Term = Term()) -> tuple[date, date]:
    """Bounds of the PERIOD just before the one containing DAY."""
    start, _ = period_bounds(period, day, term)
    return period_bounds(period, start - timedelta(days=1), term)


@dataclass(frozen=True)
class AttendRules:
    """Hours to attend each 四必到 event type: DEFAULT_ATTEND_HOURS, with the types in HOURS changed."""

    hours: dict[str, float] = field(default_factory=dict)

    def __post_init__(self):
        unknown = set(self.hours) - set(EVENT_TYPES)
        if unknown:
            raise DutyError(f"到场时限设置了未知事件类型 {'、'.join(sorted(unknown))}；可选：{'、'.join(EVENT_TYPES)}")

    def of(self, event_type: str) -> float:
        """The hours to attend an event of EVENT_TYPE."""
        return self.hours.get(event_type, DEFAULT_ATTEND_HOURS[event_type])

    def table(self) -> dict[str, float]:
        """Every event type's hours, in the order of EVENT_TYPES."""
        return {kind: self.of(kind) for kind in EVENT_TYPES}


def attend_by(event_type: str, reported_at: datetime, rules: AttendRules = AttendRules()) -> datetime:
    """The deadline to attend an event of EVENT_TYPE reported at REPORTED_AT."""
    if event_type not in EVENT_TYPES:
        raise DutyError(f"未知事件类型 {event_type}；可选：{'、'.join(EVENT_TYPES)}")
    hours = rules.of(event_type)
    if hours <= 0:
        raise DutyError(f"事件类型 {EVENT_TYPES[event_type]} 的到场时限须大于 0 小时")
    return reported_at + timedelta(hours=hours)
