"""The login limit over HTTP: concurrent guesses against a live multi-threaded server, and the
client address behind a trusted proxy (GRIDMGMT_TRUSTED_PROXIES)."""

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from sqlalchemy import select

from gridmgmt.db.models import AuditLog
from tests.web.live import serving
from tests.web.people import PASSWORD
from web import create_app

GUESSES = 12


@pytest.fixture
def server(db_url, people):
    """Base URL of the app served by werkzeug, one thread per request."""
    with serving(create_app({"TESTING": True, "DATABASE_URL": db_url, "TIANDITU_KEY": None}), db_url) as url:
        yield url


def _guesser(base: str):
    """A browser that has opened the login form: post(password) returns the status."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    html = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def post(password: str) -> int:
        body = urllib.parse.urlencode({"username": "leader", "password": password, "csrf_token": token}).encode()
        try:
            return opener.open(f"{base}/login", data=body).status
        except urllib.error.HTTPError as answer:
            return answer.code

    return post


def test_concurrent_guesses_never_pass_the_limit(server, session):
    guessers = [_guesser(server) for _ in range(GUESSES)]
    start, statuses = threading.Barrier(GUESSES), []

    def guess(post):
        start.wait()
        statuses.append(post("wrong-password"))

    threads = [threading.Thread(target=guess, args=(post,)) for post in guessers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [401] * 5 + [429] * (GUESSES - 5)
    assert guessers[0](PASSWORD) == 429  # the right password too, from this address
    failed = session.scalars(select(AuditLog.id).where(AuditLog.action == "login_failed")).all()
    assert len(failed) == 5


def _csrf(client) -> str:
    html = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _attempts(client, forwarded_for: list[str], password="wrong-password", peer="127.0.0.1"):
    token = _csrf(client)
    return [
        client.post(
            "/login",
            data={"username": "leader", "password": password, "csrf_token": token},
            headers={"X-Forwarded-For": address},
            environ_base={"REMOTE_ADDR": peer},
        ).status_code
        for address in forwarded_for
    ]


def _failed_from(session) -> list[str]:
    return session.scalars(
        select(AuditLog.remote_addr).where(AuditLog.action == "login_failed").order_by(AuditLog.id)
    ).all()


def test_forwarded_for_is_ignored_without_a_trusted_proxy(client, people, session):
    statuses = _attempts(client, [f"203.0.113.{n}" for n in range(6)])
    assert statuses == [401] * 5 + [429]
    assert _failed_from(session) == ["127.0.0.1"] * 5


def test_a_trusted_proxy_forwards_the_client_address(db_url, people, session):
    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "TRUSTED_PROXIES": "127.0.0.0/8, ::1"})
    client = app.test_client()
    assert _attempts(client, ["203.0.113.5"] * 5) == [401] * 5
    assert _attempts(client, ["203.0.113.5"], password=PASSWORD) == [429]
    # Another client behind the proxy is not blocked; only the address the proxy appended
    # counts, not the X-Forwarded-For the client sent itself.
    assert _attempts(client, ["198.51.100.1, 203.0.113.6"], password=PASSWORD) == [302]
    # A peer that is not the proxy cannot claim an address.
    assert _attempts(app.test_client(), ["203.0.113.7"], peer="192.0.2.9") == [401]
    assert _failed_from(session) == ["203.0.113.5"] * 5 + ["192.0.2.9"]


def test_a_bad_trusted_proxies_setting_is_named(db_url):
    with pytest.raises(ValueError, match="GRIDMGMT_TRUSTED_PROXIES"):
        create_app({"DATABASE_URL": db_url, "TRUSTED_PROXIES": "10.0.0.0/33"})


@pytest.mark.parametrize("username, password", [("leader\n", "x" * 5000), ("", "")])
def test_odd_logins_are_refused_plainly(client, people, username, password):
    answer = client.post("/login", data={"username": username, "password": password, "csrf_token": _csrf(client)})
    assert answer.status_code == 401 and "用户名或密码错误" in answer.get_data(as_text=True)


@pytest.mark.parametrize("username, password", [("lead\x00er", "x"), ("leader", "wrong\x00pass")])
def test_nul_bytes_in_a_login_are_refused_before_it_counts(client, people, username, password):
    answer = client.post("/login", data={"username": username, "password": password, "csrf_token": _csrf(client)})
    assert answer.status_code == 400 and "空字符" in answer.get_data(as_text=True)
