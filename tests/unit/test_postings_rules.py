"""Posting rules: every village a 包村 cadre, designated villages a first secretary (003 二.1), dates in order."""

from datetime import date

import pytest

from gridmgmt.domain.postings import PostingError, check_dates, posting_code, village_needs


def test_a_village_needs_a_bao_cun_cadre_and_a_designated_one_a_first_secretary():
    assert village_needs({}, {"bao_cun"}) == []
    assert village_needs({}, {"gua_dian", "work_team"}) == ["无包村干部"]
    assert village_needs({"is_weak_org": True}, {"bao_cun"}) == ["重点村未派第一书记"]
    assert village_needs({"is_poverty_alleviated": True}, {"first_secretary"}) == ["无包村干部"]
    assert village_needs({"is_revitalization_focus": True}, {"bao_cun", "first_secretary"}) == []


def test_codes_name_who_where_what_and_from_when():
    assert posting_code("C1", "441624100201", "bao_cun", date(2026, 1, 1)) == "C1-441624100201-bao_cun-2026-01-01"
    assert posting_code("C1", "441624100201", "gua_dian", None).endswith("-gua_dian-起始未定")


def test_an_end_before_the_start_is_refused():
    check_dates(date(2026, 1, 1), date(2026, 1, 1))
    check_dates(None, date(2026, 1, 1))
    with pytest.raises(PostingError, match="早于开始日期"):
        check_dates(date(2026, 1, 2), date(2026, 1, 1))
