"""Every route and method fed generated values, as an admin and as a grid worker (and as a
reviewer where only reviewers go): never a 500, and no row written by a refused request.

What a route reads is discovered, not listed by hand: its URL variables (web.params.PathValues
checks them by name) and the models its view declares with @accepts (web.inputs). A view
that declares none must be named in READS_NOTHING or OWN_PARSING, so a new route without a
model fails here. Each request is valid but for one or two values, made bad: NUL bytes, huge
and negative numbers, 1.5, NaN, 1e20, odd dates, objects where text is expected, long text.
"""

import math
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import get_origin

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing.converters import AnyConverter, IntegerConverter

from tests.web.people import IN_SCOPE, OTHER_VILLAGE_CODE, log_in
from tests.web.sample import OTHER_TOWNSHIP_CODE, TOWNSHIP_CODE
from web.params import PathValues

# Views that read nothing but their URL variables.
READS_NOTHING = {
    "accounts.logout",
    "accounts.logout_everywhere",
    "assets.package_file",
    "health.healthz",
    "health.readyz",
    "static",
    "townships.index",
    "townships.show",
    "villages.show",
    "households.show",
    "mobile.index",
    "visits.today",
    "visits.duties",
    "grids.index",
    "grids.editor",
    "grids_api.data",
    "grids_api.rebalance_plan",
    "grids_api.rebalance_preview",
    "grids_api.assign_plan",
    "grids_api.redraw_plan_outlines",
    "grids_api.unknown_path",
    "coverage.workbook",
    "exports.download_roster",
    "tiles.tile",
    "tiles.unknown_path",
    "ogc.landing",
    "ogc.conformance",
    "ogc.collections",
    "ogc.collection",
    "ogc.api_definition",
    "ogc.queryables_of",
    "ogc.unknown_path",
    "imports.page",
    "imports.template",
    "imports.errors",
    "imports.confirm",
    "imports.job",
    "imports.status",
    "users.index",
    "users.show",
    "users.revoke",
    "users.reset",
    "users.own_password",
    "postings.page",
    "field.manifest",
    "field.service_worker",
    "field.login_state",
    "field.data",
    "followups.mine",
    "followups.show",
    "followups.photo",
}
# Views that read their input themselves (web/accounts.py); NUL bytes are refused for them too.
OWN_PARSING = {
    "accounts.login": {"query": {"next": False}, "form": {"username": False, "password": False, "next": False}}
}
# Who feeds each route: those two, or the only role a route lets in.
WHO = ("admin", "grid_worker")
ONLY = {"sites.decide": ("reviewer",)}
EXAMPLES = 8

RECENT = (datetime.now(timezone(timedelta(hours=8))) - timedelta(days=1)).isoformat(timespec="seconds")
# Valid values by field name; fields without one get only generated values.
SAMPLES = {
    "code": [TOWNSHIP_CODE, OTHER_TOWNSHIP_CODE, "441500100201", OTHER_VILLAGE_CODE, IN_SCOPE[0]],
    "plan_id": [1],
    "user_id": [2, 3],
    "token_id": [1],
    "posting_id": [1],
    "cadre": ["G001"],
    "role": ["leader", "grid_worker"],
    "township": [TOWNSHIP_CODE, ""],
    "start": ["2026-01-01"],
    "end": ["2026-12-31"],
    "current": ["sample-pass-1"],
    "new": ["lantern-river-7"],
    "again": ["lantern-river-7"],
    "a": [1],
    "b": [1],
    "household_id": [1, 2, 3],
    "page": [1, 2],
    "visited_at": [RECENT],
    "reported_at": [RECENT],
    "date": ["2026-01-15"],
    "since": ["2026-01-01"],
    "until": ["2026-12-31"],
    "kind": ["routine", "overview", "bao_cun"],
    "event_type": ["grievance"],
    "lon": [115.71],
    "lat": [23.91],
    "accuracy_m": [12],
    "note": ["门口聊了十分钟"],
    "fmt": ["csv", "xlsx", "png", "html"],
    "layer": ["households", "roads"],
    "z": ["12"],
    "x": ["3364"],
    "y": ["1767"],
    "collection_id": ["villages", "households"],
    "fid": ["1"],
    "limit": [2],
    "offset": [0],
    "bbox": ["115.69,23.87,115.76,23.93"],
    "action": ["move", "lock", "split", "login"],
    "hours": [1],
    "mode": ["walk", "drive"],
    "village": ["西村", "441500100202"],
    "paper": ["A4"],
    "orientation": ["portrait"],
    "scope": ["township"],
    "target": ["households", 150],
    "period": ["year"],
    "name": ["巡查"],
    "cadre_roles": [["grid_worker"]],
    "flags": [["hardship"]],
    "active": ["on"],
    "org": ["P4415001002"],
    "step": ["apply"],
    "year": [2026],
    "theme": ["industry"],
    "corridor_m": [300],
    "catchment_m": [1000],
    "k": [1],
    "spacing_m": [500],
    "households": [[IN_SCOPE[2]]],
    "to": ["W1"],
    "cell": ["W1"],
    "seen": [{"W1": 1}],
    "locked": [True],
    "package": ["leaflet"],
    "filename": ["dist/leaflet.js", "site.css"],
    "_path": ["nothing"],
    "username": ["admin"],
    "password": ["wrong-password"],
    "next": ["/m"],
}
NASTY = [
    "\x00",
    "a\x00b",
    "x" * 3000,
    "-1",
    "0",
    "1.5",
    "NaN",
    "inf",
    "-inf",
    "1e20",
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
    "9" * 30,
    "0001-01-01",
    "9999-12-31",
    "-0001-01-01",
    "2026-02-30",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "1700000000",
    "{1,2}",
    "\n",
    "中文",
    "true",
]
NASTY_JSON = [
    None,
    True,
    0,
    -1,
    1.5,
    math.nan,
    math.inf,
    -math.inf,
    1e20,
    2**31,
    2**63,
    -(2**63) - 1,
    10**30,
    {"a": 1},
    {"W1": "x"},
    [1, 2],
    ["\x00"],
    [],
    {},
]
ROUTABLE_INT = [0, 1, 2, 2**31, 2**63, 10**30]
ABSENT = object()


def route_fields(app, endpoint: str) -> dict[str, dict[str, bool]]:
    """{source: {field: is a list}} that ENDPOINT's view reads beyond its URL (web.inputs models)."""
    if endpoint in OWN_PARSING:
        return OWN_PARSING[endpoint]
    models = getattr(app.view_functions[endpoint], "params", {})
    return {
        source: {(f.alias or name): get_origin(f.annotation) is list for name, f in model.model_fields.items()}
        for source, model in models.items()
    }


def test_every_route_declares_what_it_reads(app):
    path_names = {f.alias or name for name, f in PathValues.model_fields.items()}
    for rule in app.url_map.iter_rules():
        declared = route_fields(app, rule.endpoint) or rule.endpoint in READS_NOTHING
        assert declared, f"{rule.endpoint}: declare its model with @accepts or add it to READS_NOTHING"
        assert set(rule.arguments) <= path_names, f"{rule.rule}: add its variables to web.params.PathValues"
    assert not {name for name in READS_NOTHING if getattr(app.view_functions[name], "params", None)}


def _good(name: str, _source: str, converter):
    if isinstance(converter, AnyConverter):
        return st.sampled_from(sorted(converter.items))
    if name == "client_id":
        return st.uuids().map(str)
    if name not in SAMPLES:
        return st.just(ABSENT)
    return st.sampled_from(SAMPLES[name]).map(int if isinstance(converter, IntegerConverter) else lambda v: v)


def _bad(name: str, source: str, converter):
    if isinstance(converter, IntegerConverter):
        return st.sampled_from(ROUTABLE_INT)
    if isinstance(converter, AnyConverter):
        return _good(name, source, converter)
    strings = st.one_of(
        st.sampled_from(NASTY),
        st.text(max_size=20).map(lambda t: t + "\x00"),
        st.text(max_size=20),
        st.integers().map(str),
    )
    if source == "path":
        return strings.filter(lambda s: s and "/" not in s and s not in (".", ".."))
    if source == "body":
        return st.one_of(st.sampled_from(NASTY_JSON), strings, st.integers(), st.floats(), st.just(ABSENT))
    return st.one_of(strings, st.lists(strings, max_size=2), st.just(ABSENT))


@st.composite
def _request(draw, rule, fields: dict):
    """Path, query, form and body values: valid samples but for one or two values made bad."""
    names = [("path", name) for name in rule.arguments]
    names += [(source, name) for source, found in fields.items() for name in found]
    bad = set(draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True))) if names else set()
    values = {}
    for source, name in names:
        made = _bad if (source, name) in bad else _good
        value = draw(made(name, source, rule._converters.get(name)))
        if value is ABSENT and source == "path":
            value = draw(_bad(name, source, rule._converters.get(name)))
        if value is not ABSENT:
            values.setdefault(source, {})[name] = value
    return values


def _feed(app, row_counts, user_id: int, rule, method: str, failures: list) -> None:
    """Send EXAMPLES generated requests to RULE with METHOD as USER_ID; note each failure."""
    client, adapter = app.test_client(), app.url_map.bind("localhost")

    @settings(
        max_examples=EXAMPLES, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(_request(rule, route_fields(app, rule.endpoint)))
    def send(values):
        log_in(client, user_id)  # a POST /logout ends the session
        url = adapter.build(rule.endpoint, values.get("path", {}), method=method)
        before = row_counts()
        try:
            status = client.open(
                url,
                method=method,
                query_string=values.get("query"),
                data=values.get("form"),
                **({"json": values["body"]} if "body" in values else {}),
            ).status_code
            problem = f"HTTP {status}" if status >= 500 else None
        except Exception as exc:  # noqa: BLE001 - whatever escapes the app is a 500
            status, problem = 500, f"{type(exc).__name__}: {str(exc).splitlines()[0][:100]}"
        # Failed logins are counted on purpose (the limiter); nothing else refused may write.
        if status >= 400 and status not in (401, 429) and row_counts() != before:
            problem = f"{problem or ''} rows written by a refused {status}"
        if problem:
            failures.append((f"{method} {rule.endpoint}", problem, repr(values)[:200]))

    send()


def test_no_500_and_nothing_written_by_a_refused_request(app, row_counts, people):
    app.config.update(WTF_CSRF_ENABLED=False)
    failures = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for who in ONLY.get(rule.endpoint, WHO):
                _feed(app, row_counts, people[who], rule, method, failures)
    kinds = Counter((route, problem) for route, problem, _ in failures)
    report = [
        f"{n} × {route}: {problem}, e.g. {next(v for r, p, v in failures if (r, p) == (route, problem))}"
        for (route, problem), n in sorted(kinds.items())
    ]
    assert failures == [], f"{len(failures)} failing requests:\n" + "\n".join(report)
