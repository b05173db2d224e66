"""The glossary's words in every template: the map attribution, measures and their descriptions, audit targets."""

from flask import Flask

from gridmgmt.domain.wording import ATTRIBUTION, METRICS, descriptions, target_text


def init_app(app: Flask) -> None:
    """Make the wording helpers of gridmgmt.domain.wording available to every template."""
    app.jinja_env.globals.update(map_attribution=ATTRIBUTION, metrics=METRICS, described=descriptions())
    app.add_template_filter(target_text)
