"""The glossary writes codes as words: labels, audit rows and download names (issue 18)."""

import math

from gridmgmt.domain.vocab import CADRE_ROLES
from gridmgmt.domain.wording import DETAIL_KEYS, detail_text, file_name, label, target_text, value_text


def test_a_label_names_the_code_and_never_shows_nan():
    assert label(CADRE_ROLES, "township_leader") == "镇班子成员"
    assert label(CADRE_ROLES, math.nan) == label(CADRE_ROLES, None) == "—"


def test_an_audit_detail_reads_as_chinese():
    detail = {"fields": ["hardship", "empty_nest_elderly"], "step": "award", "sensitive": True, "rows": 3}
    assert detail_text(detail) == "敏感信息：困难家庭、空巢老人家庭；环节：授牌；含敏感信息：是；条数：3"
    assert value_text("layer", "households", {"layer": {"households": "农户"}}) == "农户"
    assert detail_text(None) == ""


def test_an_audit_target_names_its_kind():
    assert target_text("demo_site:7") == "示范点 7"
    assert target_text("household:44150010020101001") == "农户 44150010020101001"
    assert target_text("覆盖情况-441500100000.xlsx") == "覆盖情况-441500100000.xlsx"


def test_download_names_are_chinese():
    assert file_name("demo_sites", "441500100000", ext="xlsx") == "党建示范点-441500100000.xlsx"


def test_every_detail_key_recorded_by_the_services_has_a_label():
    """Every key a service writes into an audit detail (found in the source) has its Chinese name."""
    import re
    from pathlib import Path

    import gridmgmt

    root = Path(gridmgmt.__file__).parent / "services"
    keys = set()
    for source in root.rglob("*.py"):
        for found in re.finditer(r"detail\s*=\s*\{([^}]*)\}|record\([^)]*?\{([^}]*)\}", source.read_text(), re.S):
            keys |= set(re.findall(r'"([a-z_]+)":', found.group(1) or found.group(2)))
    assert keys and keys - set(DETAIL_KEYS) == set()


def test_docs_wording_lists_every_measure_with_the_term_it_replaces():
    from gridmgmt.config import PROJECT_ROOT
    from gridmgmt.domain.wording import METRICS

    doc = (PROJECT_ROOT / "docs" / "wording.md").read_text(encoding="utf-8")
    missing = [name for name, _description in METRICS.values() if name not in doc]
    assert missing == [] and "Polsby–Popper" in doc and "变异系数" in doc


def test_every_measure_has_a_one_line_description():
    from gridmgmt.domain.wording import METRICS

    assert all(name and description and "\n" not in description for name, description in METRICS.values())


def test_the_reach_rules_say_their_distance():
    from gridmgmt.domain.branch_rules import CoverageRules
    from gridmgmt.domain.wording import rule_titles

    titles = rule_titles(CoverageRules(venue_reach_m=2000, member_reach_m=500))
    assert titles["venue_far"] == "距党群服务中心或活动场所超过 2 公里的农户"
    assert titles["member_far"] == "距最近党员户超过 500 米的农户"
