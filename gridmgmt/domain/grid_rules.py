"""Grid rules (网格化, 001 §11, 003 三.4): workload, cell counts, bounds and edit checks.

Plain Python: the numbers are configuration, the checks return Chinese reasons.
"""

from dataclasses import asdict, dataclass, fields
from math import ceil, floor

from gridmgmt.domain.errors import Conflict, NotFound, UserError

# The name of a plan allocated without one: its local date and time (strftime).
AUTO_PLAN_NAME = "自动划分 %Y-%m-%d %H:%M"


class GridError(UserError, ValueError):
    """A grid request that breaks a rule; the message is Chinese and names the rule."""


class PlanNotFound(NotFound, GridError):
    """No grid plan has the requested id."""

    def __init__(self, plan_id: int):
        super().__init__(f"没有编号为 {plan_id} 的网格方案")


class StaleCell(Conflict, GridError):
    """A cell changed since the editor loaded it (HTTP 409): nothing was saved."""

    def __init__(self, changed: dict[str, int | None]):
        self.changed = changed
        listed = "、".join(
            f"{code}（{'已删除' if v is None else f'当前版本 {v}'}）" for code, v in sorted(changed.items())
        )
        super().__init__(f"网格已被他人修改，请刷新后重试：{listed}")


@dataclass(frozen=True)
class GridRules:
    """Allocation settings: target workload per cell, bounds, weights, capacities."""

    target: float = 150.0
    min_workload: float = 100.0
    max_workload: float = 200.0
    # A 必访 household counts 1 + must_visit_extra (monthly visits instead of yearly).
    must_visit_extra: float = 1.0
    # Every cell should lie within this share of its village's mean (the band); a village
    # group heavier than the band's top is the only kind the allocation splits.
    tolerance: float = 0.15
    # Cutting between village groups or across a road/river costs this share of a plain cut.
    group_cut: float = 0.25
    barrier_cut: float = 0.4
    max_cells_per_worker: int = 1
    liaison_capacity: int = 10

    def __post_init__(self):
        if not 0 < self.min_workload <= self.target <= self.max_workload:
            raise GridError(
                f"网格工作量须满足 0 < 下限 ≤ 目标 ≤ 上限（当前 {self.min_workload} / "
                f"{self.target} / {self.max_workload}）"
            )
        if self.must_visit_extra < 0 or not 0 < self.tolerance < 1:
            raise GridError("必访户多算户数不能为负，允许偏离本村平均须在 0 与 1 之间")
        if self.max_cells_per_worker < 1 or self.liaison_capacity < 1:
            raise GridError("每名网格员负责网格数、每名党员联系户数至少为 1")

    def as_dict(self) -> dict:
        """The rules as plain numbers, as a plan stores them."""
        return asdict(self)

    @classmethod
    def from_dict(cls, stored: dict) -> "GridRules":
        """Rules stored by as_dict; a setting added since the plan was made takes its default."""
        return cls(**{f.name: stored[f.name] for f in fields(cls) if f.name in stored})

    def workload(self, must_visit: bool) -> float:
        """The workload one household adds to its cell."""
        return 1.0 + (self.must_visit_extra if must_visit else 0.0)

    def cell_count(self, total: float) -> int:
        """How many cells a connected area of TOTAL workload gets: near the target, inside bounds."""
        if total <= 0:
            return 0
        k = max(1, round(total / self.target))
        k = max(k, ceil(total / self.max_workload))
        return max(1, min(k, floor(total / self.min_workload)))

    def cell_counts(self, total: float, reach: int = 1) -> list[int]:
        """Cell counts to weigh for whole groups: cell_count, and up to REACH fewer or more
        where the mean cell stays within the bounds (an area of one cell stays one cell)."""
        k = self.cell_count(total)
        steps = [k + d * s for d in range(1, reach + 1) for s in (-1, 1)]
        near = [c for c in steps if c > 1 and self.min_workload <= total / c <= self.max_workload]
        return [k, *near] if k > 1 else [k]

    def band(self, mean: float) -> tuple[float, float]:
        """Workloads a cell may have when its area's mean per cell is MEAN."""
        low = max(mean * (1 - self.tolerance), min(self.min_workload, mean))
        high = min(mean * (1 + self.tolerance), max(self.max_workload, mean))
        return low, high


def group_must_split(group_workload: float, total: float, cells: int, rules: GridRules) -> bool:
    """Whether a village group must be split: it alone exceeds the band of an area of TOTAL
    workload cut into CELLS cells (an area of one cell is never split)."""
    # 001 §11 “推行网格化智能管理”; practice: a rural grid is whole 村民小组, split only when too big.
    return bool(cells > 1 and group_workload > rules.band(total / cells)[1])


def split_reason(workload: float, total: float, cells: int, rules: GridRules) -> str:
    """Why a village group of WORKLOAD lies in more than one of its village's CELLS cells
    (TOTAL workload), in Chinese for the plan page and the command line."""
    high = rules.band(total / cells)[1]
    if group_must_split(workload, total, cells, rules):
        return f"工作量 {workload:.0f} 单独超过本村网格上限 {high:.0f}，须拆分"
    return (
        f"工作量 {workload:.0f} 未超过本村网格上限 {high:.0f}：按完整小组无法使本村各网格"
        f"都在平均工作量 ±{rules.tolerance:.0%} 以内，或方案经过人工调整"
    )


def proven_split_reason(least: int, rules: GridRules) -> str:
    """Why a plan splits groups that fit its band: no allocation of the village within the band and the
    bounds splits fewer than LEAST groups (analysis.group_bound), and the plan splits exactly LEAST."""
    return (
        f"本村任何使各网格都在平均工作量 ±{rules.tolerance:.0%} 以内、{rules.min_workload:.0f}–"
        f"{rules.max_workload:.0f} 之间的划分，都至少要拆分 {least} 个村民小组；本方案拆分的正是 {least} 个"
    )


def redraw_refusal(plan_id: int, outlines: str, status: str) -> str | None:
    """Why plan PLAN_ID (its OUTLINES as in PLAN_OUTLINES, its STATUS) is not redrawn along the 村民小组
    lines, or None when it may be: only a draft or published plan drawn the old way is."""
    if outlines == "groups":
        return f"方案 {plan_id} 的网格边界已沿村民小组界线画出，无需重画"
    if status == "archived":
        return f"方案 {plan_id} 已归档：其网格边界是当时实行的记录，不再重画"
    if outlines == "file":
        return (
            f"方案 {plan_id} 的网格边界来自导入的网格面文件，重画会丢弃这些边界；"
            "如确要按农户重画，请改为导入农户所属网格清单"
        )
    return None


def check_bounds(rules: GridRules, code: str, before: float, after: float) -> None:
    """Refuse an edit that takes cell CODE out of bounds, or further out than it was."""
    if after < rules.min_workload and after < before:
        raise GridError(f"网格 {code} 工作量将降至 {after:.0f}，低于下限 {rules.min_workload:.0f}")
    if after > rules.max_workload and after > before:
        raise GridError(f"网格 {code} 工作量将升至 {after:.0f}，超过上限 {rules.max_workload:.0f}")


def check_versions(expected: dict[str, int], current: dict[str, int]) -> None:
    """Raise StaleCell when any cell the editor saw has a newer version now."""
    changed = {code: current.get(code) for code, v in expected.items() if current.get(code) != v}
    if changed:
        raise StaleCell(changed)
