"""Scoring and selection of 党建示范点 on small hand-checked cases."""

from dataclasses import replace

import pytest

from gridmgmt.analysis.siting import (
    Option,
    Rules,
    SelectionError,
    close_pairs,
    most_sites,
    score,
    select_exact,
    select_greedy,
)
from gridmgmt.domain.site_criteria import Candidate, SiteConfig, in_corridor
from gridmgmt.domain.vocab import EIGHT_HAVES

ALL_HAVES = frozenset(EIGHT_HAVES)


def candidate(**kw) -> Candidate:
    base = {
        "party_org_id": 1,
        "name": "甲村党支部",
        "field": "rural",
        "x": 0.0,
        "y": 0.0,
        "venue_area_m2": 210.0,
        "haves": ALL_HAVES,
        "full_members": 15,
        "committee_size": 3,
        "road_m": {"county": 120.0, "village": 5.0},
        "seat_road_m": 2500.0,
        "catchment_households": 400,
    }
    return Candidate(**(base | kw))


def test_breakdown_is_hand_checked():
    s = score(candidate(is_contact_point=True), SiteConfig())
    # (210−120)/(300−120) × 10; corridor 20; (1 − 2500/10000) × 10;
    # contact point 15; 15/30 × 10; not on the main route. 八有 is pass/fail, not points.
    assert s.breakdown == {
        "venue_area": 5.0,
        "corridor": 20.0,
        "seat": 7.5,
        "contact_point": 15.0,
        "members": 5.0,
        "main_route": 0.0,
    }
    assert s.total == 52.5
    assert s.catchment_points == 4.0
    assert s.objective == 56.5
    assert s.excluded == ()


def test_corridor_membership_uses_buffer_and_classes():
    config = SiteConfig()
    assert in_corridor(candidate(road_m={"national": 300.0}), config)
    assert not in_corridor(candidate(road_m={"national": 300.5}), config)
    # A 乡道 right at the door is no corridor; the buffer is configurable.
    assert not in_corridor(candidate(road_m={"township": 1.0, "county": None}), config)
    assert in_corridor(candidate(road_m={"county": 450.0}), SiteConfig(corridor_m=500))


def test_hard_requirements_exclude_with_reasons():
    s = score(candidate(venue_area_m2=119.9, full_members=9, committee_size=0, seat_road_m=None), SiteConfig())
    assert s.excluded == (
        "活动场所面积119.9 m²，低于120 m²",
        "班子设置不合规定（正式党员9人，支委0人）",
        "从乡镇驻地沿道路无法到达",
    )
    assert score(candidate(venue_area_m2=None), SiteConfig()).excluded[0].startswith("活动场所面积未登记")
    assert score(candidate(venue_area_m2=120.0), SiteConfig()).excluded == ()
    # Under 7 full members a committee is against the rule; the check can be switched off.
    assert score(candidate(full_members=5, committee_size=3), SiteConfig()).excluded
    assert not score(candidate(full_members=5, committee_size=3), SiteConfig(require_committee=False)).excluded


def test_weights_are_configuration():
    s = score(candidate(), SiteConfig(weights={"corridor": 50.0}))
    assert s.breakdown == {"corridor": 50.0}
    with pytest.raises(ValueError, match="未知的评分项"):
        SiteConfig(weights={"beauty": 1.0})


def opt(i, x, value, field="rural", theme=None):
    return Option(i, float(x), 0.0, field, theme, float(value))


# Five sites on a line, 1 km apart: values favour neighbours.
LINE = [opt(1, 0, 10), opt(2, 1000, 9), opt(3, 2000, 8), opt(4, 3000, 7), opt(5, 4000, 1)]


def test_close_pairs():
    assert close_pairs(LINE, 1000.0) == []
    assert close_pairs(LINE, 1000.1) == [(0, 1), (1, 2), (2, 3), (3, 4)]


def test_spacing_is_respected_and_exact_beats_greedy():
    rules = Rules(k=2, min_spacing_m=1500)
    best = select_exact(LINE, rules, time_limit_s=5, workers=1)
    assert best.ids == (1, 3) and best.objective == 18.0 and best.optimal
    # Three sites 1500 m apart: greedy takes 1 then 3 then 5 (sum 19); fine here.
    three = select_exact(LINE, Rules(k=3, min_spacing_m=1500), time_limit_s=5, workers=1)
    assert three.ids == (1, 3, 5)


def test_greedy_gap():
    # Greedy takes the 10 in the middle and blocks both 8s.
    options = [opt(1, 0, 8), opt(2, 600, 10), opt(3, 1200, 8)]
    rules = Rules(k=2, min_spacing_m=1000)
    assert select_greedy(options, rules).ids == (2,)
    assert select_greedy(options, rules).notes == ("贪心法只选出1个（要求2个）",)
    assert select_exact(options, rules, time_limit_s=5, workers=1).ids == (1, 3)


def test_per_field_and_theme_limits():
    options = [
        opt(1, 0, 10, "rural", "industry"),
        opt(2, 5000, 9, "rural", "industry"),
        opt(3, 9000, 8, "rural", "safety"),
        opt(4, 20000, 2, "enterprise", "industry"),
    ]
    assert select_exact(options, Rules(k=2, max_per_field=1), 5, 1).ids == (1, 4)
    assert select_exact(options, Rules(k=2, max_per_theme=1), 5, 1).ids == (1, 3)
    assert select_greedy(options, Rules(k=2, max_per_theme=1)).ids == (1, 3)
    with pytest.raises(SelectionError, match="选不出3个"):
        select_exact(options, Rules(k=3, max_per_field=1), 5, 1)


def test_a_refusal_names_the_binding_limit_and_the_largest_feasible_k():
    """「每个党委选择一个」: three candidates under two 党委 give at most two sites; the spacing
    does not bind, so only the 党委上限 is named."""
    options = [opt(1, 0, 10), opt(2, 5000, 9), opt(3, 9000, 8)]
    options = [replace(o, committee=c) for o, c in zip(options, (7, 7, 8))]
    rules = Rules(k=3, min_spacing_m=1000, max_per_committee=1)
    assert most_sites(options, rules) == 2
    assert select_exact(options, replace(rules, k=2), 5, 1).ids == (1, 3)
    with pytest.raises(SelectionError) as refused:
        select_exact(options, rules, 5, 1)
    assert str(refused.value) == (
        "选不出3个示范点：受“每个党委新选最多1个（党委上限）”限制，现有条件下最多可选2个（3个合格候选）；"
        "请减少选点数或放宽条件"
    )
    # Either limit alone leaves room for two (1 and 3 far apart; 2 in a field of its own); both leave one.
    mixed = [opt(1, 0, 10), opt(2, 5000, 9, "enterprise"), opt(3, 9000, 8)]
    both = Rules(k=2, min_spacing_m=6000, max_per_field=1)
    with pytest.raises(SelectionError, match="受“最小间距6000米”“每领域最多1个”限制，现有条件下最多可选1个"):
        select_exact(mixed, both, 5, 1)


def test_locked_and_must_include():
    rules = Rules(k=2, min_spacing_m=1500, locked=frozenset({5}))
    assert select_exact(LINE, rules, 5, 1).ids == (1, 5)
    assert select_greedy(LINE, rules).ids == (1, 5)
    rules = Rules(k=2, min_spacing_m=1500, locked=frozenset({5}), must_include=frozenset({4}))
    with pytest.raises(SelectionError):
        select_exact(LINE, rules, 5, 1)  # 4 and 5 are 1 km apart
    with pytest.raises(SelectionError, match="超过要选的1个"):
        select_exact(LINE, Rules(k=1, locked=frozenset({1, 2})), 5, 1)
    with pytest.raises(SelectionError, match="不在候选中"):
        select_exact(LINE, Rules(k=1, must_include=frozenset({9})), 5, 1)


def test_too_few_candidates():
    with pytest.raises(SelectionError, match="只有5个合格候选"):
        select_exact(LINE, Rules(k=6), 5, 1)


def test_page_cli_and_service_take_the_spacing_default_from_site_config():
    from gridmgmt.cli.sites import select_command
    from web.inputs import SiteQuery
    from web.sites import parse_query

    cli_default = next(p.default for p in select_command.params if p.name == "spacing_m")
    assert SiteQuery().spacing_m == cli_default == SiteConfig().min_spacing_m == 1500.0
    assert parse_query(SiteQuery()).config == SiteConfig()
