"""web.params and web.inputs on their own: types, ranges, messages, forms, JSON and page refusals."""

import math
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from gridmgmt.domain.errors import UserError
from gridmgmt.services.mapdata.features import DEFAULT_LIMIT, MAX_LIMIT
from web import create_app
from web.field_inputs import VisitBody
from web.inputs import AllocateForm, ComplianceQuery, DutyForm, ItemsQuery, SiteQuery
from web.params import PathValues, has_nul, parse, problems


@pytest.fixture(scope="module")
def app():
    """The app; nothing here reaches the database (the URL names no server)."""
    return create_app({"TESTING": True, "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"})


def _refused(model, values) -> list[str]:
    with pytest.raises(ValidationError) as error:
        model.model_validate(values)
    return problems(model, error.value)


@pytest.mark.parametrize("given", [True, 1.5, "1.5", 0, -1, 2**31, "9" * 30, "一", {"id": 1}])
def test_ids_are_whole_positive_int4(given):
    assert _refused(VisitBody, {"household_id": given})


def test_ids_accept_digits_and_whole_numbers():
    assert VisitBody.model_validate({"household_id": "12"}).household_id == 12
    assert VisitBody.model_validate({"household_id": 2**31 - 1}).household_id == 2**31 - 1


@pytest.mark.parametrize("given", [math.nan, math.inf, "NaN", "-inf", "1e400", True, -1])
def test_numbers_are_finite_and_in_range(given):
    assert _refused(VisitBody, {"accuracy_m": given})


@pytest.mark.parametrize("given", ["1e20", 100_001, -0.5])
def test_distances_stay_within_a_township(given):
    assert _refused(SiteQuery, {"corridor_m": given})


def test_a_coarse_phone_fix_keeps_the_visit():
    assert VisitBody.model_validate({"accuracy_m": 250_000}).accuracy_m == 250_000


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("0001-01-01T00:00:00+14:00", "须在 2000-01-01 至 2100-12-31 之间"),
        ("9999-12-31T23:59:59-14:00", "须在 2000-01-01 至 2100-12-31 之间"),
        ("2026-01-15T10:00:00", "须带时区"),
        ("1700000000", "ISO 8601"),
        (1700000000, "ISO 8601"),
        ({"at": 1}, "ISO 8601"),
    ],
)
def test_moments_are_iso_aware_and_in_the_calendar(given, reason):
    assert reason in _refused(VisitBody, {"visited_at": given})[0]


def test_a_moment_keeps_its_zone():
    at = VisitBody.model_validate({"visited_at": "2026-01-15T10:00:00+08:00"}).visited_at
    assert at == datetime(2026, 1, 15, 2, tzinfo=UTC) and at.utcoffset() == timedelta(hours=8)


def test_text_must_be_text_within_its_length():
    assert _refused(VisitBody, {"note": {"a": 1}}) == ["备注须为文字：{'a': 1}"]
    assert _refused(VisitBody, {"note": [1, 2]}) == ["备注须为文字：[1, 2]"]
    assert _refused(VisitBody, {"note": "字" * 2001})[0].startswith("备注不能超过 2000 个字：字字")


def test_a_message_names_the_parameter_and_shows_the_value_escaped_and_cut():
    [line] = _refused(VisitBody, {"household_id": "x\n" * 30})
    assert line.startswith("农户编号须为整数：x\\nx\\n") and line.endswith("…") and "\n" not in line


def test_query_and_form_values_are_stripped_empty_ones_left_out_lists_kept():
    form = parse(
        DutyForm,
        MultiDict(
            [
                ("code", " d1 "),
                ("name", ""),
                ("flags", "hardship"),
                ("flags", " petitioner"),
                ("flags", " "),
                ("active", "on"),
            ]
        ),
    )
    assert (form.code, form.name, form.flags, form.active) == ("d1", "", ["hardship", "petitioner"], True)


def test_an_inline_form_keeps_defaults_for_bad_values_and_lists_them():
    query = parse(SiteQuery, MultiDict({"corridor_m": "1e20", "k": "abc", "catchment_m": "500"}))
    assert (query.corridor_m, query.k, query.catchment_m) == (300.0, None, 500.0)
    assert query.problems == ["道路两侧范围（米）不能大于 100000：1e20", "选出示范点个数须为整数：abc"]
    form = parse(AllocateForm, MultiDict({"min": "十"}))
    assert form.min_workload == 100.0 and form.problems == ["下限须为数字：十"]


def _answer(app, url: str, model, values, method: str = "GET", json: bool = False):
    """The app's answer to the UserError PARSE raises for VALUES (web/errors.py answers it)."""
    headers = {"Accept": "application/json"} if json else {}
    with app.test_request_context(url, method=method, headers=headers):
        with pytest.raises(UserError) as refused:
            parse(model, values)
        return app.handle_user_exception(refused.value)


def test_a_json_client_gets_the_json_error_shape(app):
    response = _answer(app, "/api/visits", VisitBody, {"household_id": 1.5}, method="POST", json=True)
    assert response.status_code == 400
    assert response.get_json() == {"error": {"code": "bad_request", "message": "农户编号须为整数：1.5", "final": True}}


def test_a_page_gets_a_400_with_the_chinese_reason(app):
    response = _answer(app, "/audit", PathValues, {"plan_id": 2**31})
    assert response.status_code == 400 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "方案编号不能大于 2147483647：2147483648" in page and "返回首页" in page and "Bad Request" not in page


@pytest.mark.parametrize("body", [None, [1], "text", 3])
def test_a_body_must_be_a_json_object(app, body):
    response = _answer(app, "/api/visits", VisitBody, body, method="POST", json=True)
    assert response.get_json()["error"]["message"] == "请求须为 JSON 对象"


def test_paging_of_ogc_items():
    assert (ItemsQuery().limit, ItemsQuery().offset) == (DEFAULT_LIMIT, 0)
    assert ItemsQuery.model_validate({"limit": "50000", "offset": "10"}).limit == MAX_LIMIT
    # OGC API Features: a limit above the maximum is lowered, however large, never refused.
    assert ItemsQuery.model_validate({"limit": str(2**31)}).limit == MAX_LIMIT
    assert ItemsQuery.model_validate({"limit": 10**30}).limit == MAX_LIMIT
    assert ItemsQuery.model_validate({"offset": str(2**63 - 1)}).offset == 2**63 - 1
    for bad in ({"limit": "0"}, {"limit": "x"}, {"offset": "-1"}, {"offset": "1.5"}, {"offset": str(2**63)}):
        assert _refused(ItemsQuery, bad)


def test_dates_are_iso_and_in_the_calendar():
    assert ComplianceQuery.model_validate({"date": "2026-01-15"}).date == date(2026, 1, 15)
    for bad in ("0001-01-01", "9999-12-31", "2026-02-30", "1700000000", "15/01/2026"):
        assert _refused(ComplianceQuery, {"date": bad})


def test_nul_bytes_are_found_anywhere():
    assert has_nul({"a": [1, {"b": "x\x00"}]}) and has_nul({"k\x00": 1}) and has_nul(["\x00"])
    assert not has_nul({"a": [1, None, 1.5, {"b": "x"}]})
