"""The coverage page's problem list and cards, from a CoverageReport.

Findings come section by section (RULE_SECTIONS) with their counts; the households of the
distance rules are counted by village and 村民小组, listed one by one only for one village.
Every row and count knows where it sits on the map. Nothing is ever shown as nan.
"""

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy.orm import Session

from gridmgmt.domain.branch_rules import HOUSEHOLD_RULES, RULE_SECTIONS
from gridmgmt.domain.wording import rule_titles
from gridmgmt.readmodels import CoverageReport
from gridmgmt.reports.coverage_tables import AREA_COLUMNS, LABELS, RULE_COLUMNS, plain
from gridmgmt.services.coverage.layers import gap_locations, require_village

# Rules whose rows are villages: the row's name is its village.
VILLAGE_ROWS = ("blank_village", "village_uncovered", "first_secretary_missing", "work_team_short")
CARD_COLUMNS = [*AREA_COLUMNS[:7], "hardship_unhelped"]
Where = tuple[float, float] | None


@dataclass(frozen=True)
class Problem:
    """One finding as a row: its village, what it is, its other columns as text, its place (lat, lon)."""

    village: str
    what: str
    detail: str
    where: Where


@dataclass(frozen=True)
class Tally:
    """How many households of a distance rule live in one area (a village or a group), and their middle."""

    name: str
    households: int
    where: Where
    groups: tuple["Tally", ...] = ()


@dataclass(frozen=True)
class RuleProblems:
    """One rule's findings: every row, or for household rules the tallies by village and group
    (and the rows only when one village is shown)."""

    rule: str
    title: str
    count: int
    rows: list[Problem]
    tallies: list[Tally]


@dataclass(frozen=True)
class Section:
    """A titled run of rules (RULE_SECTIONS)."""

    title: str
    rules: list[RuleProblems]

    @property
    def count(self) -> int:
        """Findings of all its rules."""
        return sum(r.count for r in self.rules)


def text(value) -> str:
    """VALUE as users read it: empty for missing values (None, NaN, NaT), 是/否, whole metres, ISO dates."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:.0f}" if math.isfinite(value) else ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _village(rule: str, row: dict) -> str:
    return text(row.get("name") if rule in VILLAGE_ROWS else row.get("village"))


def _problem(rule: str, row: dict, where: Where) -> Problem:
    columns = RULE_COLUMNS[rule]
    what = text(row.get("name") if "name" in columns else row.get("code"))
    rest = [(LABELS[c], text(row.get(c))) for c in columns if c not in ("village", "name", "code")]
    detail = "，".join(f"{label} {value}" for label, value in rest if value)
    return Problem(_village(rule, row), what, detail, where)


def _middle(places: list[Where]) -> Where:
    """The mean of the known PLACES, None without any."""
    known = [p for p in places if p is not None]
    if not known:
        return None
    return (round(sum(p[0] for p in known) / len(known), 6), round(sum(p[1] for p in known) / len(known), 6))


def _tallies(rows: list[Problem], groups: list[str]) -> list[Tally]:
    """ROWS (households) counted by village, and within it by group (GROUPS, one per row); most first."""
    by_village: dict[str, dict[str, list[Where]]] = {}
    for row, group in zip(rows, groups):
        by_village.setdefault(row.village, {}).setdefault(group, []).append(row.where)
    out = []
    for village, by_group in by_village.items():
        tallies = sorted((Tally(g, len(p), _middle(p)) for g, p in by_group.items()), key=lambda t: -t.households)
        places = [w for p in by_group.values() for w in p]
        out.append(Tally(village, len(places), _middle(places), tuple(tallies)))
    return sorted(out, key=lambda t: -t.households)


def _rule(rule: str, title: str, frame: pd.DataFrame, places: list[Where], village: str | None) -> RuleProblems:
    records = plain(frame, RULE_COLUMNS[rule]).to_dict("records")
    rows = [_problem(rule, row, where) for row, where in zip(records, places)]
    groups = [text(row.get("group")) or "未分组" for row in records]
    kept = [(row, group) for row, group in zip(rows, groups) if not village or row.village == village]
    rows = [row for row, _ in kept]
    if rule not in HOUSEHOLD_RULES:
        return RuleProblems(rule, title, len(rows), rows, [])
    tallies = _tallies(rows, [group for _, group in kept])
    return RuleProblems(rule, title, len(rows), rows if village else [], tallies)


def problem_sections(session: Session, report: CoverageReport, village: str | None = None) -> list[Section]:
    """REPORT's findings by RULE_SECTIONS, only VILLAGE's when given; raises VillageNotFound."""
    require_village(report, village)
    places, titles = gap_locations(session, report), rule_titles(report.rules)
    return [
        Section(
            title,
            [_rule(r, titles[r], report.findings[r], places[r], village) for r in rules if r in report.findings],
        )
        for title, rules in RULE_SECTIONS
    ]


def cards(report: CoverageReport, sections: list[Section], village: str | None = None) -> dict[str, str]:
    """The summary cards: the totals of the township, or of VILLAGE, and the problems found there."""
    if village:
        row = report.villages[report.villages.name == village].iloc[0]
        area, figures = {"行政村": village}, {k: row.get(k) for k in CARD_COLUMNS}
    else:
        area, figures = {"乡镇": f"{report.name}（{report.code}）"}, {k: report.township.get(k) for k in CARD_COLUMNS}
    shown = {LABELS[k]: _figure(v, k) for k, v in figures.items() if text(v)}
    return {**area, **shown, "问题合计": f"{sum(s.count for s in sections):,}"}


def _figure(value, key: str) -> str:
    return f"{float(value):.1f}" if key == "per_100" else f"{int(value):,}"
