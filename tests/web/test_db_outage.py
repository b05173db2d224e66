"""The database stopped (pg_ctl -m fast) or crashed (-m immediate) while visits are being
submitted to the running app: every route answers 503 with Retry-After (never 500, the error
page needs no database), the app answers again within 5 s of the database, and every visit it
acknowledged is stored exactly once."""

import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
import requests

from tests.web.people import IN_SCOPE, PASSWORD

TILE = "/tiles/households/12/3364/1767.pbf"
RECOVERY_S = 5
# Visits acknowledged before the stop, and visits inside the database (waiting on a lock) at it.
BEFORE, IN_FLIGHT = 3, 3


def _phone(base: str) -> requests.Session:
    """A session of the sample grid worker, logged in through the form, sending the CSRF header."""
    phone = requests.Session()
    form = phone.get(f"{base}/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    phone.post(f"{base}/login", data={"csrf_token": token, "username": "grid_worker", "password": PASSWORD})
    page = phone.get(f"{base}/m/visits").text
    phone.headers["X-CSRFToken"] = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    return phone


def _raw(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _homes(url: str) -> dict[str, int]:
    with psycopg.connect(_raw(url)) as conn:
        return dict(conn.execute("SELECT code, id FROM household WHERE code = ANY(%s)", (list(IN_SCOPE),)))


def _visits(homes: dict[str, int], count: int) -> list[dict]:
    ids = list(homes.values())
    return [
        {"client_id": str(uuid.uuid4()), "household_id": ids[k % len(ids)], "kind": "routine", "note": f"outage-{k}"}
        for k in range(count)
    ]


def _stored(url: str) -> dict[str, int]:
    """Stored visits by client id: how many rows each has."""
    with psycopg.connect(_raw(url)) as conn:
        return dict(conn.execute("SELECT client_id::text, count(*) FROM visit GROUP BY client_id"))


def _wait_for_lock_waiters(url: str, count: int) -> None:
    deadline = time.monotonic() + 20
    with psycopg.connect(_raw(url), autocommit=True) as conn:
        while (
            conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            ).fetchone()[0]
            < count
        ):
            assert time.monotonic() < deadline, "the visits never reached the database"
            time.sleep(0.05)


def _unavailable(response: requests.Response, kind: str) -> None:
    assert response.status_code == 503, (response.status_code, response.text[:300])
    assert response.headers["Retry-After"] == "5"
    if kind == "json":
        assert response.json()["error"]["final"] is False
    else:
        assert "数据库暂时无法连接" in response.text and "返回首页" in response.text


def _post_until_acknowledged(phone, base: str, body: dict, started: float) -> float:
    """Resend BODY as the phone does until a 2xx; seconds from STARTED to that answer."""
    while True:
        answer = phone.post(f"{base}/api/visits", json=body, timeout=30)
        assert answer.status_code in (200, 201, 503), answer.text[:300]
        if answer.ok:
            return time.monotonic() - started
        assert time.monotonic() - started < RECOVERY_S * 4, "the app did not come back"
        time.sleep(0.1)


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_database_stopped_mid_submission(scratch_server, mode):
    base, url, cluster = scratch_server.base, scratch_server.url, scratch_server.cluster
    phone, homes = _phone(base), _homes(url)
    visits = _visits(homes, BEFORE + IN_FLIGHT)
    before, in_flight = visits[:BEFORE], visits[BEFORE:]
    assert [phone.post(f"{base}/api/visits", json=v).status_code for v in before] == [201] * BEFORE

    # A lock holds the next visits inside their INSERT: the stop comes mid-submission.
    locker = psycopg.connect(_raw(url))
    locker.execute("LOCK TABLE visit IN EXCLUSIVE MODE")
    with ThreadPoolExecutor(IN_FLIGHT) as pool:
        answers = [pool.submit(phone.post, f"{base}/api/visits", json=v, timeout=30) for v in in_flight]
        _wait_for_lock_waiters(url, IN_FLIGHT)
        cluster.down(mode)
        for answer in answers:
            _unavailable(answer.result(), "json")
    locker.close()

    # While it is down: pages, the API (session or token) and tiles, all 503 with Retry-After.
    code = next(iter(homes))
    for path in ("/m/visits", "/m", f"/households/{code}"):
        _unavailable(phone.get(f"{base}{path}"), "html")
    _unavailable(phone.post(f"{base}/api/visits", json=_visits(homes, 1)[0]), "json")
    _unavailable(phone.get(f"{base}{TILE}"), "json")
    _unavailable(requests.get(f"{base}{TILE}", headers={"Authorization": "Bearer any"}), "json")

    cluster.up()
    started = time.monotonic()
    assert _post_until_acknowledged(phone, base, in_flight[0], started) <= RECOVERY_S
    for body in in_flight[1:] + before:  # resent: the first ones now, the acknowledged ones again
        _post_until_acknowledged(phone, base, body, started)
    assert phone.get(f"{base}/m/visits").status_code == 200 and phone.get(f"{base}{TILE}").status_code == 200
    assert _stored(url) == {v["client_id"]: 1 for v in before + in_flight}
