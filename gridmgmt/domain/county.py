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
