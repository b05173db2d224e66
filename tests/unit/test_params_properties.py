"""Request parsing at the edge over generated input (web.params, web.inputs): every model, fed
any query string, form or JSON body, either gives checked values or refuses with 400 and a
message (an Inline form lists its problems instead), never anything else; and what it accepts
reads back the same when sent again."""

import math
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from gridmgmt.domain.errors import UserError
from web import create_app, field_inputs, inputs
from web.params import Inline, Params, PathValues, parse

SETTINGS = settings(max_examples=400, derandomize=True, database=None, deadline=None)
MODELS = sorted(
    {
        m
        for module in (inputs, field_inputs)
        for m in vars(module).values()
        if isinstance(m, type) and issubclass(m, Params) and m not in (Params, Inline)
    },
    key=lambda m: m.__name__,
) + [PathValues]
NASTY = [
    "",
    " ",
    "\x00",
    "-1",
    "0",
    "1",
    "1.5",
    "NaN",
    "inf",
    "-inf",
    "1e20",
    "1e400",
    "2147483647",
    "2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "9" * 5000,
    "true",
    "on",
    "否",
    "2026-02-30",
    "2026-01-15",
    "0001-01-01",
    "2026-01-15T10:00:00",
    "2026-01-15T10:00:00+08:00",
    "9999-12-31T23:59:59-14:00",
    "{1,2}",
    "[1]",
    "x" * 2001,
    "١٢",
    "1_000",
]
ZONES = st.sampled_from([None, UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-14))])
text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers().map(str),
    st.floats().map(repr),
    st.dates().map(date.isoformat),
    st.datetimes(timezones=ZONES).map(datetime.isoformat),
)
json_value = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        text,
        st.sampled_from([2**31, 2**63, -(2**63) - 1, 10**400, math.nan, math.inf]),
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)


def _keys(model) -> list[str]:
    """The names a request gives MODEL's fields by (aliases where set)."""
    return [f.alias or name for name, f in model.model_fields.items()]


def _form(model):
    keys = st.one_of(st.sampled_from(_keys(model)), st.text(max_size=8))
    return st.lists(st.tuples(keys, text), max_size=12).map(MultiDict)


def _body(model):
    keys = st.one_of(st.sampled_from(_keys(model)), text)
    return st.one_of(st.dictionaries(keys, json_value, max_size=10), json_value)


sources = st.sampled_from(MODELS).flatmap(lambda m: st.tuples(st.just(m), st.one_of(_form(m), _body(m))))


@pytest.fixture(scope="module")
def app():
    """The app; nothing here reaches the database (the URL names no server)."""
    return create_app({"TESTING": True, "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"})


def _outcome(app, model, source, json: bool = False):
    """The checked model, or the refusal's message (400, text or JSON as the client asked)."""
    headers = {"Accept": "application/json"} if json else {}
    with app.test_request_context("/", headers=headers):
        try:
            return parse(model, source)
        except UserError as refused:
            response = app.handle_user_exception(refused)
            assert response.status_code == 400 and response.is_json == json
            message = response.get_json()["error"]["message"] if json else str(refused)
            assert isinstance(message, str) and message.strip()
            return message


def _as_form(checked: Params) -> MultiDict:
    """CHECKED sent again as a query string: every value as text, lists as repeated keys."""

    def as_text(value):
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        return repr(value) if isinstance(value, float) else str(value)

    pairs = []
    for key, value in checked.model_dump(by_alias=True).items():
        for item in value if isinstance(value, list) else [] if value is None else [value]:
            pairs.append((key, as_text(item)))
    return MultiDict(pairs)


@SETTINGS
@given(sources, st.booleans())
def test_any_input_is_checked_or_refused_with_400(app, source, json):
    model, values = source
    outcome = _outcome(app, model, values, json)
    if isinstance(values, MultiDict) and issubclass(model, Inline):
        # A form shows its problems next to its fields instead of refusing.
        assert isinstance(outcome, model) and all(isinstance(p, str) and p for p in outcome.problems)
    assert isinstance(outcome, (model, str))


@SETTINGS
@given(sources)
def test_what_is_accepted_reads_back_the_same(app, source):
    model, values = source
    checked = _outcome(app, model, values)
    if not isinstance(checked, Params):
        return
    if isinstance(values, MultiDict) and not any(isinstance(v, dict) for v in checked.model_dump().values()):
        again = _outcome(app, model, _as_form(checked))
    else:
        again = _outcome(app, model, checked.model_dump(mode="json", by_alias=True))
    assert isinstance(again, model), again
    assert again.model_dump() == checked.model_dump() and not getattr(again, "problems", [])
