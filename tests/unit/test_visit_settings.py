"""The visit settings the web and the command line hand to the services come from the configuration."""

from datetime import UTC, date, datetime, timedelta, timezone

from gridmgmt.config import Settings
from gridmgmt.domain.duties import attend_by
from gridmgmt.services.visits.settings import VisitSettings


def test_taken_from_the_configuration():
    configured = Settings(
        timezone="Asia/Urumqi", term_start=date(2022, 1, 1), visit_far_m=500, attend_hours={"emergency": 2}
    )
    settings = VisitSettings.of(configured)
    assert (settings.timezone, settings.term.start, settings.far_m) == ("Asia/Urumqi", date(2022, 1, 1), 500)
    reported = datetime(2025, 5, 15, 4, tzinfo=UTC)
    assert attend_by("emergency", reported, settings.attend) - reported == timedelta(hours=2)
    assert attend_by("dispute", reported, settings.attend) - reported == timedelta(hours=24)


def test_days_end_at_local_midnight():
    settings = VisitSettings.of(Settings(timezone="Asia/Shanghai"))
    end = settings.end_of_day(date(2025, 5, 15))
    assert end.astimezone(UTC) == datetime(2025, 5, 15, 16, tzinfo=UTC)
    assert settings.end_of_day(date(2025, 5, 15)) == settings.start_of_day(date(2025, 5, 16))
