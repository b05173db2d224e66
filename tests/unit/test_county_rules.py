"""The 县级总览's ranking and who may open a county's or a township's pages (issue 17)."""

import pytest

from gridmgmt.domain.county import (
    DEFAULT_SORT,
    FIGURE_KEYS,
    FIGURES,
    shading,
    shown,
    value_classes,
    worst_first,
)
from gridmgmt.domain.permissions import county_of, covers_code, covers_county

ROWS = [
    {"code": "441624101000", "blank_groups": 3, "visit_rate": 0.9, "plan_age_days": 40},
    {"code": "441624102000", "blank_groups": 7, "visit_rate": 0.4, "plan_age_days": None},
    {"code": "441624100000", "blank_groups": 3, "visit_rate": 0.6, "plan_age_days": 400},
]


def codes(rows):
    return [r["code"][6:9] for r in rows]


def test_more_is_worse_ranks_the_most_first_ties_by_code():
    assert codes(worst_first(ROWS, "blank_groups")) == ["102", "100", "101"]


def test_less_is_worse_ranks_the_least_first():
    assert codes(worst_first(ROWS, "visit_rate")) == ["102", "100", "101"]


def test_a_missing_value_ranks_worst_of_all():
    """A plan never published has no age: it needs more attention than the oldest published one."""
    assert codes(worst_first(ROWS, "plan_age_days")) == ["102", "100", "101"]


def test_every_figure_has_a_direction_and_the_default_is_one_of_them():
    assert {f.worse for f in FIGURES} == {"more", "less"}
    assert DEFAULT_SORT in FIGURE_KEYS and len(FIGURE_KEYS) == len(FIGURES)


def test_the_county_is_the_first_six_digits():
    assert county_of("441624100000") == "441624"


@pytest.mark.parametrize(
    ("role", "township", "county", "code", "expected"),
    [
        ("admin", None, None, "441500100000", True),
        ("leader", "441624100000", None, "441624100000", True),
        ("leader", "441624100000", None, "441624101000", False),  # a township user: their own only
        ("leader", None, "441624", "441624101000", True),  # a county user: every township of it
        ("planner", None, "441624", "441625100000", False),
    ],
)
def test_who_covers_a_township(role, township, county, code, expected):
    assert covers_code(role, township, county, code) is expected


@pytest.mark.parametrize(
    ("role", "county", "expected"),
    [
        ("admin", None, True),
        ("leader", "441624", True),
        ("planner", "441625", False),
        ("leader", None, False),
        ("reviewer", "441624", False),
    ],
)
def test_who_opens_a_county(role, county, expected):
    assert covers_county(role, county, "441624") is expected


def test_classes_split_the_townships_in_fifths_worse_is_darker():
    values = list(range(1, 11))  # ten townships, 1…10
    more = value_classes(values, "more")
    assert [more[v] for v in values] == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    less = value_classes(values, "less")
    assert less[10] == 0 and less[1] == 4 and value_classes([], "more") == {}


def test_a_value_is_never_split_and_no_class_is_empty():
    """Fourteen townships with 0 and one each with 1…6 空白组: no '<4 ≥4 ≥4 ≥4' of empty classes."""
    found = value_classes([0] * 14 + [1, 2, 3, 4, 5, 6], "more")
    assert found == {0: 0, 1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 4}  # the 14 alike fill one class
    assert value_classes([0] * 11 + [4, 5, 5], "more") == {0: 0, 4: 1, 5: 2}  # three values, three classes


def _rows(key, values):
    return [{"code": str(k), key: v} for k, v in enumerate(values)]


def test_the_shading_names_each_class_and_each_township():
    rows = _rows("visit_rate", [k / 10 for k in range(1, 11)] + [None])
    found = shading(rows, FIGURE_KEYS["visit_rate"])
    assert [e["text"] for e in found["legend"]] == [
        "90.0%–100.0%（2 个乡镇）",
        "70.0%–80.0%（2 个乡镇）",
        "50.0%–60.0%（2 个乡镇）",
        "30.0%–40.0%（2 个乡镇）",
        "10.0%–20.0%（2 个乡镇）",
        "无数据：无走访任务（1 个乡镇）",
    ]
    assert [e["shade"] for e in found["legend"]] == [0, 1, 2, 3, 4, None]
    assert found["classes"]["0"] == 4 and found["classes"]["9"] == 0 and found["classes"]["10"] is None
    assert shown(FIGURE_KEYS["members_per_100"], 10.0) == "10" and shown(FIGURE_KEYS["blank_groups"], 12) == "12"


def test_few_distinct_values_give_distinct_classes_from_lightest_to_darkest():
    found = shading(_rows("blank_groups", [0] * 17 + [2, 3, 3]), FIGURE_KEYS["blank_groups"])
    assert found["legend"] == [
        {"shade": 0, "text": "0（17 个乡镇）"},
        {"shade": 2, "text": "2（1 个乡镇）"},
        {"shade": 4, "text": "3（2 个乡镇）"},
    ]
    same = shading(_rows("plan_age_days", [None, None, 12]), FIGURE_KEYS["plan_age_days"])
    assert same["legend"] == [
        {"shade": 2, "text": "12（1 个乡镇）"},
        {"shade": None, "text": "无数据：未发布网格方案（2 个乡镇）"},
    ]
