"""The 示范点 创建标准 of seed 002 as pass/fail rules, one hand-checked case each."""

from dataclasses import replace
from datetime import date

import pytest

from gridmgmt.analysis.siting import Option, Rules, SelectionError, score, select_exact, select_greedy
from gridmgmt.domain.site_criteria import Candidate, SiteConfig
from gridmgmt.domain.site_review import Decision, ReviewError, decide, require_standard, undo
from gridmgmt.domain.site_standards import (
    SiteStandard,
    highlight_shortfalls,
    not_grassroots,
    org_life_review_period,
    org_life_shortfall,
    parent_committee,
    quota_breach,
    venue_shortfalls,
)
from gridmgmt.domain.vocab import EIGHT_HAVES, SIX_HAVES

EIGHT = frozenset(EIGHT_HAVES)
SIX = frozenset(SIX_HAVES)
STANDARD = SiteStandard()


def test_eight_haves_is_pass_fail_and_lists_what_is_missing():
    """002 第一篇 二(一) 「八有」: a village venue lacking any item fails, and the missing items are named."""
    assert venue_shortfalls("rural", 200.0, EIGHT, STANDARD) == []
    lacking = EIGHT - {"has_library", "has_notice_board"}
    assert venue_shortfalls("rural", 200.0, lacking, STANDARD) == ["八有缺：农家书屋、公开栏"]
    # Seven of eight is no softer than none: the candidate is excluded, with the reason.
    candidate = Candidate(1, "甲村党支部", "rural", 0, 0, 200.0, EIGHT - {"has_library"}, 10, 3, seat_road_m=1.0)
    assert score(candidate, SiteConfig()).excluded == ("八有缺：农家书屋",)


def test_venue_area_applies_to_village_venues_only():
    """002 第一篇 二(一) 「村级活动场所不低于120m²」: a rural venue under 120 m² fails; a firm's or an
    agency's small room does not fail for its size."""
    assert venue_shortfalls("rural", 119.0, EIGHT, STANDARD) == ["活动场所面积119 m²，低于120 m²"]
    assert venue_shortfalls("rural", None, EIGHT, STANDARD) == ["活动场所面积未登记，低于120 m²"]
    assert venue_shortfalls("enterprise", 60.0, SIX, STANDARD) == []
    assert venue_shortfalls("agency", 90.0, SIX, STANDARD) == []
    # The setting: communities may be held to it too.
    assert venue_shortfalls("community", 90.0, EIGHT, SiteStandard(area_fields=("rural", "community")))


def test_agencies_use_six_haves():
    """002 第四篇 三(三) 「党员活动阵地达到“六有”标准」: a 机关 venue is held to 六有, not 八有."""
    assert venue_shortfalls("agency", 90.0, SIX, STANDARD) == []
    assert venue_shortfalls("agency", 90.0, EIGHT, STANDARD) == [
        "六有缺：党旗及各项规章制度、桌椅、档案柜、档案资料、党员学习园地及党(政)务公开栏、电教设备、"
        "党报、党刊、电教片等学习资料"
    ]
    assert venue_shortfalls("agency", 90.0, SIX - {"has_av_equipment"}, STANDARD) == ["六有缺：电教设备"]


def test_a_theme_and_highlight_are_required():
    """002 第一篇 一 「一支部一亮点」: a site without its theme or 亮点 does not meet the standard."""
    assert highlight_shortfalls("industry", "辣椒产业党员示范田") == []
    assert highlight_shortfalls(None, "  ") == ["未定示范主题", "未写亮点（一支部一亮点）"]
    assert highlight_shortfalls("beauty", "x") == ["未定示范主题"]


def test_standard_is_checked_at_apply_award_and_keep():
    """002 第三篇 「对工作滑坡，不再符合示范点要求的…予以摘牌」: 申报, 授牌 and 复审保留 refuse a site that
    lacks the 创建标准, listing what it lacks; the other steps (限期整改 among them) do not."""
    for step in ("apply", "award", "keep"):
        with pytest.raises(ReviewError, match="不符合创建标准，不能.*：八有缺：农家书屋；未写亮点"):
            require_standard(step, ["八有缺：农家书屋", "未写亮点（一支部一亮点）"])
    for step in ("preliminary", "inspect", "rectify", "revoke", "return", "fail"):
        require_standard(step, ["八有缺：农家书屋"])
    require_standard("award", [])


def test_township_committee_is_no_candidate():
    """002 第二篇 二 「选择一个条件较为成熟基层支部」: candidates are grassroots 党支部/党总支; the
    township 党委 itself (and a 党小组) is excluded, with the reason."""
    assert not_grassroots("branch", STANDARD) is None
    assert not_grassroots("general_branch", STANDARD) is None
    assert not_grassroots("party_committee", STANDARD) == "党委不作为示范点候选（候选为基层党支部、党总支）"
    assert not_grassroots("party_group", STANDARD).startswith("党小组不作为")
    town = Candidate(1, "中共太溪镇委员会", "rural", 0, 0, 400.0, EIGHT, 30, 9, org_type="party_committee")
    assert score(replace(town, seat_road_m=10.0), SiteConfig()).excluded[0].startswith("党委不作为示范点候选")


def test_parent_committee_is_the_nearest_committee_above():
    """002 第二篇 二 「每个党委选择一个」: an org's 党委 is the nearest 党委 above it, through 党总支."""
    parents = {1: None, 2: 1, 3: 1, 4: 3, 5: 4, 6: 1}
    types = {1: "party_committee", 2: "branch", 3: "party_committee", 4: "general_branch", 5: "branch", 6: "branch"}
    assert parent_committee(2, parents, types) == 1
    assert parent_committee(5, parents, types) == 3
    assert parent_committee(1, parents, types) is None
    assert parent_committee(7, parents, types) is None


def test_one_new_site_per_committee_in_selection():
    """002 第二篇 二 「每个党委选择一个条件较为成熟基层支部」: at most one new site per parent 党委; an
    awarded (locked) site of an earlier year takes no slot."""
    options = [
        Option(1, 0, 0, "rural", None, 10, committee=100),
        Option(2, 5000, 0, "rural", None, 9, committee=100),
        Option(3, 9000, 0, "rural", None, 3, committee=200),
        Option(4, 20000, 0, "rural", None, 8, committee=100),
    ]
    rules = Rules(k=2, max_per_committee=1)
    assert select_exact(options, rules, 5, 1).ids == (1, 3)
    assert select_greedy(options, rules).ids == (1, 3)
    locked = Rules(k=3, max_per_committee=1, locked=frozenset({4}))
    assert select_exact(options, locked, 5, 1).ids == (1, 3, 4)
    assert select_greedy(options, locked).ids == (1, 3, 4)
    with pytest.raises(SelectionError, match="党委上限"):
        select_exact(options, Rules(k=3, max_per_committee=1), 5, 1)
    assert select_exact(options, Rules(k=3), 5, 1).ids == (1, 2, 4)  # the setting off: no limit


def test_one_application_per_committee_a_year():
    """002 第二篇 二 「每个党委选择一个…列为()年党建示范点」: a second application of the year under the
    same 党委 is refused, naming the first."""
    assert quota_breach("大山村党委", 2026, [], STANDARD) is None
    assert quota_breach("大山村党委", 2026, ["甲党支部"], STANDARD) == (
        "大山村党委2026年已申报甲党支部，每个党委每年选择1个基层支部"
    )
    assert quota_breach("大山村党委", 2026, ["甲党支部"], SiteStandard(per_committee=None)) is None


def test_return_and_fail_need_a_reason():
    """002 第三篇 「对推荐单位进行实地考核评定」: a reviewer may return (退回整改) or fail (不通过) a pending
    site, saying why; a returned or failed site may apply again."""
    assert decide("return", "preliminary", 2026, reason="公开栏未更新").to_status == "returned"
    assert decide("fail", "inspected", 2026, reason="场所挪作他用").to_status == "failed"
    for step in ("return", "fail"):
        with pytest.raises(ReviewError, match="须写明原因"):
            decide(step, "applied", 2026, reason=" ")
    with pytest.raises(ReviewError, match="不能进行“不通过”"):
        decide("fail", "awarded", 2026, reason="x")
    assert decide("apply", "returned", 2026).to_status == "applied"
    assert decide("apply", "failed", 2027).to_status == "applied"


def test_undo_goes_back_to_the_status_before_the_step():
    """002 第三篇 动态管理: a mistaken step is undone, with a reason, back to where it started; the
    first 申报 undone leaves the site withdrawn, which may apply again."""
    award = Decision("award", "inspected", "awarded", 2026, "county")
    assert undo("awarded", award, 2026, "误点授牌") == Decision("undo", "awarded", "inspected", 2026, "county")
    first = Decision("apply", None, "applied", 2026)
    assert undo("applied", first, 2026, "重复申报").to_status == "withdrawn"
    assert decide("apply", "withdrawn", 2026).to_status == "applied"
    with pytest.raises(ReviewError, match="须写明原因"):
        undo("awarded", award, 2026, "")
    with pytest.raises(ReviewError, match="没有可撤销"):
        undo("applied", None, 2026, "x")


def test_a_branch_that_missed_its_org_life_fails():
    """002 第一篇 二(三)「组织生活严肃规范」 (三会一课, 主题党日) is one of the four 创建标准: a branch that
    missed a meeting over the review period fails, the missed meetings named; the first three shown."""
    year = SiteStandard(org_life_period=(date(2025, 7, 1), date(2026, 6, 30)))
    assert org_life_shortfall("branch", [], year) is None
    assert org_life_shortfall("branch", ["2026年5月主题党日"], year) == (
        "组织生活未达标（2025年第3季度至2026年第2季度）：缺2026年5月主题党日"
    )
    missed = ["2025年第3季度党课", "2025年7月支委会", "2025年8月支委会", "2025年9月支委会"]
    assert org_life_shortfall("branch", missed, year) == (
        "组织生活未达标（2025年第3季度至2026年第2季度）：缺2025年第3季度党课、2025年7月支委会、2025年8月支委会等4次"
    )
    one_quarter = replace(year, org_life_period=(date(2026, 4, 1), date(2026, 6, 30)))
    assert org_life_shortfall("branch", ["2026年5月主题党日"], one_quarter).startswith(
        "组织生活未达标（2026年第2季度）"
    )
    # No review period set, or an org that does not hold 三会一课 itself (a 党委): not judged here.
    assert org_life_shortfall("branch", ["2026年5月主题党日"], STANDARD) is None
    assert org_life_shortfall("party_committee", ["2026年5月主题党日"], year) is None
    # The candidate is excluded with the reason.
    candidate = Candidate(1, "甲村党支部", "rural", 0, 0, 200.0, EIGHT, 10, 3, seat_road_m=1.0)
    assert score(replace(candidate, org_life_missed=("2026年5月主题党日",)), SiteConfig(standard=year)).excluded == (
        "组织生活未达标（2025年第3季度至2026年第2季度）：缺2026年5月主题党日",
    )
    assert score(candidate, SiteConfig(standard=year)).excluded == ()


def test_the_review_period_is_the_four_quarters_before_the_review():
    """002 第三篇 复审 is yearly: 组织生活 is checked over the four whole quarters before the review day."""
    assert org_life_review_period(date(2026, 7, 1)) == (date(2025, 7, 1), date(2026, 6, 30))
    assert org_life_review_period(date(2026, 2, 10)) == (date(2025, 1, 1), date(2025, 12, 31))
    assert org_life_review_period(date(2026, 2, 10), 1) == (date(2025, 10, 1), date(2025, 12, 31))
