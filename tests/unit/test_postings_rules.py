"""Posting rules, by hand: every village a 包村 cadre, designated villages a first secretary, dates in
order; postings read with their dates, and the rules of resident postings (003 二.1, 三.5)."""

from datetime import date

import pytest

from gridmgmt.domain.postings import (
    PostingError,
    PostingRules,
    check_dates,
    days_required,
    in_force,
    posting_code,
    term_end,
    term_finding,
    village_needs,
    work_team_short,
)


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


@pytest.mark.parametrize(
    "start, end, day, holds",
    [
        (None, None, date(2025, 5, 1), True),  # open both ways
        (date(2025, 5, 1), None, date(2025, 5, 1), True),  # its first day
        (date(2025, 5, 2), None, date(2025, 5, 1), False),  # not begun
        (None, date(2025, 4, 30), date(2025, 4, 30), True),  # its last day
        (None, date(2025, 4, 30), date(2025, 5, 1), False),  # ended: satisfies nothing
    ],
)
def test_in_force(start, end, day, holds):
    """001 §34 挂点, 003 二.1 第一书记: a posting counts only between its start and end dates, both included."""
    assert in_force(start, end, day) is holds


def test_term_is_two_years():
    """003 二.1“第一书记和工作队员任期两年”: a term from 1 March 2024 ends on 28 February 2026;
    from 29 February 2024, on 27 February 2026."""
    assert term_end(date(2024, 3, 1)) == date(2026, 2, 28)
    assert term_end(date(2024, 2, 29)) == date(2026, 2, 27)


def test_term_reminder_and_overrun():
    """003 二.1 任期两年: the reminder shows within 60 days of the term's end; a posting still
    open after it is flagged; an ended posting is no longer anyone's concern."""
    start = date(2024, 3, 1)  # term ends 2026-02-28
    assert term_finding(start, None, date(2025, 12, 30)) is None  # 60 days left
    assert term_finding(start, None, date(2025, 12, 31)) == "term_ending"  # 59 days left
    assert term_finding(start, None, date(2026, 3, 1)) == "term_over"
    assert term_finding(start, date(2026, 2, 28), date(2026, 3, 1)) is None
    assert term_finding(None, None, date(2026, 3, 1)) is None
    assert term_finding(start, None, date(2025, 12, 1), PostingRules(remind_days=90)) == "term_ending"


@pytest.mark.parametrize(
    "start, end, month, owed",
    [
        (date(2024, 1, 1), None, date(2025, 4, 10), 20),  # a whole April
        (date(2025, 4, 16), None, date(2025, 4, 30), 10),  # posted for 15 of April's 30 days
        (None, date(2025, 2, 14), date(2025, 2, 1), 10),  # left on the 14th of 28 days
        (date(2025, 5, 1), None, date(2025, 4, 1), 0),  # not yet posted
    ],
)
def test_days_required(start, end, month, owed):
    """003 三.5“每月在村工作不少于 20 天”: 20 days a whole month, in proportion (rounded up) for part of one."""
    assert days_required(start, end, month) == owed


def test_work_team_at_least_two():
    """003 二.1“队员一般不少于 2 人”: a 脱贫村's team of one is short, of two is not."""
    assert work_team_short(1) and work_team_short(0)
    assert not work_team_short(2)
    assert work_team_short(2, PostingRules(work_team_min=3))
