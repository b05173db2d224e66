"""The causes of 500s and stored junk found by the attack test (issue 15, finding 9), one test each:
each is refused now (400; 404 for an unknown township) and writes nothing."""

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from gridmgmt.db.models import Household, Visit
from tests.web.people import IN_SCOPE, log_in
from tests.web.sample import TOWNSHIP_CODE

TOWN = f"/townships/{TOWNSHIP_CODE}"
NUL = "%00"


@pytest.fixture
def send(app, row_counts, people):
    """send(WHO, METHOD, URL, **kwargs): the status of the request as WHO; fails if it wrote a row."""
    app.config["WTF_CSRF_ENABLED"] = False

    def request(who: str, method: str, url: str, **kwargs) -> int:
        client = app.test_client()
        if who != "anonymous":
            log_in(client, people[who])
        before = row_counts()
        status = client.open(url, method=method, **kwargs).status_code
        assert row_counts() == before, f"{method} {url} wrote rows"
        return status

    return request


def _visit(session, **fields) -> dict:
    home = session.scalar(select(Household.id).where(Household.code == IN_SCOPE[0]))
    recent = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    return {"client_id": str(uuid.uuid4()), "household_id": home, "visited_at": recent, **fields}


@pytest.mark.parametrize(
    ("who", "method", "url", "kwargs"),
    [
        ("admin", "GET", f"/townships/{NUL}", {}),
        ("admin", "GET", f"/townships/{NUL}/coverage", {}),
        ("admin", "GET", f"/townships/{NUL}/coverage.xlsx", {}),
        ("admin", "GET", f"/townships/{NUL}/visits", {}),
        ("admin", "GET", f"/townships/{NUL}/visits.xlsx", {}),
        ("admin", "GET", f"/townships/{NUL}/grids", {}),
        ("admin", "POST", f"/townships/{NUL}/grids", {"data": {"name": "x"}}),
        ("admin", "GET", f"/townships/{NUL}/sites", {}),
        ("admin", "GET", f"/townships/{NUL}/sites.xlsx", {}),
        ("admin", "GET", f"/townships/{NUL}/grid-roster.xlsx", {}),
        ("admin", "GET", f"/villages/{NUL}", {}),
        ("admin", "GET", f"/households/{NUL}", {}),
        ("admin", "GET", f"/audit?actor=a{NUL}", {}),
        ("admin", "GET", f"/audit/export.csv?action={NUL}", {}),
        ("admin", "GET", f"{TOWN}/visits?village={NUL}", {}),
        ("admin", "GET", f"{TOWN}/coverage?village={NUL}", {}),
        ("admin", "GET", f"{TOWN}/sites?must=P{NUL}", {}),
        ("admin", "POST", "/duties", {"data": {"code": "d\x00", "name": "巡查"}}),
        ("admin", "POST", f"{TOWN}/grids", {"data": {"name": "方案\x00"}}),
        ("admin", "GET", f"/ogc/collections/villages{NUL}", {}),
        ("admin", "GET", f"/tiles/roads{NUL}/1/0/0.pbf", {}),
        ("anonymous", "POST", "/login", {"data": {"username": "admin\x00", "password": "x"}}),
        ("grid_worker", "POST", "/api/visits", {"json": {"note": "门口\x00"}}),
        (
            "grid_worker",
            "POST",
            "/api/events",
            {
                "json": {
                    "household_id": 1,
                    "event_type": "grievance",
                    "client_id": str(uuid.uuid4()),
                    "description": "\x00",
                }
            },
        ),
    ],
)
def test_nul_bytes_are_refused(send, who, method, url, kwargs):
    assert send(who, method, url, **kwargs) == 400


@pytest.mark.parametrize(
    ("who", "method", "url", "kwargs", "status"),
    [
        ("admin", "GET", "/grids/2147483648", {}, 400),
        ("admin", "GET", "/api/grids/9223372036854775808", {}, 400),
        ("admin", "POST", "/api/grids/99999999999999999999/publish", {"json": {}}, 400),
        ("admin", "GET", "/grids/compare?a=9223372036854775808&b=1", {}, 400),
        ("admin", "GET", "/audit?page=9223372036854775808", {}, 400),
        ("admin", "GET", "/ogc/collections/villages/items?offset=9223372036854775808", {}, 400),
        # OGC API Features: a limit above the maximum is lowered to it, never refused.
        ("admin", "GET", "/ogc/collections/villages/items?limit=9223372036854775808", {}, 200),
        ("admin", "GET", "/ogc/collections/villages/items?bbox=1e400,0,1,1", {}, 400),
        ("admin", "GET", "/ogc/collections/households/items/2147483648", {}, 404),
        ("admin", "GET", "/tiles/roads/99999999999999999999/0/0.pbf", {}, 400),
        ("admin", "GET", "/tiles/roads/1/9223372036854775808/0.pbf", {}, 400),
        ("grid_worker", "POST", "/api/visits", {"json": {"household_id": 2**31}}, 400),
        ("grid_worker", "POST", "/api/events", {"json": {"household_id": 2**63}}, 400),
    ],
)
def test_int4_and_int8_overflow_is_refused(send, who, method, url, kwargs, status):
    assert send(who, method, url, **kwargs) == status


@pytest.mark.parametrize(
    ("who", "method", "url", "kwargs"),
    [
        ("grid_worker", "POST", "/api/visits", {"json": {"visited_at": "0001-01-01T00:00:00+14:00"}}),
        ("grid_worker", "POST", "/api/visits", {"json": {"visited_at": "-0001-01-01T00:00:00+08:00"}}),
        (
            "grid_worker",
            "POST",
            "/api/events",
            {"json": {"household_id": 1, "event_type": "grievance", "reported_at": "0001-01-01T00:00:00+14:00"}},
        ),
        ("admin", "GET", f"{TOWN}/visits?date=0001-01-01", {}),
        ("admin", "GET", f"{TOWN}/visits.xlsx?date=9999-12-31", {}),
        ("admin", "GET", "/audit?until=9999-12-31", {}),
        ("admin", "GET", "/audit/export.csv?since=0001-01-01", {}),
    ],
)
def test_times_before_year_one_and_odd_dates_are_refused(send, session, who, method, url, kwargs):
    if "json" in kwargs and "household_id" not in kwargs["json"]:
        kwargs = {"json": _visit(session, **kwargs["json"])}
    assert send(who, method, url, **kwargs) == 400


def test_a_json_object_as_a_visit_note_is_refused(send, session):
    answer = send("grid_worker", "POST", "/api/visits", json=_visit(session, note={"text": "门口"}))
    assert answer == 400


def test_a_huge_corridor_is_explained_not_a_500(app, people):
    client = app.test_client()
    log_in(client, people["reviewer"])
    page = client.get(f"{TOWN}/sites?corridor_m=1e20")
    assert page.status_code == 200 and "道路两侧范围（米）不能大于 100000：1e20" in page.get_data(as_text=True)
    assert client.get(f"{TOWN}/sites.xlsx?corridor_m=1e20").status_code == 200


def test_an_unknown_township_on_coverage_is_404(send):
    assert send("admin", "GET", "/townships/000000000000/coverage") == 404
    assert send("admin", "GET", "/townships/000000000000/coverage.xlsx") == 404


@pytest.mark.parametrize(
    "junk",
    [
        {"visited_at": "0001-01-01T00:00:00+00:00"},
        {"lon": 115.71, "lat": 23.91, "accuracy_m": float("nan")},
        {"note": [1, 2]},
        {"household_id": 1.5},
    ],
)
def test_junk_is_no_longer_stored(app, people, session, junk):
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    log_in(client, people["grid_worker"])
    body = _visit(session, **junk)
    # NaN is not JSON, but Python's json (and so Flask's) reads it: send it as the attacker did.
    refused = client.post("/api/visits", data=json.dumps(body), content_type="application/json")
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "bad_request"
    assert session.scalar(select(func.count()).select_from(Visit)) == 0
    assert client.post("/api/visits", json=_visit(session)).status_code == 201  # without the junk: stored
