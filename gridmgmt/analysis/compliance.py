"""Visit compliance: duties + households + staff + visits → done / due / overdue.

Pure pandas. A target (household or village group) of a duty is *done* when it was
visited in the current period up to the day asked about by a cadre who answered for it
under that duty on the day of the visit; *overdue* when no such visit was made in the
previous period either (term duties are never overdue before the term ends: the
previous term is another committee's); otherwise *due*. 走遍 duties (every household,
every group) are each cadre's own: a household two 包村 cadres answer for is done for
the one who visited it and not for the other, so their rows carry the cadre_id. 四必访
duties are shared: one visit by any cadre who answers for the household serves, and
their rows have no cadre_id. Who answers for which target *now* (the lists) follows the
postings and the plan in force at the close of the day asked about.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from gridmgmt.domain.duties import Duty, Term, per_person, period_bounds, previous_period

STATUSES = {"done": "已完成", "due": "待走访", "overdue": "逾期"}
TARGET_COLUMNS = ["target_id", "village_id", "grid_cell_id"]
ONE_DAY = pd.Timedelta(days=1)


def during(spans: pd.DataFrame, days: pd.Series) -> pd.Series:
    """Whether each span (begins, ends: local times, ends excluded, NaT open) was in force
    at some time of the matching day (local midnight)."""
    return (spans.begins.isna() | (spans.begins < days + ONE_DAY)) & (spans.ends.isna() | (spans.ends > days))


def all_day(spans: pd.DataFrame, days: pd.Series) -> pd.Series:
    """Whether each span was in force all through the matching day."""
    return (spans.begins.isna() | (spans.begins <= days)) & (spans.ends.isna() | (spans.ends >= days + ONE_DAY))


def at_close(spans: pd.DataFrame, day: date) -> pd.DataFrame:
    """The SPANS in force at the close of DAY."""
    end = pd.Timestamp(day) + ONE_DAY
    return spans[(spans.begins.isna() | (spans.begins < end)) & (spans.ends.isna() | (spans.ends >= end))]


@dataclass
class Staff:
    """Who answered for what, and when.

    cadres: id, cadre_role, home_village_id. postings: cadre_id, village_id, begins,
    ends (a posting's first midnight to the midnight after its last day). cells: every
    cell of the plans published in the period (grid_cell_id, cadre_id of its grid
    worker or NA, begins = publication, ends = archiving). members: household_id,
    grid_cell_id of those plans. Times are local, NaT is open-ended.
    """

    cadres: pd.DataFrame
    postings: pd.DataFrame
    cells: pd.DataFrame
    members: pd.DataFrame

    @property
    def held(self) -> pd.DataFrame:
        """The cells that had a grid worker: cadre_id (int), grid_cell_id, begins, ends."""
        held = self.cells.dropna(subset=["cadre_id"])
        return held.assign(cadre_id=held.cadre_id.astype("int64"))

    def on(self, day: date) -> "Staff":
        """The postings and held cells in force at the close of DAY."""
        return Staff(self.cadres, at_close(self.postings, day), at_close(self.held, day), self.members)

    def household_cells(self, day: date) -> pd.Series:
        """Each household's cell in the plan in force at the close of DAY (household_id → grid_cell_id)."""
        cells = self.members[self.members.grid_cell_id.isin(at_close(self.cells, day).grid_cell_id)]
        return pd.Series(cells.grid_cell_id.to_numpy(float), index=cells.household_id.to_numpy())


def duty_targets(duty: Duty, households: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """The targets of DUTY: target_id, village_id, grid_cell_id (groups have no cell)."""
    if duty.target == "village_groups":
        return pd.DataFrame({"target_id": groups.id, "village_id": groups.village_id, "grid_cell_id": pd.NA})
    chosen = households[["id", "village_id", "grid_cell_id"]].rename(columns={"id": "target_id"})
    if duty.target == "flagged_households":
        chosen = chosen[households[list(duty.flags)].any(axis=1).to_numpy()]
    return chosen


def _eligible(duty: Duty, cadres: pd.DataFrame) -> pd.Series:
    picked = cadres.cadre_role.isin(duty.cadre_roles) | (cadres.id == duty.cadre_id)
    return cadres.id[picked]


def _home_villages(staff: Staff, ids: pd.Series) -> pd.DataFrame:
    """(cadre_id, village_id) of the cadres IDS who live in a village."""
    home = staff.cadres[staff.cadres.id.isin(ids)].dropna(subset=["home_village_id"])
    return pd.DataFrame({"cadre_id": home.id, "village_id": home.home_village_id.astype("int64")})


def _own_villages(staff: Staff, ids: pd.Series) -> pd.DataFrame:
    posted = staff.postings[staff.postings.cadre_id.isin(ids)][["cadre_id", "village_id"]]
    return pd.concat([posted, _home_villages(staff, ids)]).drop_duplicates()


def responsibility(duty: Duty, targets: pd.DataFrame, staff: Staff) -> pd.DataFrame:
    """(cadre_id, target_id) pairs: who answers for which target of DUTY."""
    ids = _eligible(duty, staff.cadres)
    if duty.scope == "township":
        pairs = pd.merge(pd.DataFrame({"cadre_id": ids}), targets[["target_id"]], how="cross")
    elif duty.scope == "home_village":
        pairs = _home_villages(staff, ids).merge(targets, on="village_id")
    elif duty.scope == "posted_villages":
        posted = staff.postings[staff.postings.cadre_id.isin(ids)]
        pairs = posted[["cadre_id", "village_id"]].drop_duplicates().merge(targets, on="village_id")
    else:  # own_grid: the cells a cadre holds; a cadre holding none answers for their villages
        cells = staff.cells[staff.cells.cadre_id.isin(ids)]
        by_cell = cells.merge(targets.dropna(subset=["grid_cell_id"]), on="grid_cell_id")
        cellless = ids[~ids.isin(cells.cadre_id)]
        by_village = _own_villages(staff, cellless).merge(targets, on="village_id")
        pairs = pd.concat([by_cell, by_village])
    return pairs[["cadre_id", "target_id"]].drop_duplicates().reset_index(drop=True)


def _visit_targets(duty: Duty, visits: pd.DataFrame, households: pd.DataFrame) -> pd.Series:
    if duty.target != "village_groups":
        return visits.household_id
    # Being at a household of the group is being in the group.
    group_of = pd.Series(households.group_id.to_numpy(), index=households.id.to_numpy())
    return visits.group_id.fillna(visits.household_id.map(group_of))


def _matched(seen: pd.DataFrame, spans: pd.DataFrame, on: list[str], test=during) -> np.ndarray:
    """Whether each visit in SEEN has a span matching on the ON columns that passes TEST on its day."""
    rows = seen.reset_index().merge(spans, on=on)
    return seen.index.isin(rows["index"][test(rows, rows.day)])


def credited(duty: Duty, seen: pd.DataFrame, staff: Staff) -> pd.DataFrame:
    """The visits of SEEN (cadre_id, target_id, village_id, day) that count for DUTY: the
    cadre answered for the target under DUTY on the day of the visit."""
    seen = seen[seen.cadre_id.isin(_eligible(duty, staff.cadres))].reset_index(drop=True)
    home = seen.village_id == seen.cadre_id.map(staff.cadres.set_index("id").home_village_id)
    if duty.scope == "township":
        return seen
    if duty.scope == "home_village":
        return seen[home]
    posted = _matched(seen, staff.postings, ["cadre_id", "village_id"])
    if duty.scope == "posted_villages":
        return seen[posted]
    # own_grid: the cells held that day; a cadre who did not hold cells the whole day
    # (none held, or the day a plan changed) also answers for their villages.
    cells = staff.held.merge(staff.members.rename(columns={"household_id": "target_id"}), on="grid_cell_id")
    by_cell = _matched(seen, cells, ["cadre_id", "target_id"]) if duty.target != "village_groups" else False
    free = ~_matched(seen, staff.held, ["cadre_id"], all_day)
    return seen[by_cell | (free & (home | posted))]


def duty_status(
    duty: Duty,
    households: pd.DataFrame,
    groups: pd.DataFrame,
    staff: Staff,
    visits: pd.DataFrame,
    day: date,
    term: Term = Term(),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(targets with status and last_visit, responsibility pairs) of DUTY on DAY.

    VISITS has cadre_id, household_id, group_id and day (local date, datetime64);
    HOUSEHOLDS' grid_cell_id is their cell on DAY.
    """
    targets = duty_targets(duty, households, groups)
    pairs = responsibility(duty, targets, staff.on(day))
    seen = pd.DataFrame(
        {"cadre_id": visits.cadre_id, "target_id": _visit_targets(duty, visits, households), "day": visits.day}
    ).dropna(subset=["target_id"])
    village_of = pd.Series(targets.village_id.to_numpy(), index=targets.target_id.to_numpy())
    seen = seen[(seen.day <= pd.Timestamp(day)) & seen.target_id.isin(targets.target_id)]
    # float, like the ids it is matched with: an empty frame keeps a dtype that merges
    seen = credited(duty, seen.assign(village_id=seen.target_id.map(village_of).astype("float64")), staff)
    # 走遍: one row per cadre and target, credited by that cadre's visits only; else one per target.
    keys = ["cadre_id", "target_id"] if per_person(duty) else ["target_id"]
    if per_person(duty):
        rows = pairs.merge(targets, on="target_id")
    else:
        rows = targets[targets.target_id.isin(pairs.target_id)].assign(cadre_id=pd.NA)
    start, _ = period_bounds(duty.period, day, term)
    prev_start, prev_end = previous_period(duty.period, day, term)
    in_prev = seen[(seen.day >= pd.Timestamp(prev_start)) & (seen.day <= pd.Timestamp(prev_end))]
    last = seen.groupby(keys, as_index=False).day.max().rename(columns={"day": "last_visit"})
    on = dict.fromkeys(keys, "float64")  # ids as visits carry them, even in empty frames
    rows = (
        rows.astype(on)
        .merge(last.astype(on), on=keys, how="left")
        .merge(in_prev[keys].drop_duplicates().astype(on).assign(seen_before=True), on=keys, how="left")
    )
    done = rows.last_visit >= pd.Timestamp(start)
    missed_prev = rows.seen_before.isna() & (duty.period != "term")
    status = np.where(done, "done", np.where(missed_prev, "overdue", "due"))
    out = rows[[*TARGET_COLUMNS, "cadre_id", "last_visit"]].assign(
        duty=duty.code,
        status=status,
        cadre_id=rows.cadre_id.astype("Int64"),
        target_id=rows.target_id.astype(targets.target_id.dtype),
    )
    return out.reset_index(drop=True), pairs.assign(duty=duty.code)


def compliance(
    duties: list[Duty],
    households: pd.DataFrame,
    groups: pd.DataFrame,
    staff: Staff,
    visits: pd.DataFrame,
    day: date,
    term: Term = Term(),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(every target of every active duty with its status, every responsibility pair)."""
    parts = [duty_status(d, households, groups, staff, visits, day, term) for d in duties if d.active]
    if not parts:
        return pd.DataFrame(columns=["duty", *TARGET_COLUMNS, "cadre_id", "status", "last_visit"]), pd.DataFrame(
            columns=["cadre_id", "target_id", "duty"]
        )
    return (pd.concat([p[0] for p in parts], ignore_index=True), pd.concat([p[1] for p in parts], ignore_index=True))


def summarise(status: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Counts of done / due / overdue / total and the done rate per BY (e.g. duty, village_id)."""
    counts = pd.crosstab([status[c] for c in by], status.status)
    counts = counts.reindex(columns=list(STATUSES), fill_value=0)
    counts["total"] = counts.sum(axis=1)
    counts["rate"] = (counts["done"] / counts["total"]).round(4)
    return counts.reset_index()


def per_cadre(status: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """STATUS rows once per responsible cadre (a cadre's own list): shared rows for each cadre
    of PAIRS that answers for them, a cadre's own (走遍) rows as they are."""
    own = status.cadre_id.notna()
    shared = pairs.merge(status[~own].drop(columns="cadre_id"), on=["duty", "target_id"])
    return pd.concat([shared, status[own].astype({"cadre_id": "int64"})], ignore_index=True)


def event_status(events: pd.DataFrame, at: pd.Timestamp) -> pd.DataFrame:
    """EVENTS reported by AT with state open / overdue (open past attend_by) / attended / late.

    EVENTS has reported_at, attend_by, attended_at (aware timestamps, NaT when not attended).
    """
    known = events[events.reported_at <= at].copy()
    attended = known.attended_at.notna() & (known.attended_at <= at)
    late = attended & (known.attended_at > known.attend_by)
    overdue = ~attended & (known.attend_by < at)
    known["state"] = np.select([late, attended, overdue], ["late", "attended", "overdue"], "open")
    return known


def event_responsibility(events: pd.DataFrame, households: pd.DataFrame, staff: Staff) -> pd.DataFrame:
    """(cadre_id, event id) pairs: the cadres of the event's village and of its household's cell."""
    villages = _own_villages(staff, staff.cadres.id)
    by_village = villages.merge(events[["id", "village_id"]], on="village_id")
    cell_of = households.set_index("id").grid_cell_id
    cells = events.assign(grid_cell_id=events.household_id.map(cell_of)).dropna(subset=["grid_cell_id"])
    by_cell = staff.cells.merge(cells[["id", "grid_cell_id"]], on="grid_cell_id")
    pairs = pd.concat([by_village[["cadre_id", "id"]], by_cell[["cadre_id", "id"]]])
    return pairs.drop_duplicates().reset_index(drop=True)


# Work order on a cadre's screen and route: events past their deadline first (四必到).
PRIORITIES = {
    "event_overdue": "事件逾期未到场",
    "event_open": "事件待到场",
    "overdue": "逾期未走访",
    "due": "本期待走访",
}


def work_list(mine: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Households and events still to see, most urgent first: priority, household_id, event_id.

    MINE is a cadre's per_cadre rows (household duties only); EVENTS their events with
    state. Every open event has its own row (two at one household: two rows); a household
    due under several duties appears once, at its most urgent, and not at all after an
    event of its own.
    """
    rank = {name: k for k, name in enumerate(PRIORITIES)}
    open_events = events[events.state.isin(["overdue", "open"])]
    rows = pd.concat(
        [
            pd.DataFrame(
                {
                    "priority": "event_" + open_events.state,
                    "household_id": open_events.household_id,
                    "event_id": open_events.id,
                    "deadline": open_events.attend_by,
                }
            ),
            pd.DataFrame(
                {"priority": mine.status, "household_id": mine.target_id, "event_id": pd.NA, "deadline": pd.NaT}
            ).query("priority != 'done'"),
        ],
        ignore_index=True,
    )
    rows["rank"] = rows.priority.map(rank)
    rows = rows.sort_values(["rank", "deadline", "household_id"], kind="stable")
    repeated = rows.household_id.duplicated() & rows.event_id.isna()
    return rows[~repeated].drop(columns="rank").reset_index(drop=True)
