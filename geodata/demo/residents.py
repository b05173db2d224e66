"""The cases of issue 14 planted in the demo: postings with dates and residents' days in the village.

- A first secretary whose two-year term ends 30 days after `until` (the reminder shows).
- A 包村 township cadre whose posting ended 120 days before `until`, in a village that keeps
  another 包村 cadre: from then on their 走遍 duty there is gone.
- A 脱贫村 work team cut to one member (the other's posting ended 60 days before `until`).
- Check-ins of every resident in force on most days of the last three months; the first
  secretary above was in the village on only 10 days of the last whole month (short of 20).
"""

from datetime import timedelta

import numpy as np
import pandas as pd
import shapely

from geodata.demo.activity import client_ids
from geodata.demo.places import Places
from gridmgmt.domain.postings import RESIDENT_ASSIGNMENTS

TERM_LEFT_DAYS = 30
BAO_CUN_ENDED_DAYS = 120
TEAM_ENDED_DAYS = 60
CHECKIN_MONTHS = 3
SHORT_DAYS = 10


def _first(postings: pd.DataFrame, mask) -> int | None:
    rows = postings.index[np.asarray(mask, dtype=bool)]
    return int(rows[0]) if len(rows) else None


def plant_postings(postings: pd.DataFrame, villages: pd.DataFrame, until) -> pd.DataFrame:
    """POSTINGS with an end_date column and the three planted cases above."""
    out = postings.assign(end_date=None)
    kind = out.assignment
    fs = _first(out, kind == "first_secretary")
    if fs is not None:
        out.loc[fs, "start_date"] = until - timedelta(days=730 - TERM_LEFT_DAYS)
    bao = out[kind == "bao_cun"]
    shared = bao.village_id.value_counts()
    row = _first(out, (kind == "bao_cun") & out.village_id.isin(shared.index[shared > 1]))
    if row is not None:
        out.loc[row, "end_date"] = until - timedelta(days=BAO_CUN_ENDED_DAYS)
    poor = villages.id[villages.is_poverty_alleviated]
    teams = out[(kind == "work_team") & out.village_id.isin(poor)]
    if len(teams) >= 2:
        out.loc[teams.index[1], "end_date"] = until - timedelta(days=TEAM_ENDED_DAYS)
    return out


def short_resident(postings: pd.DataFrame) -> int | None:
    """The cadre id of the planted first secretary (near the end of the term, short of days)."""
    fs = _first(postings, postings.assignment == "first_secretary")
    return None if fs is None else int(postings.cadre_id[fs])


def _last_month(until) -> tuple:
    """First and last day of the last whole month before UNTIL."""
    last = until.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def thin_visits(visits: pd.DataFrame, cadre_id: int | None, until, tz: str) -> pd.DataFrame:
    """VISITS without those of CADRE_ID in the last whole month after its first SHORT_DAYS days
    of visits; renumbered."""
    if cadre_id is None:
        return visits
    first, last = _last_month(until)
    day = pd.to_datetime(visits.visited_at, utc=True).dt.tz_convert(tz).dt.date
    theirs = (visits.cadre_id == cadre_id) & (day >= first) & (day <= last)
    kept_days = sorted(set(day[theirs]))[:SHORT_DAYS]
    out = visits[~(theirs & ~day.isin(kept_days))].reset_index(drop=True)
    return out.assign(id=np.arange(1, len(out) + 1))


def build_checkins(rng, postings: pd.DataFrame, places: Places, until, tz: str) -> pd.DataFrame:
    """Check-ins near the village centre on about two days in three of the last CHECKIN_MONTHS
    months, by every resident posted then, at 08–09 local time; none by the planted short one."""
    start = until - timedelta(days=30 * CHECKIN_MONTHS)
    days = pd.date_range(start, until - timedelta(days=1), freq="D")
    resident = postings[postings.assignment.isin(RESIDENT_ASSIGNMENTS)]
    resident = resident[resident.cadre_id != short_resident(postings)]
    rows = []
    for p in resident.itertuples():
        for day in days[rng.random(len(days)) < 0.65]:
            if (p.start_date is None or p.start_date <= day.date()) and (
                p.end_date is None or day.date() <= p.end_date
            ):
                rows.append((p.cadre_id, p.village_id, day + pd.Timedelta(hours=8 + rng.random())))
    frame = pd.DataFrame(rows, columns=["cadre_id", "village_id", "checked_at"])
    centre = places.hamlets[places.centre_hamlet[frame.village_id.to_numpy(int) - 1]]
    return frame.assign(
        id=np.arange(1, len(frame) + 1),
        client_id=client_ids(rng, len(frame)),
        checked_at=pd.Series(pd.to_datetime(frame.checked_at).dt.tz_localize(tz)).astype(object),
        accuracy_m=rng.uniform(4, 30, len(frame)).round(1),
        geom=shapely.points(centre + rng.normal(0, 30, (len(frame), 2))),
    )[["id", "client_id", "cadre_id", "village_id", "checked_at", "accuracy_m", "geom"]]
