"""Logins, sessions, cookies, CSRF, the rate limit and tokens through the Flask client."""

import re

import pytest
from sqlalchemy import select

from gridmgmt.config import get_settings
from gridmgmt.db.models import AppUser, AuditLog
from gridmgmt.services.accounts.users import create_token
from tests.web.people import PASSWORD
from web import create_app

VILLAGE = "/villages/441500100201"


def _csrf(client, url="/login") -> str:
    html = client.get(url).get_data(as_text=True)
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
    field = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert meta == field
    return field


def _login(client, username, password=PASSWORD, **extra):
    data = {"username": username, "password": password, "csrf_token": _csrf(client), **extra}
    return client.post("/login", data=data)


def test_pages_redirect_to_a_chinese_login_page(client, people):
    response = client.get(VILLAGE)
    assert response.status_code == 302
    assert response.location == f"/login?next={VILLAGE}"
    html = client.get(response.location).get_data(as_text=True)
    assert "<h1>登录</h1>" in html and "用户名" in html and "密码" in html


def test_login_goes_to_next_and_the_session_works(client, people):
    response = _login(client, "planner", next=VILLAGE)
    assert response.status_code == 302 and response.location == VILLAGE
    page = client.get(VILLAGE).get_data(as_text=True)
    assert "planner（镇党委/组织委员）" in page and "退出" in page


@pytest.mark.parametrize(
    "username, home",
    [
        ("admin", "/"),
        ("planner", "/townships/441500100000"),
        ("grid_worker", "/m"),
    ],
)
def test_login_without_next_goes_home(client, people, username, home):
    assert _login(client, username).location == home


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
def test_next_never_leaves_the_site(client, people, target):
    assert _login(client, "planner", next=target).location == "/townships/441500100000"


def test_wrong_password_says_so_in_chinese(client, people):
    response = _login(client, "planner", password="wrong-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get(VILLAGE).status_code == 302


def test_post_without_csrf_token_is_refused(client, people):
    response = client.post("/login", data={"username": "planner", "password": PASSWORD})
    assert response.status_code == 400
    assert "页面已过期" in response.get_data(as_text=True)
    assert client.get(VILLAGE).status_code == 302


def test_sixth_failure_is_429_even_with_the_right_password(client, people, session):
    for _ in range(5):
        assert _login(client, "leader", password="wrong-password").status_code == 401
    response = _login(client, "leader")
    assert response.status_code == 429 and 540 <= int(response.headers["Retry-After"]) <= 600
    assert "登录尝试过于频繁，请 10 分钟后再试" in response.get_data(as_text=True)
    assert (
        session.scalars(select(AuditLog.remote_addr).where(AuditLog.action == "login_failed")).all()
        == ["127.0.0.1"] * 5
    )


def test_session_cookie_is_httponly_and_lax(client, people):
    cookie = _login(client, "planner").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_secure_cookies_setting(db_url, people, monkeypatch):
    monkeypatch.setenv("GRIDMGMT_SECURE_COOKIES", "true")
    get_settings.cache_clear()
    try:
        client = create_app({"DATABASE_URL": db_url}).test_client()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert "; Secure" in _login(client, "planner").headers["Set-Cookie"]


def test_logout_is_a_post_with_csrf_header(client, people):
    _login(client, "planner")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400  # no token
    token = _csrf(client, VILLAGE)
    response = client.post("/logout", headers={"X-CSRFToken": token})
    assert response.status_code == 302 and response.location == "/login"
    assert client.get(VILLAGE).status_code == 302


def test_deactivated_user_is_logged_out(client, people, session):
    _login(client, "planner")
    session.get(AppUser, people["planner"]).active = False
    session.commit()
    assert client.get(VILLAGE).status_code == 302


def test_bearer_token_acts_as_its_user(client, people, session):
    secret = create_token(session, "leader")
    assert client.get(VILLAGE, headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert client.get("/audit", headers={"Authorization": f"Bearer {secret}"}).status_code == 403
    assert client.get(VILLAGE, headers={"Authorization": "Bearer nope"}).status_code == 302


def test_json_routes_answer_401_in_json(client, people):
    response = client.get("/ogc/collections/households", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
