"""The 党建示范点 创建标准 as pass/fail rules (002): what a candidate or a site lacks, listed.

A venue meets 八有 (village and community venues) or 六有 (机关 and other units); only village
venues need 120 m²; every site states its theme and 亮点; candidates are grassroots 支部/总支;
each 党委 puts forward one new site a year; a branch held its 组织生活 (三会一课 and 主题党日,
gridmgmt.domain.org_life) over the review period. A site that lacks anything does not pass.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from gridmgmt.domain.branch_rules import BRANCH_TYPES
from gridmgmt.domain.org_life import last_whole_quarters, quarter_label
from gridmgmt.domain.vocab import DEMO_SITE_THEMES, EIGHT_HAVES, ORG_TYPES, SIX_HAVES

# Every venue item the standards know, 八有 and 六有 (their keys do not overlap).
ALL_HAVES = {**EIGHT_HAVES, **SIX_HAVES}


@dataclass(frozen=True)
class SiteStandard:
    """Who is held to which standard; every value can be overridden."""

    # 「村级活动场所不低于120m²」 (002 第一篇 二(一)): village venues only.
    min_venue_area_m2: float = 120.0
    area_fields: tuple[str, ...] = ("rural",)
    # 「达到…“八有”标准」 (002 第一篇 二(一)) for 村/社区; 机关 and other units 「达到“六有”标准」 (002 第四篇 三(三)).
    eight_have_fields: tuple[str, ...] = ("rural", "community")
    # 「选择一个条件较为成熟基层支部」 (002 第二篇 二): grassroots 党支部 and 党总支, never a 党委 or 党小组.
    candidate_types: tuple[str, ...] = ("branch", "general_branch")
    # 「每个党委选择一个…列为()年党建示范点」 (002 第二篇 二): new sites a year per parent 党委; None: no limit.
    per_committee: int | None = 1
    # 「组织生活严肃规范」 (002 第一篇 二(三)) is one of the four 创建标准: the (first, last day) over
    # which a branch's 三会一课 and 主题党日 are checked; None: not checked (no review date given).
    org_life_period: tuple[date, date] | None = None
    # The orgs that hold 三会一课 themselves, as the 组织生活 page tracks them.
    org_life_types: tuple[str, ...] = BRANCH_TYPES


# 复审 is yearly (002 第三篇): 组织生活 is reviewed over the four whole quarters before the review.
ORG_LIFE_QUARTERS = 4


def org_life_review_period(today: date, quarters: int = ORG_LIFE_QUARTERS) -> tuple[date, date]:
    """The period whose 组织生活 a review on TODAY checks: the QUARTERS whole quarters before it."""
    return last_whole_quarters(today, quarters)


def org_life_shortfall(
    org_type: str, missed: Sequence[str] | None, standard: SiteStandard, shown: int = 3
) -> str | None:
    """「组织生活严肃规范」 (002 第一篇 二(三)1「运用“三会一课”等制度」): why an org of ORG_TYPE that
    missed the MISSED meetings (labels) in the standard's period fails, naming the first SHOWN; None
    when it missed none, is not held to it, or no period is set."""
    period = standard.org_life_period
    if period is None or org_type not in standard.org_life_types or not missed:
        return None
    more = f"等{len(missed)}次" if len(missed) > shown else ""
    first, last = quarter_label(period[0]), quarter_label(period[1])
    span = first if first == last else f"{first}至{last}"
    return f"组织生活未达标（{span}）：缺{'、'.join(missed[:shown])}{more}"


def venue_standard(field: str, standard: SiteStandard) -> tuple[str, dict[str, str]]:
    """The name and items of the venue standard an org of FIELD is held to: 八有 or 六有."""
    return ("八有", EIGHT_HAVES) if field in standard.eight_have_fields else ("六有", SIX_HAVES)


def venue_shortfalls(field: str, area_m2: float | None, haves, standard: SiteStandard) -> list[str]:
    """What a venue lacks against its standard (area, then missing items), in Chinese; empty when it passes."""
    out = []
    if field in standard.area_fields and (area_m2 is None or area_m2 < standard.min_venue_area_m2):
        shown = "未登记" if area_m2 is None else f"{area_m2:g} m²"
        out.append(f"活动场所面积{shown}，低于{standard.min_venue_area_m2:g} m²")
    name, items = venue_standard(field, standard)
    missing = [label for key, label in items.items() if key not in haves]
    if missing:
        out.append(f"{name}缺：{'、'.join(missing)}")
    return out


def highlight_shortfalls(theme: str | None, highlight: str | None) -> list[str]:
    """「一支部一亮点」 (002 第一篇 一): the missing theme or 亮点 of a site, in Chinese."""
    out = []
    if theme not in DEMO_SITE_THEMES:
        out.append("未定示范主题")
    if not (highlight or "").strip():
        out.append("未写亮点（一支部一亮点）")
    return out


def not_grassroots(org_type: str, standard: SiteStandard) -> str | None:
    """Why an org of ORG_TYPE may not stand (it is a 党委 or 党小组), or None when it may."""
    if org_type in standard.candidate_types:
        return None
    allowed = "、".join(ORG_TYPES[t] for t in standard.candidate_types)
    return f"{ORG_TYPES.get(org_type, org_type)}不作为示范点候选（候选为基层{allowed}）"


def parent_committee(org_id: int, parents: dict[int, int | None], types: dict[int, str]) -> int | None:
    """The nearest 党委 above ORG_ID in the tree (PARENTS: id → parent id, TYPES: id → org type)."""
    seen = {org_id}
    up = parents.get(org_id)
    while up is not None and up not in seen:
        if types.get(up) == "party_committee":
            return up
        seen.add(up)
        up = parents.get(up)
    return None


def quota_breach(committee: str, year: int, taken: list[str], standard: SiteStandard) -> str | None:
    """Why one more site under COMMITTEE in YEAR breaks the per-党委 limit (TAKEN: those already
    put forward that year), or None when there is room."""
    limit = standard.per_committee
    if limit is None or len(taken) < limit:
        return None
    return f"{committee}{year}年已申报{'、'.join(taken)}，每个党委每年选择{limit}个基层支部"
