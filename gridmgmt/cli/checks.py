"""Option types that keep command-line numbers and dates within what the database and the calendar hold
(the same limits as the web's input checks, gridmgmt.domain.limits), named in Chinese for --help."""

import math
from datetime import datetime

import click

from gridmgmt.domain.limits import CALENDAR_TEXT, FIRST_DAY, INT4_MAX, LAST_DAY, MAX_DISTANCE_M, in_calendar


class ChineseRange:
    """A number range described as 0 ≤ 值 ≤ 24 or 值 > 0 (click writes 0<=x<=24, x>0)."""

    def _describe_range(self) -> str:
        low, high = (None if n is None else _plain(n) for n in (self.min, self.max))
        below = "<" if self.min_open else "≤"
        above = "<" if self.max_open else "≤"
        if low is not None and high is not None:
            return f"{low} {below} 值 {above} {high}"
        if low is not None:
            return f"值 {'>' if self.min_open else '≥'} {low}"
        return "" if high is None else f"值 {above} {high}"


def _plain(number) -> str:
    """100000.0 as 100000, 0.5 as 0.5."""
    return str(int(number)) if float(number).is_integer() else str(number)


class Whole(ChineseRange, click.IntRange):
    """A whole number, in a range when one is given."""

    name = "整数"


class Finite(ChineseRange, click.FloatRange):
    """A number in a range that is a real number: click's float takes nan and inf."""

    name = "数字"

    def convert(self, value, param, ctx):
        """VALUE as a float; fails on nan, inf and numbers outside the range."""
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"须为有限的数字：{value}", param, ctx)
        return number


class CalendarDay(click.ParamType):
    """A 年-月-日 (YYYY-MM-DD) date between FIRST_DAY and LAST_DAY, as a datetime at midnight."""

    name = "日期"

    def get_metavar(self, param, ctx) -> str:
        """年-月-日."""
        return "年-月-日"

    def convert(self, value, param, ctx):
        """VALUE as a datetime at midnight; fails on another shape and outside the calendar."""
        if isinstance(value, datetime):
            return value
        try:
            moment = datetime.strptime(str(value), "%Y-%m-%d")
        except ValueError:
            self.fail(f"日期须写成 年-月-日，如 2025-05-15：{value}", param, ctx)
        if not in_calendar(moment.date()):
            self.fail(f"日期须在 {CALENDAR_TEXT} 之间：{value}", param, ctx)
        return moment


INTEGER = Whole()
ID = Whole(1, INT4_MAX)  # a row id: plan, event
YEAR = Whole(FIRST_DAY.year, LAST_DAY.year)
DAY = CalendarDay()
NUMBER = Finite()
DISTANCE = Finite(0, MAX_DISTANCE_M)  # metres
LONGITUDE = Finite(-180, 180)
LATITUDE = Finite(-90, 90)
