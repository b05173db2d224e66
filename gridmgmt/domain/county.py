"""The 县级总览's figures: what each measures, which way is worse, and whose township page explains it.

Every township of a county is one row; a figure ranks the rows worst first (a missing value,
such as the age of a plan never published, ranks as the worst of all).
"""

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Figure:
    """One column of the overview: its KEY, Chinese LABEL, whether more is worse, the township page
    that explains it (endpoint) and the action a user needs to open that page."""

    key: str
    label: str
    worse: Literal["more", "less"]
    page: str
    action: str
    percent: bool = False


COVERAGE = ("coverage.page", "view_coverage")
VISITS = ("visits.township", "view_compliance")
GRIDS = ("grids.index", "edit_grids")
SITES = ("sites.page", "review_sites")

# The review states counted per township: under way, awarded, and those that need the township's attention.
SITE_STATES = ("under_review", "awarded", "to_fix")
SITE_STATE_OF = {
    "applied": "under_review",
    "preliminary": "under_review",
    "inspected": "under_review",
    "awarded": "awarded",
    "rectifying": "to_fix",
    "returned": "to_fix",
}

FIGURES = (
    Figure("blank_groups", "空白组", "more", *COVERAGE),
    Figure("members_per_100", "每百户党员", "less", *COVERAGE),
    Figure("committee_missing", "应设未设支委会", "more", *COVERAGE),
    Figure("visit_rate", "走访完成率", "less", *VISITS, percent=True),
    Figure("visits_overdue", "走访逾期", "more", *VISITS),
    Figure("plan_age_days", "网格方案发布天数", "more", *GRIDS),
    Figure("cells_without_worker", "无网格员网格", "more", *GRIDS),
    Figure("sites_under_review", "示范点·评审中", "less", *SITES),
    Figure("sites_awarded", "示范点·已授牌", "less", *SITES),
    Figure("sites_to_fix", "示范点·待整改", "more", *SITES),
)
FIGURE_KEYS = {f.key: f for f in FIGURES}
DEFAULT_SORT = FIGURES[0].key


def worst_first(rows: list[dict], key: str) -> list[dict]:
    """ROWS ordered by the figure KEY, worst first; missing values first of all, ties by township code."""
    figure = FIGURE_KEYS[key]
    sign = -1 if figure.worse == "more" else 1

    def rank(row: dict):
        value = row[key]
        return (value is not None, 0 if value is None else sign * value, row["code"])

    return sorted(rows, key=rank)


CLASSES = 5  # colour classes of the county map, best to worst


def class_limits(values: list[float], worse: str, classes: int = CLASSES) -> list[float]:
    """The CLASSES - 1 limits splitting VALUES into classes of about equal count, in the worse direction."""
    ordered = sorted(values, reverse=worse == "less")
    if not ordered:
        return []
    return [ordered[min(len(ordered) - 1, k * len(ordered) // classes)] for k in range(1, classes)]


def class_of(value: float | None, limits: list[float], worse: str) -> int | None:
    """VALUE's class under LIMITS: 0 best … len(LIMITS) worst; None for no value."""
    if value is None:
        return None
    reached = [value >= limit if worse == "more" else value <= limit for limit in limits]
    return sum(reached)


def shown(figure: Figure, value: float | None) -> str:
    """VALUE of FIGURE as the map and its legend write it: 45.3% for shares, 10.5 or 12 otherwise."""
    if value is None:
        return "无"
    if figure.percent:
        return f"{value * 100:.1f}%"
    return f"{value:g}" if isinstance(value, int) else f"{value:.1f}".removesuffix(".0")


def shading(rows: list[dict], figure: Figure) -> dict:
    """How the county map colours ROWS by FIGURE: each township's class (by code; None: no value)
    and the legend's entries, best class first ('<6', '≥6', …; '>46.0%', '≤46.0%', … when less is worse)."""
    limits = class_limits([r[figure.key] for r in rows if r[figure.key] is not None], figure.worse)
    below, from_on = ("<", "≥") if figure.worse == "more" else (">", "≤")
    legend = [f"{below}{shown(figure, limits[0])}", *(f"{from_on}{shown(figure, v)}" for v in limits)] if limits else []
    classes = {r["code"]: class_of(r[figure.key], limits, figure.worse) for r in rows}
    return {"classes": classes, "legend": legend}
