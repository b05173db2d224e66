"""The login rate limit on real PostgreSQL, with a settable clock (gridmgmt.domain.login_limits)."""

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from gridmgmt.db.models import AuditLog
from gridmgmt.services.accounts.logins import LoginFailed, TooManyAttempts, authenticate
from gridmgmt.services.accounts.users import add_user
from tests.web.sample import add_small_township

GOOD = "correct-horse-1"
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
OFFICE = "10.0.0.1"


@pytest.fixture
def li(session):
    add_small_township(session)
    add_user(session, "li", "admin", GOOD)


def _fail(session, username="li", address=OFFICE, at=T0, times=1):
    for _ in range(times):
        with pytest.raises(LoginFailed):
            authenticate(session, username, "wrong-password", address, now=at)


def _refused(session, username="li", address=OFFICE, at=T0, password=GOOD) -> int:
    with pytest.raises(TooManyAttempts) as refusal:
        authenticate(session, username, password, address, now=at)
    return refusal.value.retry_after


def test_five_failures_lock_the_account_from_that_address_until_the_window_ends(session, li):
    _fail(session, times=5, at=T0)
    assert _refused(session, at=T0 + timedelta(minutes=4)) == 360
    with pytest.raises(TooManyAttempts, match="请 6 分钟后再试"):
        authenticate(session, "li", GOOD, OFFICE, now=T0 + timedelta(minutes=4))
    assert authenticate(session, "li", GOOD, "10.0.0.2", now=T0).username == "li"  # another address
    assert authenticate(session, "li", GOOD, OFFICE, now=T0 + timedelta(minutes=10))


def test_a_good_login_resets_the_count(session, li):
    _fail(session, times=4)
    assert authenticate(session, "li", GOOD, OFFICE, now=T0)
    _fail(session, times=4)
    assert authenticate(session, "li", GOOD, OFFICE, now=T0)  # 4 since the last good login


def test_spraying_usernames_from_one_address_is_stopped(session, li):
    for n in range(30):
        _fail(session, username=f"user{n}")
    assert _refused(session, username="li") == 600  # even the right password, from there
    assert _refused(session, username="someone-new") == 600
    assert authenticate(session, "li", GOOD, "10.0.0.2", now=T0)
    failed = session.scalars(select(AuditLog.actor).where(AuditLog.action == "login_failed")).all()
    assert len(failed) == 30


def _attack(session, addresses, start) -> datetime:
    """Wrong passwords for li, one from each of ADDRESSES, waiting out every refusal; the end time."""
    at = start
    for address in addresses:
        try:
            authenticate(session, "li", "wrong-password", address, now=at)
        except TooManyAttempts as refusal:
            at += timedelta(seconds=refusal.retry_after)
            _fail(session, address=address, at=at)
        except LoginFailed:
            pass
    return at


def test_guessing_from_many_addresses_backs_off_briefly(session, li):
    end = _attack(session, [f"10.1.0.{n}" for n in range(10)], T0)
    assert end == T0  # ten free attempts, then 1 s, 2 s, 4 s …
    assert _refused(session, address="10.2.0.1", at=end) == 1
    end = _attack(session, [f"10.1.1.{n}" for n in range(6)], end)
    assert _refused(session, address="10.2.0.1", at=end) == 60  # 64 s, capped at a minute


def test_the_owner_is_never_locked_out_for_long(session, li):
    assert authenticate(session, "li", GOOD, OFFICE, now=T0)  # the office becomes a known address
    end = _attack(session, [f"10.1.0.{n}" for n in range(16)], T0)  # the backoff at its cap
    # From the office the account's backoff does not apply at all.
    assert authenticate(session, "li", GOOD, OFFICE, now=end).username == "li"
    # From a new address the owner waits at most a minute.
    wait = _refused(session, address="10.3.0.1", at=end)
    assert wait <= 60
    assert authenticate(session, "li", GOOD, "10.3.0.1", now=end + timedelta(seconds=wait))


def test_refused_attempts_do_not_prolong_the_lock(session, li):
    _fail(session, times=5)
    for minute in range(1, 10):
        _refused(session, at=T0 + timedelta(minutes=minute))
    assert authenticate(session, "li", GOOD, OFFICE, now=T0 + timedelta(minutes=10))


def test_odd_usernames_are_counted_and_never_reach_the_database(session, li):
    for name in ("li\x00", "li\n", "x" * 500):
        _fail(session, username=name)
    assert session.scalars(select(AuditLog.actor).where(AuditLog.action == "login_failed")).all() == [
        "li?",
        "li?",
        "x" * 64,
    ]
    _fail(session, username="li\x00", times=3)
    assert _refused(session, username="li\x00") == 600


def test_concurrent_guesses_never_exceed_the_limit(engine, li):
    """Twelve guesses at once, each on its own connection: exactly five are checked."""
    outcomes, start = [], threading.Barrier(12)

    def guess():
        with sessionmaker(engine)() as own:
            start.wait()
            try:
                authenticate(own, "li", "wrong-password", OFFICE)
            except (LoginFailed, TooManyAttempts) as exc:
                outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["LoginFailed"] * 5 + ["TooManyAttempts"] * 7
