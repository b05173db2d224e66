"""The 县级总览's figures: what each measures, which way is worse, and whose township page explains it.

Every township of a county is one row; a figure ranks the rows worst first (a missing value,
such as the age of a plan never published, ranks as the worst of all).
"""

from collections import Counter
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
    missing: str = ""  # why a township may have no value, for the maps' legends


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
    Figure("blank_groups", "空白组", "more", *COVERAGE, missing="无农户"),
    Figure("members_per_100", "每百户党员", "less", *COVERAGE, missing="无农户"),
    Figure("committee_missing", "应设未设支委会", "more", *COVERAGE),
    Figure("visit_rate", "走访完成率", "less", *VISITS, percent=True, missing="无走访任务"),
    Figure("visits_overdue", "走访逾期", "more", *VISITS),
    Figure("plan_age_days", "网格方案发布天数", "more", *GRIDS, missing="未发布网格方案"),
    Figure("cells_without_worker", "无网格员网格", "more", *GRIDS, missing="未发布网格方案"),
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


CLASSES = 5  # colour shades of the county map, lightest (best) to darkest (worst)


def value_classes(values: list[float], worse: str, classes: int = CLASSES) -> dict[float, int]:
    """Each distinct value of VALUES → its class, 0 best: CLASSES classes of about equal count, best
    first (fewer when there are fewer distinct values: one each); a value is never split between
    two classes and no class is empty."""
    counts = Counter(values)
    distinct = sorted(counts, reverse=worse == "less")
    if len(distinct) <= classes:
        return {value: n for n, value in enumerate(distinct)}
    out, klass, filled, left, share = {}, 0, 0, len(values), len(values) / classes
    for k, value in enumerate(distinct):
        out[value], filled = klass, filled + counts[value]
        # Close the class at its share of the townships left, or when the values left are just enough.
        if klass < classes - 1 and (filled >= share or len(distinct) - k - 1 == classes - 1 - klass):
            klass, left, filled = klass + 1, left - filled, 0
            share = left / (classes - klass)
    return out


def _shade(klass: int, used: int) -> int:
    """The shade of class KLASS of USED classes, spread from the lightest to the darkest."""
    return round(klass * (CLASSES - 1) / (used - 1)) if used > 1 else CLASSES // 2


def shown(figure: Figure, value: float | None) -> str:
    """VALUE of FIGURE as the map and its legend write it: 45.3% for shares, 10.5 or 12 otherwise."""
    if value is None:
        return "无"
    if figure.percent:
        return f"{value * 100:.1f}%"
    return f"{value:g}" if isinstance(value, int) else f"{value:.1f}".removesuffix(".0")


def _span(figure: Figure, values: list[float]) -> str:
    """The values of one class as the legend writes them: '3' or '1–2' (least to most)."""
    low, high = shown(figure, min(values)), shown(figure, max(values))
    return low if low == high else f"{low}–{high}"


def shading(rows: list[dict], figure: Figure) -> dict:
    """How the county map colours ROWS by FIGURE: each township's shade by code (0 lightest …
    CLASSES - 1 darkest, None: no value) and the legend, best first, no value last: each entry
    its shade, the values it holds and its count of townships ('1–2（5 个乡镇）')."""
    values = {r["code"]: r[figure.key] for r in rows}
    known = [v for v in values.values() if v is not None]
    of = value_classes(known, figure.worse)
    used = len(set(of.values()))
    classes = {code: None if v is None else _shade(of[v], used) for code, v in values.items()}
    legend = []
    for klass in range(used):
        members = [v for v in known if of[v] == klass]
        text = f"{_span(figure, members)}（{len(members)} 个乡镇）"
        legend.append({"shade": _shade(klass, used), "text": text})
    missing = len(values) - len(known)
    if missing:
        why = f"：{figure.missing}" if figure.missing else ""
        legend.append({"shade": None, "text": f"无数据{why}（{missing} 个乡镇）"})
    return {"classes": classes, "legend": legend}
