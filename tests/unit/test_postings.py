"""Postings read with their dates, and the rules of resident postings (003 二.1, 三.5), by hand."""

from datetime import date

import pytest

from gridmgmt.domain.postings import (
    PostingRules,
    days_required,
    in_force,
    term_end,
    term_finding,
    work_team_short,
)


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
    """003 二.1「第一书记和工作队员任期两年」: a term from 1 March 2024 ends on 28 February 2026;
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
    """003 三.5「每月在村工作不少于 20 天」: 20 days a whole month, in proportion (rounded up) for part of one."""
    assert days_required(start, end, month) == owed


def test_work_team_at_least_two():
    """003 二.1「队员一般不少于 2 人」: a 脱贫村's team of one is short, of two is not."""
    assert work_team_short(1) and work_team_short(0)
    assert not work_team_short(2)
    assert work_team_short(2, PostingRules(work_team_min=3))
