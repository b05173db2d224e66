"""What goes around the map: legend, north arrow, scale bar, notes and the inset.

Each part draws into its own panel axes whose data units are millimetres of paper.
"""

import math
import unicodedata

import geopandas as gpd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon, Rectangle
from matplotlib.transforms import Affine2D

from gridmgmt.maps.static import scalebar
from gridmgmt.maps.static.spec import MapLayer

INK = "#222222"
SECRET_RED = "#b71c1c"
PT_TO_MM = 25.4 / 72
# Markers smaller than this (points) are drawn this big in the legend, so they can be seen.
MIN_SWATCH_PT = 3.0


def legend_handle(layer: MapLayer, s: float):
    """A legend swatch drawn like LAYER (S: page scale)."""
    style = layer.style
    if layer.kind == "polygon" and style.get("facecolor", "none") == "none":
        # An outline-only layer (a boundary) reads best as a line.
        return Line2D(
            [0, 1],
            [0, 0],
            color=style["edgecolor"],
            linewidth=style.get("linewidth", 0.5) * s,
            linestyle=style.get("linestyle", "-"),
        )
    if layer.kind == "polygon":
        return Patch(
            facecolor=style.get("facecolor", "none"),
            edgecolor=style.get("edgecolor", "none"),
            linewidth=style.get("linewidth", 0.5) * s,
            linestyle=style.get("linestyle", "-"),
            hatch=style.get("hatch"),
        )
    if layer.kind == "line":
        return Line2D(
            [0, 1],
            [0, 0],
            color=style["color"],
            linewidth=style.get("linewidth", 1) * s,
            linestyle=style.get("linestyle", "-"),
        )
    return Line2D(
        [],
        [],
        linestyle="none",
        marker=style.get("marker", "o"),
        markersize=max(math.sqrt(style.get("markersize", 9)), MIN_SWATCH_PT) * s,
        markerfacecolor=style.get("color"),
        markeredgecolor=style.get("edgecolor", "none"),
    )


def draw_legend(ax: Axes, layers: list[MapLayer], s: float, height_mm: float) -> None:
    """The Chinese legend of every labelled layer, in columns when one does not fit."""
    entries = [(legend_handle(layer, s), layer.label) for layer in reversed(layers) if layer.label]
    if not entries:
        return
    size = 8 * s
    # A legend row is about 1.6 em; the title and padding take about two rows.
    row_mm = size * 1.6 * PT_TO_MM
    rows = max(1, int((height_mm - 2 * row_mm) // row_mm))
    columns = math.ceil(len(entries) / rows)
    handles, labels = zip(*entries)
    ax.legend(
        handles,
        labels,
        loc="upper left",
        frameon=False,
        title="图  例",
        alignment="left",
        fontsize=size,
        title_fontproperties={"size": 10 * s, "weight": "bold"},
        ncols=columns,
        handlelength=2.4,
        borderaxespad=0.2,
    )


def draw_north_arrow(ax: Axes, width_mm: float, height_mm: float, rotation: float, s: float) -> None:
    """A half-filled arrow pointing to true north (ROTATION degrees from the page's up)."""
    cx, cy, half = width_mm / 2, height_mm / 2 - 2 * s, min(height_mm * 0.3, 8 * s)
    turn = Affine2D().rotate_deg_around(cx, cy, rotation) + ax.transData
    left = [(cx, cy + half), (cx - half * 0.45, cy - half), (cx, cy - half * 0.5)]
    right = [(cx, cy + half), (cx + half * 0.45, cy - half), (cx, cy - half * 0.5)]
    ax.add_patch(Polygon(left, closed=True, facecolor=INK, edgecolor=INK, linewidth=0.6 * s, transform=turn))
    ax.add_patch(Polygon(right, closed=True, facecolor="white", edgecolor=INK, linewidth=0.6 * s, transform=turn))
    tip_x, tip_y = turn.transform((cx, cy + half + 3.5 * s))
    x, y = ax.transData.inverted().transform((tip_x, tip_y))
    ax.text(x, y, "北", ha="center", va="center", fontsize=11 * s, fontweight="bold", color=INK)


def draw_scale_bar(
    ax: Axes, width_mm: float, height_mm: float, units_per_mm: float, scale_factor: float, s: float
) -> tuple[float, float]:
    """A 4-segment bar of a round length and the fraction 1:N; returns (metres, bar mm)."""
    pad, unit_room = 3 * s, 10 * s
    room_m = (width_mm - 2 * pad - unit_room) * units_per_mm / scale_factor
    length = scalebar.nice_length(room_m)
    bar = scalebar.paper_mm(length, units_per_mm, scale_factor)
    ticks, texts, unit = scalebar.bar_ticks(length)
    x0, y0, bar_h = pad, height_mm * 0.5, 1.8 * s
    step = bar / (len(ticks) - 1)
    for k in range(len(ticks) - 1):
        ax.add_patch(
            Rectangle(
                (x0 + k * step, y0),
                step,
                bar_h,
                linewidth=0.5 * s,
                edgecolor=INK,
                facecolor=INK if k % 2 == 0 else "white",
            )
        )
    # Every other tick is labelled: 0.25 and 0.75 would crowd a short bar.
    for k, text in list(enumerate(texts))[::2]:
        ax.text(x0 + k * step, y0 + bar_h + 1.2 * s, text, ha="center", va="bottom", fontsize=7 * s)
    ax.text(x0 + bar + 2 * s, y0 + bar_h / 2, unit, ha="left", va="center", fontsize=7 * s)
    fraction = scalebar.scale_denominator(units_per_mm, scale_factor)
    ax.text(x0, y0 - 2.5 * s, f"比例尺 1:{fraction:,}", ha="left", va="top", fontsize=7 * s)
    return length, bar


# A line is broken after one of these when one lies in the second half of the piece.
BREAK_AFTER = "，、；：。→"


def _em(char: str) -> float:
    return 1.0 if unicodedata.east_asian_width(char) in "WF" else 0.55


def wrap_text(line: str, width_em: float) -> list[str]:
    """LINE broken into pieces at most WIDTH_EM wide: a Chinese character is 1 em, others about half.

    Pieces end after punctuation where they can, so no word or number is left alone on a line.
    """
    pieces, current = [], ""
    for char in line:
        if current and sum(map(_em, current)) + _em(char) > width_em:
            cut = max(current.rfind(mark) for mark in BREAK_AFTER) + 1
            cut = cut if cut > len(current) / 2 else len(current)
            pieces.append(current[:cut])
            current = current[cut:]
        current += char
    return [piece.strip(" ") for piece in [*pieces, current] if piece.strip(" ")]


NOTE_PT, MARK_PT, NOTE_SPACING = 6.5, 9.0, 1.5


def _wrapped(lines: list[str], width_mm: float, s: float) -> list[str]:
    width_em = width_mm / (NOTE_PT * s * PT_TO_MM)
    return [piece for line in lines for part in line.split("\n") for piece in wrap_text(part, width_em)]


def notes_height_mm(lines: list[str], width_mm: float, s: float) -> float:
    """Height the notes LINES take in a block WIDTH_MM wide, the 内部资料 mark and a gap included."""
    text = len(_wrapped(lines, width_mm, s)) * NOTE_PT * NOTE_SPACING * s * PT_TO_MM
    return text + (MARK_PT * 1.8 + NOTE_PT) * s * PT_TO_MM


def draw_notes(ax: Axes, width_mm: float, height_mm: float, lines: list[str], s: float) -> None:
    """Source, CRS and date lines, wrapped to the block, and the 内部资料 mark at the bottom."""
    ax.text(
        0,
        height_mm,
        "\n".join(_wrapped(lines, width_mm, s)),
        ha="left",
        va="top",
        fontsize=NOTE_PT * s,
        color=INK,
        linespacing=NOTE_SPACING,
    )
    ax.text(
        0,
        0.5 * s,
        "内部资料  注意保管",
        ha="left",
        va="bottom",
        fontsize=MARK_PT * s,
        fontweight="bold",
        color=SECRET_RED,
    )


def draw_inset(ax: Axes, county: gpd.GeoSeries, township: gpd.GeoSeries, caption: str, s: float) -> None:
    """The county's townships in grey with this township in red, in its own small frame."""
    county.plot(ax=ax, facecolor="#e4e4e4", edgecolor="white", linewidth=0.4 * s)
    township.plot(ax=ax, facecolor="#d84315", edgecolor="#8c2a0d", linewidth=0.5 * s)
    ax.set_aspect("equal", adjustable="datalim")
    bare_frame(ax, 0.5 * s)
    ax.set_title(caption, fontsize=7 * s, pad=2 * s)


def bare_frame(ax: Axes, linewidth: float) -> None:
    """No ticks, no axis titles (geopandas adds Easting/Northing), a thin neat line."""
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_linewidth(linewidth)
