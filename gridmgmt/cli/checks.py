"""Option types that keep command-line numbers and dates within what the database and the calendar hold
(the same limits as the web's input checks, gridmgmt.domain.limits)."""
import math

import click

from gridmgmt.domain.limits import CALENDAR_TEXT, FIRST_DAY, INT4_MAX, LAST_DAY, MAX_DISTANCE_M, in_calendar

ID = click.IntRange(1, INT4_MAX)  # a row id: plan, event
YEAR = click.IntRange(FIRST_DAY.year, LAST_DAY.year)


class Finite(click.FloatRange):
    """A number in a range that is a real number: click's float takes nan and inf."""

    name = "finite float"

    def convert(self, value, param, ctx):
        """VALUE as a float; fails on nan, inf and numbers outside the range."""
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"须为有限的数字：{value}", param, ctx)
        return number


class CalendarDay(click.DateTime):
    """A YYYY-MM-DD date between FIRST_DAY and LAST_DAY."""

    def __init__(self):
        super().__init__(formats=["%Y-%m-%d"])

    def convert(self, value, param, ctx):
        """VALUE as a datetime at midnight; fails outside the calendar."""
        moment = super().convert(value, param, ctx)
        if not in_calendar(moment.date()):
            self.fail(f"日期须在 {CALENDAR_TEXT} 之间：{value}", param, ctx)
        return moment


DAY = CalendarDay()
DISTANCE = Finite(0, MAX_DISTANCE_M)  # metres
LONGITUDE = Finite(-180, 180)
LATITUDE = Finite(-90, 90)
