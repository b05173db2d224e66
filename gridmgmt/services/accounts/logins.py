"""Logins: passwords checked under a rate limit kept in PostgreSQL, and the login sessions they open.

The limit's rules are gridmgmt.domain.login_limits. An attempt is counted before
its password is checked, in one short transaction that holds its counters' rows
(SELECT … FOR UPDATE): concurrent guesses, from any number of server processes,
cannot get past the limit. A good login then takes its count back.
"""

import math
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from gridmgmt.db.models import AppUser, LoginLimit, LoginSession, Township
from gridmgmt.domain.login_limits import (
    ACCOUNT,
    ADDRESS,
    KNOWN_FOR,
    PAIR,
    Counter,
    Rule,
    counted,
    known_address,
    refunded,
    wait,
)
from gridmgmt.services.accounts.audit import Actor, record
from gridmgmt.services.accounts.users import AccountError, secret_hash, verify_password

SESSION_LIFETIME = timedelta(hours=8)
MAX_USERNAME = 64
# Counters untouched this long are deleted (every window is far shorter).
STALE_AFTER = timedelta(days=1)


class LoginFailed(AccountError):
    """Wrong username or password (never says which)."""

    status = 401


class TooManyAttempts(AccountError):
    """A login rate limit holds; retry_after is the whole seconds to wait."""

    status = 429

    def __init__(self, delay: timedelta):
        self.retry_after = max(1, math.ceil(delay.total_seconds()))
        minutes = math.ceil(self.retry_after / 60)
        when = f"{self.retry_after} 秒" if self.retry_after < 60 else f"{minutes} 分钟"
        super().__init__(f"登录尝试过于频繁，请 {when}后再试")


def authenticate(
    session: Session, username: str, password: str, remote_addr: str | None, now: datetime | None = None
) -> AppUser:
    """The active user with these credentials; audits the attempt and commits.

    Raises TooManyAttempts while a rate limit holds, LoginFailed on wrong
    credentials. NOW (default: the clock) lets tests move time.
    """
    now = now or datetime.now(UTC)
    name = "".join(ch if ch.isprintable() else "?" for ch in username[:MAX_USERNAME])
    keys = {
        PAIR: f"pair:{remote_addr or '-'}|{name}",
        ADDRESS: f"address:{remote_addr or '-'}",
        ACCOUNT: f"account:{name}",
    }
    rules = _count_attempt(session, keys, now)
    # A name with control characters or too long is no one's: no query (NUL would break it).
    user = session.scalar(select(AppUser).where(AppUser.username == name)) if name == username else None
    if not verify_password(user.password_hash if user else None, password) or not user.active:
        record(session, Actor(name, None, remote_addr), "login_failed")
        session.commit()
        raise LoginFailed("用户名或密码错误")
    _count_success(session, keys, rules, now)
    record(session, Actor(name, user.id, remote_addr), "login")
    session.commit()
    return user


def _locked(session: Session, keys) -> dict:
    """The counter rows of KEYS, created when missing, locked until the transaction ends.

    Always locked in key order, so two logins never deadlock.
    """
    ordered = sorted(keys)
    session.execute(insert(LoginLimit).values([{"key": key} for key in ordered]).on_conflict_do_nothing())
    rows = session.execute(
        select(
            LoginLimit.key,
            LoginLimit.attempts,
            LoginLimit.window_start,
            LoginLimit.blocked_until,
            LoginLimit.last_success,
        )
        .where(LoginLimit.key.in_(ordered))
        .order_by(LoginLimit.key)
        .with_for_update()
    )
    return {row.key: row for row in rows}


def _counter(row) -> Counter:
    return Counter(row.attempts, row.window_start, row.blocked_until)


def _store(session: Session, key: str, counter: Counter) -> None:
    session.execute(
        update(LoginLimit)
        .where(LoginLimit.key == key)
        .values(attempts=counter.attempts, window_start=counter.window_start, blocked_until=counter.blocked_until)
    )


def _count_attempt(session: Session, keys: dict[Rule, str], now: datetime) -> list[Rule]:
    """Count an attempt under KEYS and commit; TooManyAttempts (nothing counted) while a limit holds.

    Returns the rules that counted it: an address the account logged in from
    recently is spared the ACCOUNT rule, so attacks elsewhere never lock the owner out.
    """
    rows = _locked(session, keys.values())
    known = known_address(rows[keys[PAIR]].last_success, now)
    rules = [rule for rule in keys if not (rule is ACCOUNT and known)]
    delay = max(wait(_counter(rows[keys[rule]]), now) for rule in rules)
    if delay:
        session.commit()
        raise TooManyAttempts(delay)
    for rule in rules:
        _store(session, keys[rule], counted(rule, _counter(rows[keys[rule]]), now))
    session.commit()
    return rules


def _count_success(session: Session, keys: dict[Rule, str], rules: list[Rule], now: datetime) -> None:
    """After a good login: the account's counts start again, the address gets its attempt back,
    and the address becomes a known one for the account. The caller commits."""
    rows = _locked(session, [keys[rule] for rule in rules])
    for rule in rules:
        fresh = Counter(window_start=now)
        counter = refunded(rule, _counter(rows[keys[rule]]), now) if rule is ADDRESS else fresh
        _store(session, keys[rule], counter)
    session.execute(update(LoginLimit).where(LoginLimit.key == keys[PAIR]).values(last_success=now))
    session.execute(
        delete(LoginLimit).where(
            LoginLimit.window_start < now - STALE_AFTER,
            or_(LoginLimit.last_success.is_(None), LoginLimit.last_success < now - KNOWN_FOR),
        )
    )


def start_session(session: Session, user_id: int) -> str:
    """Open a login session for USER_ID and commit; returns the key its cookie carries.

    Only the key's hash is stored. Sessions older than SESSION_LIFETIME are deleted.
    """
    key = secrets.token_urlsafe(32)
    session.execute(delete(LoginSession).where(LoginSession.created_at < func.now() - SESSION_LIFETIME))
    session.add(LoginSession(key_hash=secret_hash(key), user_id=user_id))
    session.commit()
    return key


def _live_session(key: str):
    """SQL condition: the login session KEY is open and belongs to the AppUser row in the query."""
    return exists().where(
        LoginSession.key_hash == secret_hash(key),
        LoginSession.user_id == AppUser.id,
        LoginSession.created_at > func.now() - SESSION_LIFETIME,
    )


def session_user(session: Session, user_id: int, login_key: str | None = None):
    """(id, username, role, township_id, township code, county code, cadre_id) of the active user USER_ID, or None;
    with LOGIN_KEY, also None unless that login session of theirs is open."""
    # Runs on every request (every tile): one query, these columns only.
    query = (
        select(
            AppUser.id,
            AppUser.username,
            AppUser.role,
            AppUser.township_id,
            Township.code,
            AppUser.county_code,
            AppUser.cadre_id,
        )
        .outerjoin(Township, AppUser.township_id == Township.id)
        .where(AppUser.id == user_id, AppUser.active)
    )
    if login_key is not None:
        query = query.where(_live_session(login_key))
    return session.execute(query).one_or_none()


def end_session(session: Session, key: str | None, actor: Actor) -> None:
    """End the login session KEY, so that a copy of its cookie stops working; audited, committed."""
    if key:
        session.execute(delete(LoginSession).where(LoginSession.key_hash == secret_hash(key)))
    record(session, actor, "logout")
    session.commit()


def end_all_sessions(session: Session, user_id: int, actor: Actor) -> int:
    """End every login session of USER_ID, on every device; audited, committed. Returns how many."""
    ended = session.execute(delete(LoginSession).where(LoginSession.user_id == user_id)).rowcount
    record(session, actor, "logout_all", detail={"sessions": ended})
    session.commit()
    return ended
