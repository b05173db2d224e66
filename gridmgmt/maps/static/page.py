"""Paper sizes and the page layout: title band, map frame, and the panel beside or below it.

Everything outside the map frame (legend, scale bar, north arrow, inset, notes)
sits in the panel, so none of it can cover data. Sizes are millimetres on A4 and
grow with the paper.
"""

from dataclasses import dataclass

from gridmgmt.domain.errors import UserError

PAPERS_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
ORIENTATIONS = {"portrait": "纵向", "landscape": "横向"}
DPI = 300
MM_PER_INCH = 25.4

Rect = tuple[float, float, float, float]  # x, y, width, height in mm from the bottom left


class PageRefused(UserError, ValueError):
    """A paper size or orientation there is no page for (Chinese message)."""


@dataclass(frozen=True)
class Page:
    """A sheet of PAPER (A4/A3) in ORIENTATION (portrait/landscape)."""

    paper: str = "A4"
    orientation: str = "landscape"

    def __post_init__(self):
        if self.paper not in PAPERS_MM:
            raise PageRefused(f"不支持的纸张“{self.paper}”，可选：{'、'.join(PAPERS_MM)}")
        if self.orientation not in ORIENTATIONS:
            raise PageRefused(f"不支持的方向“{self.orientation}”，可选：{'、'.join(ORIENTATIONS)}")

    @property
    def size_mm(self) -> tuple[float, float]:
        """(width, height) in millimetres."""
        short, long = PAPERS_MM[self.paper]
        return (long, short) if self.orientation == "landscape" else (short, long)

    @property
    def scale(self) -> float:
        """How much bigger than A4 the page is, per side: text and furniture grow with it."""
        return PAPERS_MM[self.paper][0] / PAPERS_MM["A4"][0]

    def pixels(self, dpi: int = DPI) -> tuple[int, int]:
        """(width, height) of the page in whole pixels at DPI."""
        return tuple(round(side / MM_PER_INCH * dpi) for side in self.size_mm)

    def figsize(self, dpi: int = DPI) -> tuple[float, float]:
        """Figure size in inches, rounded so that DPI gives whole pixels."""
        return tuple(px / dpi for px in self.pixels(dpi))


@dataclass(frozen=True)
class Layout:
    """Where each part of the page goes (mm rectangles)."""

    title: Rect
    map: Rect
    blocks: dict[str, Rect]


def layout(page: Page, inset: bool, notes_mm: float = 0.0) -> Layout:
    """The page's title band, map frame and panel blocks; INSET reserves room for the inset.

    The notes block is at least NOTES_MM high, so that long notes never run into the 内部资料 mark.
    """
    width, height = page.size_mm
    s = page.scale
    margin, gap, title_h = 10 * s, 5 * s, 22 * s
    title = (margin, height - margin - title_h, width - 2 * margin, title_h)
    top = height - margin - title_h - gap
    if page.orientation == "landscape":
        panel_w = 62 * s
        map_rect = (margin, margin, width - 2 * margin - panel_w - gap, top - margin)
        blocks = _column((width - margin - panel_w, margin, panel_w, top - margin), s, inset, notes_mm)
    else:
        panel_h = 66 * s
        map_rect = (margin, margin + panel_h + gap, width - 2 * margin, top - margin - panel_h - gap)
        blocks = _row((margin, margin, width - 2 * margin, panel_h), s, inset, notes_mm)
    return Layout(title, map_rect, blocks)


def _column(panel: Rect, s: float, inset: bool, notes_mm: float) -> dict[str, Rect]:
    """Landscape panel, top to bottom: north arrow, inset, legend, scale bar, notes."""
    x, y, w, h = panel
    fixed = {"north": 24 * s, "inset": 44 * s if inset else 0, "scale": 20 * s, "notes": max(24 * s, notes_mm)}
    legend_h = h - sum(fixed.values())
    heights = {
        "north": fixed["north"],
        "inset": fixed["inset"],
        "legend": legend_h,
        "scale": fixed["scale"],
        "notes": fixed["notes"],
    }
    blocks, top = {}, y + h
    for name, block_h in heights.items():
        top -= block_h
        if block_h:
            blocks[name] = (x, top, w, block_h)
    return blocks


def _row(panel: Rect, s: float, inset: bool, notes_mm: float) -> dict[str, Rect]:
    """Portrait panel, left to right: legend | north arrow over scale bar | inset over notes."""
    x, y, w, h = panel
    legend_w = w * 0.46
    middle_w = w * 0.24
    right_x, right_w = x + legend_w + middle_w, w - legend_w - middle_w
    # The inset keeps at least a third of the column.
    notes_h = min(max(30 * s, notes_mm), h * 2 / 3 if inset else h)
    blocks = {
        "legend": (x, y, legend_w, h),
        "north": (x + legend_w, y + h / 2, middle_w, h / 2),
        "scale": (x + legend_w, y, middle_w, h / 2),
        "notes": (right_x, y, right_w, notes_h),
    }
    if inset:
        blocks["inset"] = (right_x, y + notes_h, right_w, h - notes_h)
    return blocks
