"""The coverage rules the web and the command line hand to the services come from the configuration."""

from dataclasses import fields

from gridmgmt.config import Settings
from gridmgmt.domain.branch_rules import CoverageRules
from gridmgmt.services.coverage.settings import PREFIX, coverage_rules


def test_unset_settings_keep_the_rules_defaults():
    assert coverage_rules(Settings.model_construct()) == CoverageRules()


def test_set_ones_change_their_rule(monkeypatch):
    monkeypatch.setenv("GRIDMGMT_COVERAGE_COUNT_MOBILE", "true")
    monkeypatch.setenv("GRIDMGMT_COVERAGE_SPLIT_ABOVE", "20")
    rules = coverage_rules(Settings())
    assert rules.count_mobile is True and rules.split_above == 20 and rules.group_size == CoverageRules().group_size


def test_every_organisation_setting_names_a_rule():
    """A misspelt coverage_* setting would silently do nothing."""
    names = {f.name for f in fields(CoverageRules)}
    settings = {name[len(PREFIX) :] for name in Settings.model_fields if name.startswith(PREFIX)}
    assert settings and settings <= names
