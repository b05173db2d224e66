"""Accounts on real PostGIS: users, passwords, disabling, tokens, scopes, demo users.

The login rate limit: test_login_limits.py; sessions: tests/web/test_sessions.py.
"""

import hashlib
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from gridmgmt.db.models import ApiToken, AppUser, AuditLog, CadreVillage, LoginSession, Township
from gridmgmt.services.accounts.audit import Actor
from gridmgmt.services.accounts.demo_users import DEMO_COUNTY_USER, DEMO_PASSWORD, DEMO_USERS, ensure_demo_users
from gridmgmt.services.accounts.logins import LoginFailed, authenticate, start_session
from gridmgmt.services.accounts.users import (
    AccountError,
    add_user,
    create_token,
    set_active,
    set_password,
    set_role,
    user_for_token,
)
from tests.actors import ACTOR
from tests.web.people import add_people
from tests.web.sample import TOWNSHIP_CODE, add_small_township

GOOD = "correct-horse-1"


@pytest.fixture
def town(session):
    add_small_township(session)


def _count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_add_user_stores_an_argon2_hash_only(session, town):
    user = add_user(session, "zhang", "planner", GOOD, township_code=TOWNSHIP_CODE, actor=ACTOR)
    assert user.password_hash.startswith("$argon2id$")
    assert GOOD not in user.password_hash
    assert authenticate(session, "zhang", GOOD, "10.0.0.1").id == user.id


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"role": "boss"}, "未知角色"),
        ({"password": "nine-char"}, "至少需要 10 个字符"),
        ({"password": "QwertyUIOP"}, "太常见"),
        ({"username": "zhangsan", "password": "ZhangSan-2026"}, "不能包含用户名"),
        ({"username": "li\x00"}, "不含控制字符"),
        ({"township_code": None}, "必须属于一个乡镇"),
        ({"role": "grid_worker"}, "必须关联一名干部"),
        ({"township_code": "000000000000"}, "没有编码为 000000000000 的乡镇"),
        ({"cadre_code": "NOPE"}, "没有编码为 NOPE 的干部"),
        ({"username": ""}, "用户名"),
    ],
)
def test_bad_users_are_refused_and_nothing_is_written(session, town, kwargs, message):
    args = {"username": "li", "role": "planner", "password": GOOD, "township_code": TOWNSHIP_CODE}
    with pytest.raises(AccountError, match=message):
        add_user(session, **{**args, **kwargs}, actor=ACTOR)
    session.rollback()
    assert _count(session, AppUser) == 0


def test_duplicate_username_is_refused(session, town):
    add_user(session, "li", "admin", GOOD, actor=ACTOR)
    with pytest.raises(AccountError, match="已存在"):
        add_user(session, "li", "admin", GOOD, actor=ACTOR)


def test_passwd_and_role(session, town):
    add_user(session, "li", "planner", GOOD, township_code=TOWNSHIP_CODE, actor=ACTOR)
    set_password(session, "li", "another-pass-2", actor=ACTOR)
    with pytest.raises(LoginFailed):
        authenticate(session, "li", GOOD, None)
    assert authenticate(session, "li", "another-pass-2", None).username == "li"
    set_role(session, "li", "leader", actor=ACTOR)
    assert session.scalar(select(AppUser.role).where(AppUser.username == "li")) == "leader"
    with pytest.raises(AccountError, match="必须关联一名干部"):
        set_role(session, "li", "grid_worker", actor=ACTOR)
    with pytest.raises(AccountError, match="没有用户"):
        set_password(session, "nobody", GOOD, actor=ACTOR)
    for weak, message in (("12345678", "至少需要 10 个字符"), ("woaini1314", "太常见"), ("LI-2026-pass", "")):
        if message:
            with pytest.raises(AccountError, match=message):
                set_password(session, "li", weak, actor=ACTOR)
        else:  # a two-letter username may appear inside a password
            set_password(session, "li", weak, actor=ACTOR)


def test_login_attempts_are_audited_without_passwords(session, town):
    add_user(session, "li", "admin", GOOD, actor=ACTOR)
    authenticate(session, "li", GOOD, "10.0.0.1")
    with pytest.raises(LoginFailed, match="用户名或密码错误"):
        authenticate(session, "li", "wrong-password", "10.0.0.1")
    with pytest.raises(LoginFailed, match="用户名或密码错误"):
        authenticate(session, "ghost", "wrong-password", "10.0.0.1")
    logins = AuditLog.action.like("login%")
    rows = session.execute(
        select(AuditLog.actor, AuditLog.action, AuditLog.remote_addr).where(logins).order_by(AuditLog.id)
    ).all()
    assert rows == [
        ("li", "login", "10.0.0.1"),
        ("li", "login_failed", "10.0.0.1"),
        ("ghost", "login_failed", "10.0.0.1"),
    ]
    assert _count(session, AuditLog, logins, AuditLog.detail.is_not(None)) == 0


def test_disable_and_enable_are_audited_and_end_sessions(session, town):
    add_user(session, "li", "planner", GOOD, township_code=TOWNSHIP_CODE, actor=ACTOR)
    add_user(session, "root", "admin", GOOD, actor=ACTOR)
    li = session.scalar(select(AppUser.id).where(AppUser.username == "li"))
    start_session(session, li)
    set_active(session, "li", False, Actor("ops"))
    assert _count(session, LoginSession) == 0
    with pytest.raises(LoginFailed):
        authenticate(session, "li", GOOD, None)
    set_active(session, "li", True, Actor("ops"))
    assert authenticate(session, "li", GOOD, None).username == "li"
    rows = session.execute(
        select(AuditLog.actor, AuditLog.action, AuditLog.target)
        .where(AuditLog.action.like("%able_user"))
        .order_by(AuditLog.id)
    ).all()
    assert rows == [("ops", "disable_user", "li"), ("ops", "enable_user", "li")]


def test_the_last_active_admin_stays(session, town):
    add_user(session, "root", "admin", GOOD, township_code=TOWNSHIP_CODE, actor=ACTOR)
    add_user(session, "boss", "admin", GOOD, actor=ACTOR)
    set_active(session, "boss", False, Actor("ops"))
    for change in (
        lambda: set_active(session, "root", False, Actor("ops")),
        lambda: set_role(session, "root", "planner", actor=ACTOR),
    ):
        with pytest.raises(AccountError, match="最后一个在用的系统管理员"):
            change()
        session.rollback()
    assert session.scalar(select(AppUser.active).where(AppUser.username == "root"))
    set_active(session, "boss", True, Actor("ops"))
    set_active(session, "root", False, Actor("ops"))  # boss is still an admin


def test_tokens_store_only_a_hash_and_record_their_use(session, town):
    user = add_user(session, "li", "admin", GOOD, actor=ACTOR)
    secret = create_token(session, "li", name="qgis", actor=ACTOR)
    token = session.scalars(select(ApiToken)).one()
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in token.token_hash and token.last_used_at is None
    assert user_for_token(session, secret).id == user.id
    session.refresh(token)
    assert token.last_used_at is not None
    assert user_for_token(session, secret + "x") is None


def test_revoked_expired_and_inactive_tokens_are_refused(session, town):
    user = add_user(session, "li", "admin", GOOD, actor=ACTOR)
    revoked, expired, inactive = (create_token(session, "li", name=n, expires_days=1, actor=ACTOR) for n in "abc")
    tokens = {t.name: t for t in session.scalars(select(ApiToken))}
    tokens["a"].revoked = True
    tokens["b"].expires_at = datetime.now(UTC) - timedelta(seconds=1)
    session.commit()
    assert user_for_token(session, revoked) is None
    assert user_for_token(session, expired) is None
    assert user_for_token(session, inactive) is not None
    user.active = False
    session.commit()
    assert user_for_token(session, inactive) is None
    with pytest.raises(AccountError, match="至少为 1"):
        create_token(session, "li", expires_days=0, actor=ACTOR)


def test_demo_users_one_per_role_and_idempotent(session, town):
    add_people(session)
    first = ensure_demo_users(session, date(2026, 6, 1), TOWNSHIP_CODE, actor=ACTOR)
    # The sample county 441500 has two townships: a county leader too.
    assert [login.username for login in first] == [*DEMO_USERS.values(), DEMO_COUNTY_USER]
    assert all(login.created for login in first)
    grid = session.scalars(select(AppUser).where(AppUser.username == DEMO_USERS["grid_worker"])).one()
    assert grid.cadre_id is not None and grid.role == "grid_worker"
    assert "网格员甲" in first[3].note and "西村" in first[3].note
    second = ensure_demo_users(session, date(2026, 6, 1), TOWNSHIP_CODE, actor=ACTOR)
    assert not any(login.created for login in second)
    assert authenticate(session, "demo_leader", DEMO_PASSWORD, None).role == "leader"
    county = session.scalars(select(AppUser).where(AppUser.username == DEMO_COUNTY_USER)).one()
    assert (county.role, county.county_code, county.township_id) == ("leader", TOWNSHIP_CODE[:6], None)
    assert "2 个乡镇" in first[-1].note


def test_no_demo_county_user_for_a_township_alone(session, town):
    add_people(session)
    # 邻镇 moved to another county: 示范镇 is alone in its own.
    session.execute(update(Township).where(Township.code != TOWNSHIP_CODE).values(code="441599100000"))
    session.commit()
    logins = ensure_demo_users(session, date(2026, 6, 1), TOWNSHIP_CODE, actor=ACTOR)
    assert DEMO_COUNTY_USER not in [login.username for login in logins]


def test_demo_grid_worker_is_posted_on_the_day(session, town):
    """001 §34 包村, read with its dates: a cadre whose 包村 posting has ended is no demo grid worker."""
    add_people(session)
    session.execute(update(CadreVillage).values(end_date=date(2026, 5, 31)))
    session.commit()
    with pytest.raises(AccountError, match="没有包村干部"):
        ensure_demo_users(session, date(2026, 6, 1), TOWNSHIP_CODE, actor=ACTOR)


def test_demo_users_need_the_township(session, town):
    with pytest.raises(AccountError, match="gridmgmt demo"):
        ensure_demo_users(session, date(2026, 6, 1), "000000000000", actor=ACTOR)
