"""Period arithmetic, default duties and event deadlines, checked by hand."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from gridmgmt.domain.duties import (
    DEFAULT_DUTIES,
    AttendRules,
    Duty,
    DutyError,
    Term,
    add_years,
    attend_by,
    binds,
    covers_township,
    per_person,
    period_bounds,
    previous_period,
)


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2024, 2, 10), (date(2024, 2, 1), date(2024, 2, 29))),  # leap February
        (date(2023, 2, 28), (date(2023, 2, 1), date(2023, 2, 28))),
        (date(2025, 12, 31), (date(2025, 12, 1), date(2025, 12, 31))),
    ],
)
def test_month(day, expected):
    assert period_bounds("month", day) == expected


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2025, 3, 31), (date(2025, 1, 1), date(2025, 3, 31))),  # last day of Q1
        (date(2025, 4, 1), (date(2025, 4, 1), date(2025, 6, 30))),  # first day of Q2
        (date(2025, 9, 30), (date(2025, 7, 1), date(2025, 9, 30))),
        (date(2025, 12, 31), (date(2025, 10, 1), date(2025, 12, 31))),
    ],
)
def test_quarter_ends(day, expected):
    assert period_bounds("quarter", day) == expected


def test_year_and_previous_periods():
    assert period_bounds("year", date(2024, 2, 29)) == (date(2024, 1, 1), date(2024, 12, 31))
    assert previous_period("quarter", date(2025, 1, 15)) == (date(2024, 10, 1), date(2024, 12, 31))
    assert previous_period("month", date(2024, 3, 1)) == (date(2024, 2, 1), date(2024, 2, 29))


def test_term_ends():
    term = Term(date(2021, 10, 1), 5)
    assert period_bounds("term", date(2026, 9, 30), term) == (date(2021, 10, 1), date(2026, 9, 30))
    assert period_bounds("term", date(2026, 10, 1), term) == (date(2026, 10, 1), date(2031, 9, 30))
    assert period_bounds("term", date(2021, 9, 30), term) == (date(2016, 10, 1), date(2021, 9, 30))
    assert previous_period("term", date(2027, 1, 1), term) == (date(2021, 10, 1), date(2026, 9, 30))


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2025, 6, 30), (date(2025, 1, 1), date(2025, 6, 30))),
        (date(2025, 7, 1), (date(2025, 7, 1), date(2025, 12, 31))),
    ],
)
def test_half_year(day, expected):
    """003 三.5“单位主要负责同志每半年至少到村调研指导1次”: halves are January–June, July–December."""
    assert period_bounds("half_year", day) == expected


def test_week_runs_monday_to_sunday():
    """000 三.1 weekly duties (“每周至少1-2天集中办公”): a week is Monday to Sunday, across a year's end."""
    assert period_bounds("week", date(2025, 1, 1)) == (date(2024, 12, 30), date(2025, 1, 5))  # a Wednesday
    assert period_bounds("week", date(2025, 1, 5)) == (date(2024, 12, 30), date(2025, 1, 5))  # its Sunday
    assert previous_period("week", date(2025, 1, 6)) == (date(2024, 12, 30), date(2025, 1, 5))
    assert previous_period("half_year", date(2025, 3, 1)) == (date(2024, 7, 1), date(2024, 12, 31))


def test_village_secretary_can_be_given_duties():
    """000 三.1 三个走遍: 村党组织书记 is a cadre role; 走遍本村所有农户 is its default duty."""
    by_code = {d.code: d for d in DEFAULT_DUTIES}
    walk = by_code["village_secretary_yearly"]
    assert (walk.cadre_roles, walk.scope, walk.target) == (("village_secretary",), "home_village", "households")
    assert per_person(walk) and not per_person(by_code["must_visit_monthly"])
    Duty(
        "vs_week",
        "村书记每周走访",
        "home_village",
        "flagged_households",
        "week",
        ("village_secretary",),
        flags=("hardship",),
    )


def test_term_from_leap_day():
    term = Term(date(2024, 2, 29), 5)
    assert add_years(date(2024, 2, 29), 5) == date(2029, 2, 28)
    assert period_bounds("term", date(2029, 2, 27), term) == (date(2024, 2, 29), date(2029, 2, 27))
    assert period_bounds("term", date(2029, 2, 28), term)[0] == date(2029, 2, 28)
    # Four terms on, 2044 is a leap year again: the term starts on 29 February.
    assert period_bounds("term", date(2044, 3, 1), term)[0] == date(2044, 2, 29)


def test_defaults_follow_the_documents():
    by_code = {d.code: d for d in DEFAULT_DUTIES}
    assert by_code["resident_quarterly"].period == "quarter"
    assert set(by_code["resident_quarterly"].cadre_roles) == {"first_secretary", "work_team"}
    assert by_code["bao_cun_yearly"].period == "year"
    assert by_code["must_visit_monthly"].period == "month"
    assert len(by_code["must_visit_monthly"].flags) == 5
    assert by_code["walk_hardship_term"].flags == ("hardship",)
    assert by_code["walk_groups_term"].target == "village_groups"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"period": "fortnight"}, "未知周期"),
        ({"cadre_roles": ("mayor",)}, "未知干部角色"),
        ({"cadre_roles": ()}, "须指定干部类别或具体干部"),
        ({"target": "flagged_households"}, "须指定至少一个必访标记"),
        ({"flags": ("rich",), "target": "flagged_households"}, "未知必访标记"),
    ],
)
def test_bad_duties_are_refused(kwargs, message):
    base = {
        "code": "x",
        "name": "x",
        "scope": "township",
        "target": "households",
        "period": "month",
        "cadre_roles": ("grid_worker",),
    }
    with pytest.raises(DutyError, match=message):
        Duty(**{**base, **kwargs})


def test_attend_by_default_and_per_type():
    """000 三.1 四必到: each event type has its own deadline; 突发事件 is counted in hours."""
    reported = datetime(2024, 2, 28, 20, 0, tzinfo=UTC)
    assert attend_by("dispute", reported) == datetime(2024, 2, 29, 20, 0, tzinfo=UTC)
    assert attend_by("emergency", reported) - reported == timedelta(hours=2)
    assert attend_by("grievance", reported) - reported == timedelta(hours=48)
    rules = AttendRules({"emergency": 1})
    assert attend_by("emergency", reported, rules) - reported == timedelta(hours=1)
    assert attend_by("grievance", reported, rules) - reported == timedelta(hours=48)  # the others keep theirs
    assert rules.table() == {"grievance": 48, "emergency": 1, "dispute": 24, "bereavement_hardship": 24}
    with pytest.raises(DutyError, match="未知事件类型"):
        attend_by("party", reported)
    with pytest.raises(DutyError, match="须大于 0"):
        attend_by("dispute", reported, AttendRules({"dispute": 0}))


@pytest.mark.parametrize(
    "role, cadre_id, covered",
    [
        ("township_secretary", 1, True),  # 三个走遍, by role
        ("grid_worker", 1, False),  # 四必访 in their own grid only
        ("township_cadre", 7, True),  # a 全镇 duty naming cadre 7
        ("township_cadre", 8, False),
    ],
)
def test_covers_township(role, cadre_id, covered):
    named = Duty("patrol", "全镇巡查", "township", "households", "year", cadre_id=7)
    retired = Duty(
        "old", "已停用的全镇职责", "township", "households", "year", cadre_roles=("grid_worker",), active=False
    )
    assert covers_township([*DEFAULT_DUTIES, named, retired], role, cadre_id) is covered


def test_binds_by_role_or_by_name_and_only_when_active():
    """A duty binds a cadre by role or by name (cadre_work works out only the duties that bind its cadre)."""
    by_role = Duty("walk", "走遍", "posted_villages", "households", "year", cadre_roles=("township_cadre",))
    by_name = Duty("named", "指定干部", "posted_villages", "households", "year", cadre_id=7)
    retired = Duty(
        "old", "已停用", "posted_villages", "households", "year", cadre_roles=("township_cadre",), active=False
    )
    assert binds(by_role, "township_cadre", 1) and not binds(by_role, "grid_worker", 1)
    assert binds(by_name, "grid_worker", 7) and not binds(by_name, "grid_worker", 8)
    assert not binds(retired, "township_cadre", 1)
