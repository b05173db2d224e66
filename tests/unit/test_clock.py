"""Times shown in the configured zone, whatever the server's own zone is (issue 13: 14:36 UTC is 22:36 in Beijing)."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from gridmgmt.domain.clock import SECONDS, local_text


def test_utc_moments_are_shown_in_the_configured_zone():
    moment = datetime(2026, 12, 6, 14, 36, tzinfo=UTC)
    assert local_text(moment, "Asia/Shanghai") == "2026-12-06 22:36"
    assert local_text(moment, "Asia/Shanghai", SECONDS) == "2026-12-06 22:36:00"
    assert local_text(moment, "UTC") == "2026-12-06 14:36"


def test_the_date_changes_at_local_midnight():
    late = datetime(2026, 12, 6, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert local_text(late, "Asia/Shanghai") == "2026-12-07 12:30"


def test_nothing_shows_empty_and_a_naive_moment_is_a_bug():
    assert local_text(None, "Asia/Shanghai") == ""
    with pytest.raises(ValueError, match="naive"):
        local_text(datetime(2026, 1, 1), "Asia/Shanghai")
