"""The login rate limit's rules: plain data and pure functions (the counters live in PostgreSQL).

Every login attempt is counted under three keys before its password is checked:
the account and the client address together (guessing one password), the
address alone (spraying many usernames), and the account alone (guessing from
many addresses). docs/accounts.md explains the numbers.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

# Backoff doubles from one second; past this many doublings it is at its cap anyway.
MAX_DOUBLINGS = 20


@dataclass(frozen=True)
class Rule:
    """How many attempts one key gets in WINDOW, and the penalty past that.

    With no BACKOFF_CAP the key is blocked until its window ends; with one, each
    attempt past FREE blocks it for 1 s, 2 s, 4 s, … up to BACKOFF_CAP.
    """

    name: str
    free: int
    window: timedelta
    backoff_cap: timedelta | None = None


# One account from one address: 5 attempts, then nothing until the 10 minutes are over.
PAIR = Rule("pair", 5, timedelta(minutes=10))
# One address, any usernames: generous, as a township office shares one address.
ADDRESS = Rule("address", 30, timedelta(minutes=10))
# One account, any address: only a short backoff, so an attacker cannot lock the owner out.
ACCOUNT = Rule("account", 10, timedelta(hours=1), backoff_cap=timedelta(minutes=1))
# An address the account logged in from this recently is spared the ACCOUNT rule.
KNOWN_FOR = timedelta(days=30)


@dataclass(frozen=True)
class Counter:
    """One key's state: attempts in the current window, since when, and any block."""

    attempts: int = 0
    window_start: datetime | None = None
    blocked_until: datetime | None = None


def wait(counter: Counter, now: datetime) -> timedelta:
    """How long COUNTER's key must wait at NOW before its next attempt (zero: go ahead)."""
    if counter.blocked_until is None or counter.blocked_until <= now:
        return timedelta(0)
    return counter.blocked_until - now


def counted(rule: Rule, counter: Counter, now: datetime) -> Counter:
    """COUNTER after one more attempt at NOW; a window that is over starts again."""
    start = counter.window_start
    if counter.attempts == 0 or start is None or now >= start + rule.window:
        counter, start = Counter(), now
    attempts = counter.attempts + 1
    return Counter(attempts, start, _blocked_until(rule, attempts, start, now))


def refunded(rule: Rule, counter: Counter, now: datetime) -> Counter:
    """COUNTER with the attempt counted at NOW taken back (it was a good login)."""
    attempts = max(counter.attempts - 1, 0)
    start = counter.window_start or now
    return Counter(attempts, start, _blocked_until(rule, attempts, start, now))


def known_address(last_success: datetime | None, now: datetime) -> bool:
    """True when the account logged in from this address within KNOWN_FOR before NOW."""
    return last_success is not None and now - last_success < KNOWN_FOR


def _blocked_until(rule: Rule, attempts: int, start: datetime, now: datetime) -> datetime | None:
    if attempts < rule.free:
        return None
    if rule.backoff_cap is None:
        return start + rule.window
    doublings = min(attempts - rule.free, MAX_DOUBLINGS)
    return now + min(timedelta(seconds=2**doublings), rule.backoff_cap)
