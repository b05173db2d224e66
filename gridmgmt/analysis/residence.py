"""Days a first secretary or work-team member was in their village, month by month.

Pure pandas. A day counts once however many visits and check-ins show the cadre in the
village they are posted to that day (003 三.5“每月在村工作不少于 20 天”).
"""

from datetime import date

import pandas as pd

from gridmgmt.domain.postings import PostingRules, days_required, in_force, month_of

COLUMNS = ["cadre_id", "village_id", "month", "days", "required", "complete", "short"]


def residence(
    postings: pd.DataFrame, presence: pd.DataFrame, month: date, day: date, rules: PostingRules
) -> pd.DataFrame:
    """One row per posting of POSTINGS (cadre_id, village_id, start_date, end_date) that holds
    some day of MONTH's month: days present (PRESENCE: cadre_id, village_id, day as date) on
    days the posting held up to DAY, days required, whether the month is over at the close of
    DAY, and whether a month that is over fell short."""
    first, last = month_of(month)
    seen = presence[(presence.day >= first) & (presence.day <= min(last, day))]
    rows = []
    complete = last <= day  # at the close of DAY, as compliance is
    for p in postings.itertuples():
        required = days_required(p.start_date, p.end_date, first, rules)
        if required == 0:  # not posted any day of the month
            continue
        mine = seen[(seen.cadre_id == p.cadre_id) & (seen.village_id == p.village_id)]
        days = {d for d in mine.day if in_force(p.start_date, p.end_date, d)}
        rows.append((p.cadre_id, p.village_id, first, len(days), required, complete, complete and len(days) < required))
    return pd.DataFrame(rows, columns=COLUMNS)
