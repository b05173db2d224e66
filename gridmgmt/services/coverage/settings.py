"""The coverage rules of the configuration, handed to the services by the web and the command line."""

from dataclasses import fields

from gridmgmt.domain.branch_rules import CoverageRules

PREFIX = "coverage_"


def coverage_rules(settings) -> CoverageRules:
    """The CoverageRules SETTINGS (a gridmgmt.config.Settings) set with coverage_<field>; the rest keep their defaults."""
    chosen = {f.name: getattr(settings, PREFIX + f.name, None) for f in fields(CoverageRules)}
    return CoverageRules(**{name: value for name, value in chosen.items() if value is not None})
