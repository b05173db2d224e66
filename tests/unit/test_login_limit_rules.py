"""The login rate limit's rules as pure functions."""

from datetime import UTC, datetime, timedelta, timezone

from gridmgmt.domain.login_limits import (
    ACCOUNT,
    ADDRESS,
    KNOWN_FOR,
    PAIR,
    Counter,
    counted,
    known_address,
    refunded,
    wait,
)

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def _attempts(rule, times, at=T0, counter=Counter()):
    for _ in range(times):
        counter = counted(rule, counter, at)
    return counter


def test_a_pair_gets_five_attempts_then_waits_for_the_window_to_end():
    assert wait(_attempts(PAIR, 4), T0) == timedelta(0)
    fifth = _attempts(PAIR, 5)
    assert fifth.blocked_until == T0 + PAIR.window
    assert wait(fifth, T0 + timedelta(minutes=3)) == timedelta(minutes=7)
    assert wait(fifth, T0 + PAIR.window) == timedelta(0)


def test_a_window_that_is_over_starts_again():
    later = T0 + PAIR.window
    again = counted(PAIR, _attempts(PAIR, 5), later)
    assert again == Counter(1, later, None)


def test_the_account_backs_off_from_one_second_to_a_minute():
    counter = _attempts(ACCOUNT, ACCOUNT.free - 1)
    waits = []
    for _ in range(8):
        counter = counted(ACCOUNT, counter, T0)
        waits.append(wait(counter, T0).total_seconds())
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60]
    huge = _attempts(ACCOUNT, 1, counter=Counter(10_000, T0, None))
    assert wait(huge, T0) == ACCOUNT.backoff_cap


def test_a_refund_takes_the_attempt_back():
    blocked = _attempts(ADDRESS, ADDRESS.free)
    assert blocked.blocked_until is not None
    assert refunded(ADDRESS, blocked, T0) == Counter(ADDRESS.free - 1, T0, None)
    assert refunded(ADDRESS, Counter(), T0).attempts == 0


def test_known_addresses():
    assert not known_address(None, T0)
    assert known_address(T0 - KNOWN_FOR + SECOND, T0)
    assert not known_address(T0 - KNOWN_FOR, T0)
