"""The settings visits go by, handed to the services by the web and the command line."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from gridmgmt.config import Settings
from gridmgmt.domain.duties import AttendRules, Term


@dataclass(frozen=True)
class VisitSettings:
    """The time zone that dates visits and postings, the term of office, the distance beyond
    which a visit is flagged, and the hours to attend each 四必到 event type."""

    timezone: str
    term: Term
    far_m: float
    attend: AttendRules

    @classmethod
    def of(cls, settings) -> "VisitSettings":
        """The visit settings among SETTINGS (a gridmgmt.config.Settings)."""
        return cls(
            settings.timezone, Term(settings.term_start), settings.visit_far_m, AttendRules(settings.attend_hours)
        )

    @classmethod
    def defaults(cls) -> "VisitSettings":
        """The visit settings a configuration gets when it sets none (no environment read)."""
        return cls.of(Settings.model_construct())

    def today(self) -> date:
        """Today's date in the time zone."""
        return datetime.now(ZoneInfo(self.timezone)).date()

    def start_of_day(self, day: date) -> datetime:
        """The midnight DAY begins with, in the time zone."""
        return datetime.combine(day, time(), ZoneInfo(self.timezone))

    def end_of_day(self, day: date) -> datetime:
        """The first instant after DAY in the time zone."""
        return self.start_of_day(day + timedelta(days=1))
