"""Compliance on a hand-made township of two villages, six households, six cadres."""

from datetime import date

import pandas as pd

from gridmgmt.analysis.compliance import (
    Staff,
    compliance,
    duty_targets,
    event_responsibility,
    event_status,
    per_cadre,
    responsibility,
    summarise,
    work_list,
)
from gridmgmt.domain.duties import DEFAULT_DUTIES, Duty, Term

DAY = date(2025, 5, 15)
TERM = Term(date(2021, 10, 1), 5)
BY_CODE = {d.code: d for d in DEFAULT_DUTIES}
FLAGS = ["hardship", "critically_ill", "empty_nest_elderly", "left_behind_children", "petitioner"]


def _households():
    rows = [  # id, village, group, cell, flag
        (1, 1, 1, None, None),
        (2, 1, 1, None, "hardship"),
        (3, 1, 1, None, None),
        (4, 1, 1, None, None),
        (5, 2, 2, 10, "petitioner"),
        (6, 2, 2, None, None),
    ]
    frame = pd.DataFrame(rows, columns=["id", "village_id", "group_id", "grid_cell_id", "flag"])
    for name in FLAGS:
        frame[name] = frame.flag == name
    return frame.drop(columns="flag")


GROUPS = pd.DataFrame({"id": [1, 2], "village_id": [1, 2]})
OPEN = pd.NaT


def _spans(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype({"begins": "datetime64[ns]", "ends": "datetime64[ns]"})


CADRES = pd.DataFrame(
    {
        "id": [1, 2, 3, 4, 5, 6],
        "cadre_role": [
            "township_cadre",
            "township_cadre",
            "grid_worker",
            "grid_worker",
            "first_secretary",
            "township_secretary",
        ],
        "home_village_id": [None, None, 1, 2, None, None],
    }
)
# Postings and the one cell (10, household 5's, worker 4) have held for ever.
STAFF = Staff(
    cadres=CADRES,
    postings=_spans(pd.DataFrame({"cadre_id": [1, 2, 5], "village_id": [1, 1, 2], "begins": OPEN, "ends": OPEN})),
    cells=_spans(
        pd.DataFrame({"grid_cell_id": [10], "cadre_id": pd.array([4], "Int64"), "begins": OPEN, "ends": OPEN})
    ),
    members=pd.DataFrame({"household_id": [5], "grid_cell_id": [10]}),
)


def _visits(rows):
    frame = pd.DataFrame(rows, columns=["cadre_id", "household_id", "group_id", "day"])
    frame["day"] = pd.to_datetime(frame.day)
    return frame


VISITS = _visits(
    [
        (1, 1, None, "2025-03-01"),  # 包村: h1 this year
        (2, 2, None, "2024-06-01"),  # 包村: h2 only last year
        (5, 4, None, "2025-04-01"),  # first secretary of village 2 at h4: not his duty
        (3, 2, None, "2025-05-02"),  # grid worker living in village 1: h2 this month
        (4, 5, None, "2025-04-20"),  # grid worker of cell 10: h5 last month
        (4, 5, None, "2025-05-20"),  # after the day asked about: ignored
        (5, 6, None, "2025-04-01"),  # first secretary: h6 this quarter
        (5, 5, None, "2025-03-31"),  # first secretary: h5 last quarter only
        (6, 3, None, "2023-01-01"),  # secretary at a household of group 1: the group is walked
    ]
)


def _status(code):
    """Status by target (shared duties) or by (cadre, target) (走遍 duties, each cadre's own)."""
    status, _ = compliance([BY_CODE[code]], _households(), GROUPS, STAFF, VISITS, DAY, TERM)
    if status.cadre_id.isna().all():
        return dict(zip(status.target_id, status.status))
    return dict(zip(zip(status.cadre_id, status.target_id), status.status))


def test_bao_cun_yearly_is_each_cadres_own():
    """000 三.1“每名镇干部每年走遍包村的农户”: cadre 1's visit to h1 does not serve cadre 2,
    who shares the village; h2, which cadre 2 saw last year, is only due for cadre 2."""
    assert _status("bao_cun_yearly") == {
        (1, 1): "done",
        (1, 2): "overdue",
        (1, 3): "overdue",
        (1, 4): "overdue",
        (2, 1): "overdue",
        (2, 2): "due",
        (2, 3): "overdue",
        (2, 4): "overdue",
    }


def test_must_visit_is_shared():
    """000 三.1 四必访: a flagged household is cared for by one visit of anyone who answers for it."""
    status, pairs = compliance([BY_CODE["must_visit_monthly"]], _households(), GROUPS, STAFF, VISITS, DAY, TERM)
    mine = per_cadre(status, pairs)
    # Household 2 was seen by grid worker 3: done for the 包村 cadres 1 and 2 as well.
    assert sorted(zip(mine.cadre_id, mine.target_id, mine.status)) == [
        (1, 2, "done"),
        (2, 2, "done"),
        (3, 2, "done"),
        (4, 5, "due"),
    ]


def test_must_visit_monthly_by_grid_or_village():
    assert _status("must_visit_monthly") == {2: "done", 5: "due"}


def test_must_visit_responsibility():
    duty = BY_CODE["must_visit_monthly"]
    pairs = responsibility(duty, duty_targets(duty, _households(), GROUPS), STAFF.on(DAY))
    assert sorted(map(tuple, pairs.to_numpy())) == [(1, 2), (2, 2), (3, 2), (4, 5)]


def test_first_secretary_quarterly():
    assert _status("resident_quarterly") == {(5, 5): "due", (5, 6): "done"}


def test_three_walks_within_the_term():
    assert _status("walk_groups_term") == {(6, 1): "done", (6, 2): "due"}
    assert _status("walk_hardship_term") == {2: "due"}


def test_term_boundary_resets_progress():
    def on(day):
        status, _ = compliance([BY_CODE["walk_groups_term"]], _households(), GROUPS, STAFF, VISITS, day, TERM)
        return dict(zip(status.target_id, status.status))

    assert on(date(2026, 9, 30)) == {1: "done", 2: "due"}  # last day of the term
    assert on(date(2026, 10, 1)) == {1: "due", 2: "due"}  # a new term starts from nothing


def test_village_secretary_walks_the_home_village():
    """000 三.1 三个走遍: the 村党组织书记 walks every household of the village they live in,
    credited only with their own visits there."""
    cadres = pd.concat([CADRES, pd.DataFrame({"id": [7], "cadre_role": ["village_secretary"], "home_village_id": [2]})])
    staff = Staff(cadres, STAFF.postings, STAFF.cells, STAFF.members)
    visits = _visits([(7, 5, None, "2025-02-01"), (7, 1, None, "2025-02-01"), (5, 6, None, "2025-04-01")])
    status, _ = compliance([BY_CODE["village_secretary_yearly"]], _households(), GROUPS, staff, visits, DAY, TERM)
    # h1 lies in village 1, not theirs; h6 was seen by the first secretary, not by them.
    assert dict(zip(zip(status.cadre_id, status.target_id), status.status)) == {(7, 5): "done", (7, 6): "overdue"}


def test_named_cadre_duty():
    duty = Duty("c3_all", "x", "township", "households", "year", cadre_id=3)
    status, pairs = compliance([duty], _households(), GROUPS, STAFF, VISITS, DAY, TERM)
    assert set(pairs.cadre_id) == {3} and len(status) == 6
    assert dict(zip(status.target_id, status.status))[2] == "done"


def test_summaries_by_village_and_cadre():
    status, pairs = compliance(list(DEFAULT_DUTIES), _households(), GROUPS, STAFF, VISITS, DAY, TERM)
    by_village = summarise(status[status.duty == "bao_cun_yearly"], ["duty", "village_id"])
    row = by_village.iloc[0]
    # Two 包村 cadres × four households, each cadre's own.
    assert (row.village_id, row.done, row.due, row.overdue, row.total, row.rate) == (1, 1, 1, 6, 8, 0.125)
    mine = per_cadre(status, pairs)
    grid3 = mine[mine.cadre_id == 3]
    assert list(zip(grid3.duty, grid3.target_id, grid3.status)) == [("must_visit_monthly", 2, "done")]


def test_inactive_duty_and_no_duties():
    duty = Duty("off", "x", "township", "households", "year", cadre_id=3, active=False)
    status, pairs = compliance([duty], _households(), GROUPS, STAFF, VISITS, DAY, TERM)
    assert status.empty and pairs.empty


def test_event_states():
    t = pd.Timestamp
    events = pd.DataFrame(
        {
            "id": [1, 2, 3, 4, 5],
            "reported_at": [
                t("2025-05-14 08:00Z"),
                t("2025-05-15 09:00Z"),
                t("2025-05-10 08:00Z"),
                t("2025-05-12 08:00Z"),
                t("2025-05-16 08:00Z"),
            ],
            "attend_by": [
                t("2025-05-15 08:00Z"),
                t("2025-05-16 09:00Z"),
                t("2025-05-11 08:00Z"),
                t("2025-05-13 08:00Z"),
                t("2025-05-17 08:00Z"),
            ],
            "attended_at": [pd.NaT, pd.NaT, t("2025-05-10 12:00Z"), t("2025-05-14 08:00Z"), pd.NaT],
        }
    )
    states = event_status(events, t("2025-05-15 12:00Z"))
    assert dict(zip(states.id, states.state)) == {1: "overdue", 2: "open", 3: "attended", 4: "late"}


def test_denominator_is_the_households_given():
    fewer = _households().query("id != 3")
    status, _ = compliance([BY_CODE["bao_cun_yearly"]], fewer, GROUPS, STAFF, VISITS, DAY, TERM)
    assert summarise(status, ["duty"]).total.tolist() == [6]  # two cadres × three households


def test_event_responsibility_by_village_and_cell():
    events = pd.DataFrame({"id": [7, 8], "village_id": [1, 2], "household_id": [3, 5]})
    pairs = event_responsibility(events, _households(), STAFF.on(DAY))
    # Village 1: 包村 cadres 1, 2 and grid worker 3 living there; village 2: first secretary 5,
    # grid worker 4 (lives there and holds the cell of household 5).
    assert sorted(map(tuple, pairs.to_numpy())) == [(1, 7), (2, 7), (3, 7), (4, 8), (5, 8)]


def test_work_list_puts_overdue_events_first():
    t = pd.Timestamp
    mine = pd.DataFrame(
        {"duty": ["a", "a", "b", "a"], "target_id": [1, 2, 2, 3], "status": ["due", "overdue", "due", "done"]}
    )
    events = pd.DataFrame(
        {
            "id": [7, 8, 9, 10],
            "household_id": [1, None, 4, 3],
            "state": ["open", "overdue", "attended", "overdue"],
            "attend_by": [
                t("2025-05-16 00:00Z"),
                t("2025-05-14 00:00Z"),
                t("2025-05-10 00:00Z"),
                t("2025-05-15 00:00Z"),
            ],
        }
    )
    rows = work_list(mine, events)
    assert list(zip(rows.priority, rows.household_id.astype("Int64").astype(object), rows.event_id)) == [
        ("event_overdue", pd.NA, 8),
        ("event_overdue", 3, 10),
        ("event_open", 1, 7),
        ("overdue", 2, pd.NA),
    ]


def test_every_open_event_of_a_household_is_listed():
    t = pd.Timestamp
    mine = pd.DataFrame({"duty": ["a"], "target_id": [1], "status": ["overdue"]})
    events = pd.DataFrame(
        {
            "id": [7, 8],
            "household_id": [1, 1],
            "state": ["open", "overdue"],
            "attend_by": [t("2025-05-16 00:00Z"), t("2025-05-14 00:00Z")],
        }
    )
    rows = work_list(mine, events)
    assert list(zip(rows.priority, rows.event_id)) == [("event_overdue", 8), ("event_open", 7)]
