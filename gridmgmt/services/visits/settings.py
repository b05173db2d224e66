"""The settings visits go by, handed to the services by the web and the command line."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from gridmgmt.config import Settings
from gridmgmt.domain.duties import AttendRules, Term
from gridmgmt.domain.postings import PostingRules


@dataclass(frozen=True)
class VisitSettings:
    """The time zone that dates visits and postings, the term of office, the distance beyond
    which a visit is flagged, the hours to attend each 四必到 event type, and the rules of
    resident postings (term, days in the village, work team)."""

    timezone: str
    term: Term
    far_m: float
    attend: AttendRules
    postings: PostingRules = PostingRules()

    @classmethod
    def of(cls, settings) -> "VisitSettings":
        """The visit settings among SETTINGS (a gridmgmt.config.Settings)."""
        postings = PostingRules(
            days_a_month=settings.resident_days_a_month,
            work_team_min=settings.work_team_min,
            remind_days=settings.resident_remind_days,
        )
        return cls(
            settings.timezone,
            Term(settings.term_start),
            settings.visit_far_m,
            AttendRules(settings.attend_hours),
            postings,
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
