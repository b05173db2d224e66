"""Moments shown to people: always in the configured time zone (GRIDMGMT_TIMEZONE), never the server's."""

from datetime import datetime
from zoneinfo import ZoneInfo

MINUTES = "%Y-%m-%d %H:%M"
SECONDS = "%Y-%m-%d %H:%M:%S"


def local_now_text(tz: str, fmt: str = MINUTES) -> str:
    """The present moment as FMT in the time zone TZ (e.g. a default plan name)."""
    return datetime.now(ZoneInfo(tz)).strftime(fmt)


def local_text(moment: datetime | None, tz: str, fmt: str = MINUTES) -> str:
    """MOMENT (timezone-aware) as FMT in the time zone TZ; empty for None."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        raise ValueError(f"a naive datetime cannot be shown in {tz}: {moment!r}")
    return moment.astimezone(ZoneInfo(tz)).strftime(fmt)
