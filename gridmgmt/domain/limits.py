"""The ranges input must fall in before it reaches the database: column types and a sane calendar."""

from datetime import date

# PostgreSQL integer (ids, counts, years, versions) and bigint (offsets).
INT4_MAX = 2**31 - 1
INT8_MAX = 2**63 - 1
# Visits, events and date filters: nothing before the system's time, nothing centuries ahead.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
# Corridors, catchments and spacings: wider than any township, far below float trouble.
MAX_DISTANCE_M = 100_000.0
# An imported file's default size limit (MB).
DEFAULT_MAX_MB = 512
# Backups `gridmgmt db backup` keeps unless told otherwise.
DEFAULT_KEEP = 14


def in_calendar(day: date) -> bool:
    """True when DAY lies between FIRST_DAY and LAST_DAY."""
    return FIRST_DAY <= day <= LAST_DAY


CALENDAR_TEXT = f"{FIRST_DAY:%Y-%m-%d} 至 {LAST_DAY:%Y-%m-%d}"
