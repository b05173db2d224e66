"""Rules of party organisation coverage as plain data and pure functions.

Sources: committee and 党小组 rules from 002 第一篇 二(二)3–4; no 空白村/空白组 from
004 三(一); 规模以上企业 party organisations from 000 一.3 and 001 §18; 挂点 from
001 §34; first secretaries from 003 二.1. Thresholds are defaults a caller may change.
"""

from dataclasses import dataclass

# Org types the branch rules apply to (a 党委/党总支 has its own rules).
BRANCH_TYPES = ("branch", "temporary_branch")
# Orgs whose venues serve residents (党群服务中心/活动场所); firm branches meet inside the firm.
RESIDENT_VENUE_FIELDS = ["rural", "community", "agency"]
# Cadre roles that make up the township leadership (镇领导班子), each 挂点 one village.
LEADER_ROLES = ("township_secretary", "township_leader")
# Village designations that call for a first secretary, with their labels.
DESIGNATIONS = {
    "is_poverty_alleviated": "脱贫村",
    "is_revitalization_focus": "乡村振兴重点村",
    "is_weak_org": "软弱涣散村",
}

# Every finding has a rule code; these are its Chinese titles (sheet names, table headings).
RULES = {
    "blank_group": "空白组（无党员的村民小组）",
    "blank_village": "空白村（无党员的行政村）",
    "committee_missing": "正式党员7人以上未设支委会",
    "committee_not_allowed": "正式党员不足7人却设支委会",
    "committee_size": "支委会人数不在3至5人",
    "split_needed": "应划分党小组",
    "firm_without_org": "企业未建党组织（规上或具备建支部条件）",
    "coop_without_org": "合作社未建党组织（可建支部或党员未登记）",
    "leader_posting": "镇领导班子成员挂点不是1个村",
    "village_uncovered": "行政村无镇干部包村/挂点",
    "first_secretary_missing": "重点村未派第一书记",
    "election_overdue": "党组织逾期未换届",
    "election_due": "党组织即将到期换届（提醒）",
    "election_unrecorded": "党组织未登记换届时间",
    "probation_overdue": "预备党员逾期未转正",
    "probation_due": "预备党员即将到期转正（提醒）",
    "org_life_missed": "组织生活未达标（上一季度）",
    "helper_unpaired": "有帮带能力未结对帮扶的党员",
    "work_team_short": "脱贫村驻村工作队员不足2人",
    "resident_term": "第一书记/工作队员任期将满或已满",
    "venue_far": "离党群服务中心/活动场所过远的农户",
    "member_far": "离党员户过远的农户",
}
# The coverage page's problem list, section by section: whole areas without members first,
# then the branches, the firms, the postings, the calendar, and the per-household distances last
# (they are the most numerous and the least structural).
RULE_SECTIONS = (
    ("空白组（空白村）", ("blank_group", "blank_village")),
    ("支委会", ("committee_missing", "committee_not_allowed", "committee_size")),
    ("党小组", ("split_needed",)),
    ("两新组织", ("firm_without_org", "coop_without_org")),
    (
        "挂点、第一书记与包村",
        ("leader_posting", "village_uncovered", "first_secretary_missing", "work_team_short", "resident_term"),
    ),
    (
        "换届、转正与组织生活",
        (
            "election_overdue",
            "election_due",
            "election_unrecorded",
            "probation_overdue",
            "probation_due",
            "org_life_missed",
            "helper_unpaired",
        ),
    ),
    ("距离过远的农户", ("venue_far", "member_far")),
)
# Rules whose rows are single households: counted by village and group rather than listed.
HOUSEHOLD_RULES = ("venue_far", "member_far")


@dataclass(frozen=True)
class CoverageRules:
    """Thresholds of the coverage rules; distances in metres along roads."""

    committee_from_full: int = 7  # full members from which a committee is required
    committee_min: int = 3
    committee_max: int = 5
    # 002 二(二)3 gives no number; its practice (肃宁: 10760 members in 1641 党小组) is
    # about 6–7 a group, so a branch of more than two groups' worth is split.
    split_above: int = 14  # members (full + probationary) above which 党小组 are needed
    # Members live apart when their homes form this many settlements or more: chains of
    # homes each within settlement_link_m of the next, of at least settlement_min members.
    dispersed_settlements: int = 3
    settlement_link_m: float = 700.0
    settlement_min: int = 3
    group_size: int = 7  # members per proposed 党小组, about
    venue_reach_m: float = 2000.0
    member_reach_m: float = 500.0
    off_network_m: float = 500.0  # farther than this from any road: straight-line, flagged
    count_mobile: bool = False  # 流动党员 working away count as present in their group
    term_years: int = 5  # 换届: years between elections of an org with no term of its own
    election_warn_days: int = 90  # 换届 reminder this many days before it falls due
    probation_warn_days: int = 30  # 转正 reminder this many days before it falls due
    branch_min_full: int = 3  # full members from which a firm or co-op can form its own branch
    helper_max_age: int = 65  # 一帮一: oldest member counted as able to help a household


def committee_finding(full_members: int, committee_size: int, rules: CoverageRules) -> str | None:
    """The committee rule a branch breaks (a RULES code), or None when it follows it."""
    if full_members >= rules.committee_from_full:
        if committee_size == 0:
            return "committee_missing"
        if not rules.committee_min <= committee_size <= rules.committee_max:
            return "committee_size"
        return None
    return "committee_not_allowed" if committee_size > 0 else None


def split_reasons(members: int, settlements: int, has_groups: bool, rules: CoverageRules) -> list[str]:
    """Why a branch without 党小组 should have them: 'size', 'dispersed'; [] when it need not."""
    if has_groups:
        return []
    reasons = []
    if members > rules.split_above:
        reasons.append("size")
    if settlements >= rules.dispersed_settlements:
        reasons.append("dispersed")
    return reasons


SPLIT_REASONS = {"size": "党员人数较多", "dispersed": "党员居住分散"}


def leader_posting_finding(villages_posted: int) -> str | None:
    """'leader_posting' unless a township leader 挂点 exactly one village."""
    return None if villages_posted == 1 else "leader_posting"


def designations_of(flags: dict[str, bool]) -> list[str]:
    """Chinese names of the designations a village carries (脱贫村 …)."""
    return [label for name, label in DESIGNATIONS.items() if flags.get(name)]
