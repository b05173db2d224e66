"""The nearest feasible operation when a split or a merge is refused (001 §11 网格化; the
band of GridRules, default 100–200): cut the cell into more pieces, or take in its
neighbouring cells and divide them all again, one cell more (a split) or one fewer (a merge),
touching as few cells as will fit the band."""

from dataclasses import asdict, dataclass
from math import floor

from gridmgmt.domain.grid_rules import GridError, GridRules


@dataclass(frozen=True)
class Redivision:
    """Divide the adjacent CELLS (the asked ones first) again into INTO cells of about MEAN workload."""

    cells: tuple[str, ...]
    into: int
    mean: float

    @property
    def text(self) -> str:
        """What it does, in Chinese, for the button that does it."""
        listed = "、".join(self.cells)
        if len(self.cells) == 1:
            return f"将网格 {listed} 拆分为 {self.into} 个（每格工作量约 {self.mean:.0f}）"
        return f"将网格 {listed} 共 {len(self.cells)} 个重新划分为 {self.into} 个（每格工作量约 {self.mean:.0f}）"

    def as_dict(self) -> dict:
        """Plain dict with its text, for JSON."""
        return {**asdict(self), "text": self.text}


def fits(total: float, cells: int, rules: GridRules) -> bool:
    """Whether TOTAL workload divided into CELLS cells has a mean inside the rules' bounds."""
    return cells >= 1 and rules.min_workload <= total / cells <= rules.max_workload


def split_alternative(code: str, workload: float, neighbours: dict[str, float], rules: GridRules) -> Redivision | None:
    """Instead of cutting cell CODE (WORKLOAD) in two: into three or more pieces that fit, else
    CODE and its NEIGHBOURS (code → workload), heaviest first, into one cell more than they are."""
    for pieces in range(3, floor(workload / rules.min_workload) + 1):
        if fits(workload, pieces, rules):
            return Redivision((code,), pieces, workload / pieces)
    cells, total = [code], workload
    for other, load in sorted(neighbours.items(), key=lambda item: (-item[1], item[0])):
        cells.append(other)
        total += load
        if fits(total, len(cells) + 1, rules):
            return Redivision(tuple(cells), len(cells) + 1, total / (len(cells) + 1))
    return None


def merge_alternative(
    keep: str, other: str, workloads: tuple[float, float], neighbours: dict[str, float], rules: GridRules
) -> Redivision | None:
    """Instead of merging cell OTHER into KEEP (WORKLOADS of both): the two and their NEIGHBOURS
    (code → workload), lightest first, divided again into one cell fewer than they are."""
    cells, total = [keep, other], sum(workloads)
    for code, load in sorted(neighbours.items(), key=lambda item: (item[1], item[0])):
        cells.append(code)
        total += load
        if fits(total, len(cells) - 1, rules):
            return Redivision(tuple(cells), len(cells) - 1, total / (len(cells) - 1))
    return None


class EditRefused(GridError):
    """A split or merge that breaks the band, with the nearest operation that fits (or None)."""

    def __init__(self, reason: str, alternative: Redivision | None):
        self.alternative = alternative
        offer = f"可改为：{alternative.text}" if alternative else "相邻网格一起调整也无法都在上下限之内"
        super().__init__(f"{reason}；{offer}")
