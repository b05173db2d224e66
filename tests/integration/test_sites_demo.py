"""The default demo township (seed 1): the 示范点 cases planted by geodata.demo.party show on the
CLI and in the selection: the township 党委 is no candidate, the 机关 venue passes 六有 in 90 m²,
the largest village venue fails 八有 for its 农家书屋, one new site per 党委."""

from dataclasses import replace
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from gridmgmt.analysis.siting import SelectionError
from gridmgmt.cli import main
from gridmgmt.config import get_settings
from gridmgmt.domain.site_criteria import SiteConfig
from gridmgmt.domain.site_standards import SiteStandard, org_life_review_period
from gridmgmt.services.sites.selection import score_sites, select_sites, selection_rules
from tests.integration.demo_town import CODE, default_demo

UNTIL = date(2026, 7, 1)


@pytest.fixture(scope="module")
def demo(engine):
    """(generated tables, scored candidates) of the demo township loaded into the test database."""
    with default_demo(engine, UNTIL, lambda session: score_sites(session, CODE)) as loaded:
        yield loaded


def _planted(tables):
    """Codes of the planted orgs, found on the generated frames (not by our code)."""
    orgs = tables["party_org"]
    village = orgs[(orgs.org_type == "branch") & (orgs.field == "rural")]
    return {
        "town": orgs.code[orgs.org_type == "party_committee"].iloc[0],
        "agency": orgs.code[orgs.field == "agency"].iloc[0],
        "no_library": orgs.code[village.venue_area_m2.idxmax()],
    }


def test_planted_cases_in_the_scores(demo):
    tables, scored = demo
    planted = _planted(tables)
    by_code = {s.candidate.code: s for s in scored}
    assert by_code[planted["town"]].score.excluded[0] == "党委不作为示范点候选（候选为基层党支部、党总支）"
    agency = by_code[planted["agency"]]
    assert agency.candidate.venue_area_m2 == 90.0
    assert not any("六有" in r or "m²" in r for r in agency.score.excluded)
    assert "八有缺：农家书屋" in by_code[planted["no_library"]].score.excluded


def test_selection_takes_one_new_site_per_committee(demo, engine):
    _, scored = demo
    committees = {s.candidate.committee_id for s in scored if s.eligible}
    k = len(committees)
    with Session(engine) as session:  # not the session fixture: it would empty the module's demo
        rules = selection_rules(session, k, SiteConfig())
    chosen = select_sites(scored, rules, time_limit_s=10, workers=1)
    by_id = {s.candidate.party_org_id: s.candidate for s in scored}
    assert sorted(by_id[i].committee_id for i in chosen.ids) == sorted(committees)
    assert all(by_id[i].org_type in ("branch", "general_branch") for i in chosen.ids)
    with pytest.raises(SelectionError, match="党委上限"):
        select_sites(scored, replace(rules, k=k + 1), time_limit_s=10, workers=1)


def test_cli_score_names_the_planted_cases(demo, monkeypatch):
    tables, _ = demo
    planted = _planted(tables)
    monkeypatch.setenv("GRIDMGMT_DB_NAME", get_settings().test_db_name)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["sites", "score", CODE])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    lines = {line.split("\t")[0]: line for line in result.output.splitlines()}
    assert lines[planted["town"]].split("\t")[-1].startswith("党委不作为示范点候选（候选为基层党支部、党总支）")
    assert "八有缺：农家书屋" in lines[planted["no_library"]]


def test_the_branch_that_skipped_a_theme_day_is_no_candidate(demo, engine):
    """002 第一篇 二(三) 组织生活 as a 创建标准: the demo branch that skipped a 主题党日 last quarter
    (geodata.demo.orgs) is excluded over the year before UNTIL, naming the month; no other branch is,
    their 党小组 having held every monthly 党小组会."""
    tables, _ = demo
    meetings, orgs = tables["org_meeting"], tables["party_org"].set_index("id")
    theme = meetings[(meetings.meeting_type == "theme_day") & (meetings.held_on >= date(2026, 4, 1))]
    held = theme.party_org_id.value_counts()
    skipped = orgs.code[held.index[held < 3]].tolist()  # counted on the generated frames, not by our code
    months = set(theme.held_on[theme.party_org_id == held.idxmin()].map(lambda d: d.month))
    config = SiteConfig(standard=SiteStandard(org_life_period=org_life_review_period(UNTIL)))
    with Session(engine) as session:
        scored = score_sites(session, CODE, config)
    failing = {s.candidate.code: s.score.excluded for s in scored if any("组织生活" in r for r in s.score.excluded)}
    assert list(failing) == skipped and len(skipped) == 1
    (month,) = {4, 5, 6} - months
    assert f"组织生活未达标（2025年第3季度至2026年第2季度）：缺2026年{month}月主题党日" in failing[skipped[0]]
