"""Days in the village, month by month, on a hand-made case (003 三.5)."""

from datetime import date

import pandas as pd

from gridmgmt.analysis.residence import residence
from gridmgmt.domain.postings import PostingRules

# First secretary 5 in village 2 all along; team member 6 in village 2 from 16 April 2025.
POSTINGS = pd.DataFrame(
    {
        "cadre_id": [5, 6],
        "village_id": [2, 2],
        "start_date": [date(2024, 3, 1), date(2025, 4, 16)],
        "end_date": [None, None],
    }
)


def _presence(rows):
    return pd.DataFrame(rows, columns=["cadre_id", "village_id", "day"])


def test_days_in_the_village():
    """003 三.5“每月在村工作不少于 20 天”: cadre 5 was in village 2 on 19 days of April (a visit and a
    check-in on the 1st count once; a day in village 3 does not count): short of 20. Cadre 6,
    posted on the 16th, owes 10 days and was there 10: not short."""
    presence = _presence(
        [(5, 2, date(2025, 4, d)) for d in range(1, 20)]
        + [(5, 2, date(2025, 4, 1)), (5, 3, date(2025, 4, 25))]
        + [(6, 2, date(2025, 4, d)) for d in range(10, 30, 2)]  # 10th…28th: 16th on are 7 days
        + [(6, 2, date(2025, 4, 29)), (6, 2, date(2025, 4, 30)), (6, 2, date(2025, 4, 27))]
    )
    table = residence(POSTINGS, presence, date(2025, 4, 1), date(2025, 5, 3), PostingRules())
    assert list(zip(table.cadre_id, table.days, table.required, table.short)) == [(5, 19, 20, True), (6, 10, 10, False)]


def test_a_month_in_progress_is_never_short():
    """003 三.5: a month not yet over shows days so far and is not judged."""
    presence = _presence([(5, 2, date(2025, 5, 2)), (5, 2, date(2025, 5, 9))])
    table = residence(POSTINGS, presence, date(2025, 5, 1), date(2025, 5, 3), PostingRules())
    # The visit of 9 May lies after the day asked about.
    assert list(zip(table.cadre_id, table.days, table.complete, table.short)) == [
        (5, 1, False, False),
        (6, 0, False, False),
    ]


def test_ended_posting_owes_nothing_after_it_ends():
    """003 三.5 with postings read with their dates: a posting ended on 14 February 2025 owes 10 of
    February's 28 days, and days after it ended do not count."""
    ended = POSTINGS.iloc[:1].assign(end_date=[date(2025, 2, 14)])
    presence = _presence([(5, 2, date(2025, 2, d)) for d in range(5, 25)])
    table = residence(ended, presence, date(2025, 2, 1), date(2025, 3, 1), PostingRules())
    assert list(zip(table.days, table.required, table.short)) == [(10, 10, False)]
    assert residence(ended, presence, date(2025, 3, 1), date(2025, 4, 1), PostingRules()).empty
