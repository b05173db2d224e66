"""The `localtime` template filter: every time on a page in the configured time zone."""

from flask import Flask

from gridmgmt.config import get_settings
from gridmgmt.domain.clock import MINUTES, local_text


def localtime(moment, fmt: str = MINUTES) -> str:
    """MOMENT as FMT in GRIDMGMT_TIMEZONE (`{{ row.at | localtime }}`)."""
    return local_text(moment, get_settings().timezone, fmt)


def init_app(app: Flask) -> None:
    """Offer the filter to every template."""
    app.add_template_filter(localtime)
