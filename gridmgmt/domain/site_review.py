"""The review record of a 党建示范点: status machine and the yearly timeline (002).

申报 → 初审 → 实地验收 → 授牌 (镇级/县级/市级, year) → yearly 复审: 保留 / 限期整改 / 摘牌.
No step is skipped and nothing is awarded without a site inspection; awarded sites
are re-reviewed every year (不搞终身制).
"""

from dataclasses import dataclass
from datetime import date

from gridmgmt.domain.errors import UserError

# Review step → (statuses it may start from, status it leads to, Chinese label).
# None as a start status means "not yet a demo_site".
STEPS: dict[str, tuple[frozenset, str, str]] = {
    "apply": (frozenset({None, "revoked"}), "applied", "申报"),
    "preliminary": (frozenset({"applied"}), "preliminary", "初审通过"),
    "inspect": (frozenset({"preliminary"}), "inspected", "实地验收通过"),
    "award": (frozenset({"inspected"}), "awarded", "授牌"),
    "keep": (frozenset({"awarded", "rectifying"}), "awarded", "复审：保留"),
    "rectify": (frozenset({"awarded"}), "rectifying", "复审：限期整改"),
    "revoke": (frozenset({"awarded", "rectifying"}), "revoked", "复审：摘牌"),
}
RE_REVIEW_STEPS = ("keep", "rectify", "revoke")
AWARD_LEVELS = {"township": "镇级", "county": "县级", "city": "市级"}
# Status → Chinese label of the step that reached it (for messages).
STEP_LABEL_OF_STATUS = {
    "applied": "申报",
    "preliminary": "初审",
    "inspected": "实地验收",
    "awarded": "授牌",
    "rectifying": "限期整改",
    "revoked": "摘牌",
}


class ReviewError(UserError, ValueError):
    """A review step that the rules do not allow; the message is Chinese."""


@dataclass(frozen=True)
class Decision:
    """A checked review step: the status change and what is recorded with it."""

    step: str
    from_status: str | None
    to_status: str
    year: int
    level: str | None = None


def decide(
    step: str,
    status: str | None,
    year: int,
    level: str | None = None,
    award_year: int | None = None,
    last_re_review_year: int | None = None,
) -> Decision:
    """Check STEP from STATUS in YEAR; raise ReviewError when the rules forbid it."""
    if step not in STEPS:
        raise ReviewError(f"未知的评审环节：{step}")
    starts, to_status, label = STEPS[step]
    if status not in starts:
        allowed = "、".join(STEP_LABEL_OF_STATUS.get(s, "未申报") for s in starts if s)
        now = STEP_LABEL_OF_STATUS.get(status, "未申报")
        raise ReviewError(f"当前状态为“{now}”，不能进行“{label}”" + (f"（需先完成：{allowed}）" if allowed else ""))
    if step == "award":
        if level not in AWARD_LEVELS:
            raise ReviewError("授牌须注明级别：镇级、县级或市级")
        return Decision(step, status, to_status, year, level)
    if step in RE_REVIEW_STEPS:
        if award_year is not None and year <= award_year:
            raise ReviewError(f"{award_year}年授牌的示范点从{award_year + 1}年起复审")
        if last_re_review_year == year:
            raise ReviewError(f"{year}年已复审，每年复审一次")
    return Decision(step, status, to_status, year)


@dataclass(frozen=True)
class Timeline:
    """Yearly deadlines (month, day): 动员部署 3月下旬前, 申报 6月上旬前, 验收 7月上旬前."""

    mobilise: tuple[int, int] = (3, 31)
    apply: tuple[int, int] = (6, 10)
    inspect: tuple[int, int] = (7, 10)
    # Remind this many days before a deadline.
    lead_days: int = 21


@dataclass(frozen=True)
class Reminder:
    """A line on the review page: 'due' before a deadline, 'overdue' after it."""

    kind: str
    phase: str
    deadline: date
    message: str
    site_ids: tuple[int, ...] = ()


def reminders(
    today: date, sites: dict[int, tuple[str, int | None, int | None]], timeline: Timeline = Timeline()
) -> list[Reminder]:
    """Reminders for TODAY; SITES maps site id → (status, award_year, last re-review year)."""
    year = today.year
    out = []

    def check(phase: str, month_day: tuple[int, int], ids: list[int], what: str, only_with_sites: bool = False) -> None:
        deadline = date(year, *month_day)
        days = (deadline - today).days
        if only_with_sites and not ids:
            return
        if days < 0 and ids:
            out.append(
                Reminder(
                    "overdue",
                    phase,
                    deadline,
                    f"{phase}已于{deadline:%m月%d日}截止，仍有{len(ids)}个示范点{what}",
                    tuple(ids),
                )
            )
        elif 0 <= days <= timeline.lead_days:
            tail = f"，{len(ids)}个示范点{what}" if ids else ""
            out.append(
                Reminder(
                    "due", phase, deadline, f"{phase}将于{deadline:%m月%d日}截止（还有{days}天）{tail}", tuple(ids)
                )
            )

    check("动员部署", timeline.mobilise, [], "")
    check("申报", timeline.apply, [], "")
    waiting = sorted(i for i, (s, _, _) in sites.items() if s in ("applied", "preliminary"))
    check("验收", timeline.inspect, waiting, "未完成初审或实地验收")
    due = sorted(
        i
        for i, (s, award, last) in sites.items()
        if s in ("awarded", "rectifying") and (award or year) < year and last != year
    )
    check("年度复审", timeline.inspect, due, "未复审", only_with_sites=True)
    return out
