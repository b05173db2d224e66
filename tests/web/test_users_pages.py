"""账号管理 pages (/users): admins can, every other role gets 403, and each action is audited (issue 13)."""

import re

import pytest
from sqlalchemy import select

from gridmgmt.db.models import ApiToken, AppUser, AuditLog
from gridmgmt.services.accounts.logins import authenticate
from gridmgmt.services.accounts.users import create_token
from tests.actors import ACTOR
from tests.web.people import PASSWORD
from tests.web.sample import TOWNSHIP_CODE

OTHERS = ("planner", "reviewer", "grid_worker", "leader")
NEW_PASSWORD = "lantern-river-7"


@pytest.fixture
def admin(app, admin_client):
    """The admin's client, with CSRF off so that forms post without a token."""
    app.config["WTF_CSRF_ENABLED"] = False
    return admin_client


def _audit(session, action: str) -> list[AuditLog]:
    session.expire_all()
    return session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)).all()


def _user(session, username: str) -> AppUser:
    session.expire_all()
    return session.scalars(select(AppUser).where(AppUser.username == username)).one()


@pytest.mark.parametrize("role", OTHERS)
def test_only_admins_manage_accounts(app, as_user, people, role):
    app.config["WTF_CSRF_ENABLED"] = False
    client, target = as_user(role), people["leader"]
    for method, url in (
        ("GET", "/users"),
        ("POST", "/users"),
        ("GET", f"/users/{target}"),
        ("POST", f"/users/{target}/access"),
        ("POST", f"/users/{target}/active"),
        ("POST", f"/users/{target}/password"),
        ("POST", f"/users/{target}/tokens/1/revoke"),
    ):
        assert client.open(url, method=method, data={"role": "admin"}).status_code == 403, url


def test_admin_lists_users_with_role_township_and_state(admin, people):
    page = admin.get("/users").get_data(as_text=True)
    for username in ("admin", "planner", "grid_worker", "other_planner"):
        assert f">{username}</a>" in page
    assert "网格员甲（G001）" in page and "镇党委/组织委员" in page and "全部乡镇" in page


def test_adding_a_user_is_audited_and_they_can_log_in(admin, session, people):
    form = {"username": "wang", "role": "planner", "township": TOWNSHIP_CODE, "password": NEW_PASSWORD}
    answer = admin.post("/users", data=form)
    wang = _user(session, "wang")
    assert answer.status_code == 302 and answer.location.endswith(f"/users/{wang.id}")
    assert authenticate(session, "wang", NEW_PASSWORD, None).id == wang.id
    (row,) = _audit(session, "add_user")
    assert (row.actor, row.user_id, row.target) == ("admin", people["admin"], "wang")
    assert row.detail == {"role": "planner", "township": TOWNSHIP_CODE, "cadre": None}
    assert NEW_PASSWORD not in str(row.detail)


def test_a_refused_user_is_not_added_and_the_reason_shown(admin, session, people):
    answer = admin.post(
        "/users", data={"username": "wang", "role": "planner", "password": NEW_PASSWORD}, follow_redirects=True
    )
    assert "未添加：除系统管理员外，用户必须属于一个乡镇" in answer.get_data(as_text=True)
    weak = admin.post("/users", data={"username": "wang", "role": "admin", "password": "123"}, follow_redirects=True)
    assert "至少需要 10 个字符" in weak.get_data(as_text=True)
    assert session.scalars(select(AppUser).where(AppUser.username == "wang")).all() == []
    assert _audit(session, "add_user") == []


def test_disabling_and_enabling_are_audited_and_end_the_users_login(admin, as_user, session, people):
    leader = as_user("leader")
    assert leader.get(f"/townships/{TOWNSHIP_CODE}").status_code == 200
    admin.post(f"/users/{people['leader']}/active", data={})
    assert not _user(session, "leader").active
    assert leader.get(f"/townships/{TOWNSHIP_CODE}").status_code == 302  # logged out
    admin.post(f"/users/{people['leader']}/active", data={"active": "true"})
    assert _user(session, "leader").active
    assert [
        (r.action, r.target, r.actor) for r in _audit(session, "disable_user") + _audit(session, "enable_user")
    ] == [
        ("disable_user", "leader", "admin"),
        ("enable_user", "leader", "admin"),
    ]


def test_the_last_admin_cannot_be_disabled(admin, session, people):
    answer = admin.post(f"/users/{people['admin']}/active", data={}, follow_redirects=True)
    assert "最后一个在用的系统管理员" in answer.get_data(as_text=True)
    assert _user(session, "admin").active
    assert _audit(session, "disable_user") == []


def test_a_reset_password_is_shown_once_works_and_is_audited(admin, session, people):
    answer = admin.post(f"/users/{people['planner']}/password")
    page = answer.get_data(as_text=True)
    password = re.search(r'<code id="new-password"[^>]*>([^<]+)</code>', page).group(1)
    assert answer.headers["Cache-Control"] == "no-store"
    assert authenticate(session, "planner", password, None).username == "planner"
    assert password not in admin.get(f"/users/{people['planner']}").get_data(as_text=True)
    (row,) = _audit(session, "reset_password")
    assert (row.actor, row.target, row.detail) == ("admin", "planner", None)


def test_changing_role_and_scope_is_audited_with_before_and_after(admin, session, people):
    form = {"role": "grid_worker", "township": "", "cadre": "G001"}
    admin.post(f"/users/{people['leader']}/access", data=form)
    leader = _user(session, "leader")
    assert leader.role == "grid_worker" and leader.cadre_id is not None and leader.township_id is not None
    (row,) = _audit(session, "change_role")
    assert row.target == "leader"
    assert row.detail == {
        "before": {"role": "leader", "township": TOWNSHIP_CODE, "cadre": None},
        "after": {"role": "grid_worker", "township": TOWNSHIP_CODE, "cadre": "G001"},
    }


def test_a_refused_role_change_changes_nothing(admin, session, people):
    answer = admin.post(f"/users/{people['admin']}/access", data={"role": "planner", "township": TOWNSHIP_CODE})
    assert "最后一个在用的系统管理员" in admin.get(answer.location).get_data(as_text=True)
    assert _user(session, "admin").role == "admin"
    assert _audit(session, "change_role") == []


def test_tokens_are_listed_and_one_is_revoked_with_an_audit_row(admin, session, people):
    create_token(session, "planner", name="qgis", actor=ACTOR)
    create_token(session, "planner", name="gdal", actor=ACTOR)
    page = admin.get(f"/users/{people['planner']}").get_data(as_text=True)
    assert "qgis" in page and "gdal" in page and page.count("吊销</button>") == 2
    qgis = session.scalars(select(ApiToken).where(ApiToken.name == "qgis")).one()
    admin.post(f"/users/{people['planner']}/tokens/{qgis.id}/revoke")
    session.expire_all()
    assert {t.name: t.revoked for t in session.scalars(select(ApiToken))} == {"qgis": True, "gdal": False}
    (row,) = [r for r in _audit(session, "revoke_token") if r.actor == "admin"]
    assert (row.target, row.detail) == ("planner", {"name": "*", "tokens": ["qgis"]})


def test_users_change_their_own_password(app, as_user, session, people):
    app.config["WTF_CSRF_ENABLED"] = False
    client = as_user("reviewer")
    assert "当前密码" in client.get("/account/password").get_data(as_text=True)
    wrong = client.post(
        "/account/password", data={"current": "nope", "new": NEW_PASSWORD, "again": NEW_PASSWORD}, follow_redirects=True
    )
    assert "当前密码不正确" in wrong.get_data(as_text=True)
    mismatch = client.post("/account/password", data={"current": PASSWORD, "new": NEW_PASSWORD, "again": "x"})
    assert "两次输入的新密码不一致" in client.get(mismatch.location).get_data(as_text=True)
    done = client.post("/account/password", data={"current": PASSWORD, "new": NEW_PASSWORD, "again": NEW_PASSWORD})
    assert done.location.endswith("/login")
    assert authenticate(session, "reviewer", NEW_PASSWORD, None).username == "reviewer"
    assert [
        (r.action, r.actor) for r in _audit(session, "change_password_failed") + _audit(session, "change_password")
    ] == [
        ("change_password_failed", "reviewer"),
        ("change_password", "reviewer"),
    ]
    assert client.get("/account/password").status_code == 302  # every session ended: log in again
