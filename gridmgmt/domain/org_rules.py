"""Rules of party organisations and members: 换届, 转正, branches in firms, 流动党员, 一帮一.

Each rule quotes its seed in a comment; thresholds come from CoverageRules, whose
defaults the settings (GRIDMGMT_*) may change.
"""

from datetime import date, timedelta

# Org types that hold elections (a 党小组 does not; a 临时党支部 is appointed).
ELECTED_TYPES = ("party_committee", "general_branch", "branch")
# Statuses of a dated obligation: past its date, or within the reminder window.
DUE_STATUSES = {"overdue": "已逾期", "due_soon": "即将到期"}


def add_years(day: date, years: int) -> date:
    """DAY moved by YEARS calendar years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def due_status(due: date, today: date, warn_days: int) -> str | None:
    """'overdue' after DUE, 'due_soon' within WARN_DAYS before it, else None."""
    if today > due:
        return "overdue"
    return "due_soon" if today >= due - timedelta(days=warn_days) else None


# 001 §18「落实基层党组织按期换届提醒督促机制」: the next election falls a term after the last.
def election_due(elected_on: date, term_years: int) -> date:
    """The date an organisation elected on ELECTED_ON must hold its next 换届."""
    return add_years(elected_on, term_years)


# 党章 第七条「预备期为一年」(002 预备党员网上办理转正): 转正 falls due a year after joining.
def probation_due(joined_on: date) -> date:
    """The date a 预备党员 who joined on JOINED_ON is due for 转正."""
    return add_years(joined_on, 1)


# 党章 第三十条「有正式党员三人以上的，都应当成立党的基层组织」(001 §18 优化党组织设置).
def can_form_branch(full_members: int | None, min_full: int) -> bool | None:
    """Whether a firm or co-op has the full members for a branch of its own; None when unrecorded."""
    return None if full_members is None else full_members >= min_full


# 000 一.3「在具备单独建党支部条件的非公企业及时建立党组织，规模以上企业实现党组织100%覆盖」.
def firm_finding(kind: str, above_scale: bool, has_org: bool, full_members: int | None, min_full: int) -> str | None:
    """The rule a firm (kind enterprise) or co-op breaks: 'firm_without_org', 'coop_without_org' or None.

    A 规上 enterprise needs a party organisation whatever its members (a joint branch or an
    instructor when it has fewer than MIN_FULL); any other firm or co-op needs one once it
    could form its own branch, or while its members are unrecorded.
    """
    if has_org or not (above_scale and kind == "enterprise" or can_form_branch(full_members, min_full) is not False):
        return None
    return "firm_without_org" if kind == "enterprise" else "coop_without_org"


# 000 三.3「流动党员“离乡不离党”」: a member working away is not present in their group.
def present_in_group(is_mobile: bool, count_mobile: bool) -> bool:
    """Whether a member counts as present in the group where their household lies."""
    return count_mobile or not is_mobile


# 004 三(二)「组织引导有帮带能力的党员至少结对帮扶1户建档立卡贫困户」.
def capable_helper(status: str, is_mobile: bool, resident: bool, age: int | None, max_age: int) -> bool:
    """Whether a member is able to help a household: a full member living at home, not working
    away, of working age (at most MAX_AGE; unknown age counts as able)."""
    return status == "full" and resident and not is_mobile and (age is None or 18 <= age <= max_age)
