"""Responsibility over time: a visit counts for whoever answered for the target on its day.

Village 1 has households 1 (plain), 2 and 3 (hardship); village 2 household 4 (hardship).
Township cadre 1 is posted to village 1 from 1 March to 30 April 2025, township cadre 2
from 1 May; grid workers 3 and 4 live in villages 1 and 2. The first plan is published
on 10 May 2025 at 10:00: cell 10 (households 1, 2) to worker 4, cell 11 (household 3)
to worker 3, cell 12 (household 4) to nobody.
"""

from datetime import date

import pandas as pd
import pytest

from gridmgmt.analysis.compliance import Staff, compliance, credited, duty_targets, responsibility
from gridmgmt.domain.duties import DEFAULT_DUTIES

BY_CODE = {d.code: d for d in DEFAULT_DUTIES}
FLAGS = ["hardship", "critically_ill", "empty_nest_elderly", "left_behind_children", "petitioner"]
T = pd.Timestamp
PUBLISHED = T("2025-05-10 10:00")


def _spans(frame):
    return frame.astype({"begins": "datetime64[ns]", "ends": "datetime64[ns]"})


HOUSEHOLDS = pd.DataFrame(
    {"id": [1, 2, 3, 4], "village_id": [1, 1, 1, 2], "group_id": [1, 1, 1, 2], "grid_cell_id": None}
)
for _flag in FLAGS:
    HOUSEHOLDS[_flag] = HOUSEHOLDS.id.isin([2, 3, 4]) & (_flag == "hardship")
GROUPS = pd.DataFrame({"id": [1, 2], "village_id": [1, 2]})
STAFF = Staff(
    cadres=pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "cadre_role": ["township_cadre", "township_cadre", "grid_worker", "grid_worker"],
            "home_village_id": [None, None, 1, 2],
        }
    ),
    postings=_spans(
        pd.DataFrame(
            {
                "cadre_id": [1, 2],
                "village_id": [1, 1],
                "begins": [T("2025-03-01"), T("2025-05-01")],
                "ends": [T("2025-05-01"), pd.NaT],
            }
        )
    ),
    cells=_spans(
        pd.DataFrame(
            {
                "grid_cell_id": [10, 11, 12],
                "cadre_id": pd.array([4, 3, None], "Int64"),
                "begins": PUBLISHED,
                "ends": pd.NaT,
            }
        )
    ),
    members=pd.DataFrame({"household_id": [1, 2, 3, 4], "grid_cell_id": [10, 10, 11, 12]}),
)


def _counted(code, rows):
    """Which of ROWS (cadre, household, day) count for duty CODE."""
    seen = pd.DataFrame(rows, columns=["cadre_id", "target_id", "day"]).astype({"day": "datetime64[ns]"})
    seen["village_id"] = seen.target_id.map(HOUSEHOLDS.set_index("id").village_id)
    kept = credited(BY_CODE[code], seen, STAFF)
    return [tuple(r) for r in kept[["cadre_id", "target_id", "day"]].astype({"day": str}).to_numpy()]


def test_postings_count_from_their_first_to_their_last_day():
    rows = [
        (1, 1, "2025-02-28"),
        (1, 1, "2025-03-01"),
        (1, 1, "2025-04-30"),
        (1, 1, "2025-05-01"),
        (2, 1, "2025-04-30"),
        (2, 1, "2025-05-01"),
    ]
    assert _counted("bao_cun_yearly", rows) == [(1, 1, "2025-03-01"), (1, 1, "2025-04-30"), (2, 1, "2025-05-01")]


def test_before_a_plan_grid_workers_answer_for_their_village_after_it_for_their_cells():
    rows = [
        (3, 2, "2025-05-05"),  # worker 3 in his own village, no plan yet: counts
        (4, 3, "2025-05-06"),  # worker 4 outside his village, no plan yet: does not
        (3, 2, "2025-05-11"),  # worker 3 now holds cell 11 only: household 2 is not his
        (4, 2, "2025-05-11"),  # worker 4 holds cell 10: counts
        (4, 4, "2025-05-11"),  # his village, but he holds a cell all day: does not
        (2, 2, "2025-05-11"),
    ]  # township cadre 2 holds no cell: his posted village
    assert _counted("must_visit_monthly", rows) == [(3, 2, "2025-05-05"), (4, 2, "2025-05-11"), (2, 2, "2025-05-11")]


def test_on_the_day_of_a_change_the_old_and_the_new_responsibility_count():
    rows = [(3, 2, "2025-05-10"), (4, 2, "2025-05-10"), (4, 3, "2025-05-10")]
    assert _counted("must_visit_monthly", rows) == [(3, 2, "2025-05-10"), (4, 2, "2025-05-10")]


def _visits(rows):
    frame = pd.DataFrame(rows, columns=["cadre_id", "household_id", "day"]).assign(group_id=None)
    return frame.astype({"day": "datetime64[ns]", "group_id": "float64"})


@pytest.mark.parametrize("day, cells", [(date(2025, 5, 9), {}), (date(2025, 5, 10), {1: 10, 2: 10, 3: 11, 4: 12})])
def test_the_households_cells_follow_the_plan_in_force_at_the_close_of_the_day(day, cells):
    assert STAFF.household_cells(day).to_dict() == cells


def test_publishing_a_plan_keeps_the_credit_of_earlier_visits():
    visits = _visits([(3, 2, "2025-05-05"), (3, 3, "2025-04-20")])
    # On 15 May household 4's cell has no worker and worker 4 holds a cell: nobody answers for it.
    for day, pairs, statuses in [
        (date(2025, 5, 9), [(2, 2), (2, 3), (3, 2), (3, 3), (4, 4)], {2: "done", 3: "due", 4: "overdue"}),
        (date(2025, 5, 15), [(2, 2), (2, 3), (3, 3), (4, 2)], {2: "done", 3: "due"}),
    ]:
        households = HOUSEHOLDS.assign(grid_cell_id=HOUSEHOLDS.id.map(STAFF.household_cells(day)))
        duty = BY_CODE["must_visit_monthly"]
        now = responsibility(duty, duty_targets(duty, households, GROUPS), STAFF.on(day))
        assert sorted(map(tuple, now.to_numpy())) == pairs  # who answers now follows the plan
        status, _ = compliance([duty], households, GROUPS, STAFF, visits, day)
        # Household 2 was visited this month by worker 3 while it was his: done on both days.
        assert dict(zip(status.target_id, status.status)) == statuses


def test_a_township_with_nothing_in_it_yet():
    def empty(frame):
        return frame.iloc[0:0].astype(object)  # as read from an empty table

    visits = _visits([(3, 2, "2025-05-05")])
    status, pairs = compliance(list(DEFAULT_DUTIES), empty(HOUSEHOLDS), empty(GROUPS), STAFF, visits, date(2025, 5, 15))
    assert status.empty and pairs.empty
