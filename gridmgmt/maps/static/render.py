"""Lay a MapSpec out on a page in the township's metric frame, and save it as PNG or PDF."""

import math
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import matplotlib
import numpy as np
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image, PngImagePlugin
from pyproj import CRS
from shapely.geometry import box

from gridmgmt.maps.static import furniture, geo
from gridmgmt.maps.static.fonts import cjk_family
from gridmgmt.maps.static.labels import place_labels
from gridmgmt.maps.static.page import DPI, Layout, Page, Rect, layout
from gridmgmt.maps.static.spec import MapLayer, MapSpec
from gridmgmt.network.frame import TownshipFrame

FORMATS = ("png", "pdf")
# zlib level 3: about a tenth larger than the default 6, in half the time.
PNG_COMPRESSION = 3
# Paper outside the township is toned down so the eye stays inside it.
OUTSIDE = "#f1f1ee"
# Room kept around the township inside the map frame, as a share of its extent.
FRAME_PAD = 0.04


class _PrintCanvas(FigureCanvasAgg):
    """An Agg canvas that draws only when the file is written.

    GeoDataFrame.plot asks for a redraw after every layer; on a print page each
    of those would draw all seventeen million pixels again.
    """

    def draw_idle(self, *args, **kwargs) -> None:
        """Nothing: the page is drawn once, by savefig."""


@dataclass
class RenderedMap:
    """A drawn page and the facts about its scale that tests and callers check."""

    figure: Figure
    map_axes: object
    crs: CRS
    units_per_mm: float  # projected metres per millimetre of paper
    scale_factor: float  # projected metres per ground metre at the map centre
    scale_bar_m: float
    scale_bar_mm: float
    labels: list  # the placed label Text artists
    labels_dropped: list[str]


def render(spec: MapSpec, page: Page) -> RenderedMap:
    """Draw SPEC on PAGE: title band, framed map, and the panel of legend, arrow, bar, notes, inset."""
    family = cjk_family()
    centre = spec.area.centroid
    crs = TownshipFrame(centre.x, centre.y).crs
    scale_factor, rotation = geo.local_distortion(crs, centre.x, centre.y)
    with matplotlib.rc_context({"font.family": family, "axes.unicode_minus": False}):
        fig = Figure(figsize=page.figsize(), dpi=DPI)
        _PrintCanvas(fig)
        inset = spec.county is not None and len(spec.county) > 1
        notes = _notes(spec, crs)
        first = layout(page, inset)
        parts = layout(page, inset, furniture.notes_height_mm(notes, first.blocks["notes"][2], page.scale))
        ax = _panel(fig, page, parts.map, frame=True)
        area = gpd.GeoSeries([spec.area], crs=4326).to_crs(crs)
        units_per_mm = _frame_extent(ax, area.total_bounds, parts.map)
        _draw_layers(ax, spec.layers, crs, page.scale, area)
        labels, dropped = _draw_labels(fig, ax, spec, crs, page.scale)
        _draw_title(fig, page, parts, spec)
        bar_m, bar_mm = _draw_panel(fig, page, parts, spec, notes, units_per_mm, scale_factor, rotation, area)
    return RenderedMap(fig, ax, crs, units_per_mm, scale_factor, bar_m, bar_mm, labels, dropped)


def save(rendered: RenderedMap, path: Path, fmt: str, title: str = "") -> None:
    """Write the page to PATH: PNG at 300 dpi, or PDF with vector shapes and selectable text."""
    if fmt not in FORMATS:
        raise ValueError(f"不支持的图片格式“{fmt}”，可选：{'、'.join(FORMATS)}")
    if fmt == "png":
        _save_png(rendered.figure, path, title)
        return
    # Type 3 fonts carry a ToUnicode map: the Chinese text stays searchable and copyable.
    with matplotlib.rc_context({"pdf.fonttype": 3}):
        rendered.figure.savefig(path, format="pdf", dpi=DPI, metadata={"Title": title, "Creator": "gridmgmt"})


def _save_png(fig: Figure, path: Path, title: str) -> None:
    """An RGB PNG: paper needs no alpha channel, and without it the file is written twice as fast."""
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    info = PngImagePlugin.PngInfo()
    info.add_text("Title", title)
    info.add_text("Software", "gridmgmt")
    Image.fromarray(pixels).save(path, format="PNG", dpi=(DPI, DPI), pnginfo=info, compress_level=PNG_COMPRESSION)


def _panel(fig: Figure, page: Page, rect: Rect, frame: bool = False):
    """Axes over RECT (mm); without FRAME its data units are millimetres from its corner."""
    width, height = page.size_mm
    x, y, w, h = rect
    ax = fig.add_axes((x / width, y / height, w / width, h / height))
    if frame:
        furniture.bare_frame(ax, 1.0 * page.scale)
    else:
        ax.set_xlim(0, w)
        ax.set_ylim(0, h)
        ax.axis("off")
    return ax


def _frame_extent(ax, bounds, rect: Rect) -> float:
    """Fit BOUNDS (projected) into the frame at equal scale; returns map metres per mm."""
    minx, miny, maxx, maxy = bounds
    _, _, w_mm, h_mm = rect
    pad = FRAME_PAD * max(maxx - minx, maxy - miny)
    units_per_mm = max((maxx - minx + 2 * pad) / w_mm, (maxy - miny + 2 * pad) / h_mm)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    ax.set_xlim(cx - units_per_mm * w_mm / 2, cx + units_per_mm * w_mm / 2)
    ax.set_ylim(cy - units_per_mm * h_mm / 2, cy + units_per_mm * h_mm / 2)
    return units_per_mm


def _draw_layers(ax, layers: list[MapLayer], crs: CRS, s: float, area: gpd.GeoSeries) -> None:
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    outside = box(x0, y0, x1, y1).difference(area.iloc[0])
    gpd.GeoSeries([outside], crs=crs).plot(ax=ax, facecolor=OUTSIDE, edgecolor="none", zorder=0)
    for layer in layers:
        if layer.frame.empty:
            continue
        geoms = layer.frame.geometry.to_crs(crs)
        geoms.plot(ax=ax, zorder=layer.zorder, **_scaled(layer, s))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    furniture.bare_frame(ax, 1.0 * s)


def _scaled(layer: MapLayer, s: float) -> dict:
    """LAYER's style with widths and marker sizes grown for the page."""
    style = dict(layer.style)
    if "linewidth" in style:
        style["linewidth"] *= s
    if "markersize" in style:
        style["markersize"] *= s * s
    return style


def _draw_labels(fig: Figure, ax, spec: MapSpec, crs: CRS, s: float) -> tuple[list, list[str]]:
    """Write the labels where place_labels finds room; returns them and the optional ones dropped."""
    if not spec.labels:
        return [], []
    ordered = sorted(spec.labels, key=lambda label: -label.priority)
    points = gpd.GeoSeries.from_xy([lb.lon for lb in ordered], [lb.lat for lb in ordered], crs=4326).to_crs(crs)
    anchors = ax.transData.transform(list(zip(points.x, points.y)))
    renderer = fig.canvas.get_renderer()
    texts = [
        ax.text(
            0,
            0,
            lb.text,
            fontsize=lb.size * s,
            fontweight="bold" if lb.bold else "normal",
            ha="center",
            va="center",
            zorder=21,
        )
        for lb in ordered
    ]
    sizes = [_size(text, renderer, s) for text in texts]
    frame = ax.get_window_extent(renderer)
    spots = place_labels(
        anchors, sizes, (frame.x0, frame.y0, frame.x1, frame.y1), _marker_boxes(ax, spec.layers, crs, s)
    )
    placed, dropped = [], []
    for label, text, anchor, spot in zip(ordered, texts, anchors, spots):
        if spot is None and label.optional:
            text.remove()
            dropped.append(label.text)
            continue
        text.set_position(ax.transData.inverted().transform(spot if spot is not None else anchor))
        _halo(ax, text, s)
        placed.append(text)
    return placed, dropped


def _halo(ax, text, s: float) -> None:
    """A white outline under TEXT, drawn as a separate path so TEXT stays selectable in a PDF."""
    halo = ax.text(
        *text.get_position(),
        text.get_text(),
        fontproperties=text.get_fontproperties(),
        ha="center",
        va="center",
        zorder=20,
        color="white",
        path_effects=[patheffects.Stroke(linewidth=2.4 * s, foreground="white")],
    )
    halo.set_gid("halo")


def _marker_boxes(ax, layers: list[MapLayer], crs: CRS, s: float) -> list[tuple]:
    """Pixel boxes around the markers of keep_clear point layers."""
    boxes = []
    for layer in layers:
        if not (layer.keep_clear and layer.kind == "point") or layer.frame.empty:
            continue
        # scatter sizes are areas in pt²: half the side, in pixels.
        half = math.sqrt(layer.style.get("markersize", 9)) * s * DPI / 72 / 2
        points = layer.frame.geometry.to_crs(crs)
        for x, y in ax.transData.transform(list(zip(points.x, points.y))):
            boxes.append((x - half, y - half, x + half, y + half))
    return boxes


def _size(text, renderer, s: float) -> tuple[float, float]:
    """Width and height of TEXT in pixels, with a little air for the halo."""
    extent = text.get_window_extent(renderer)
    air = 2.0 * s * DPI / 72
    return extent.width + air, extent.height + air


def _draw_title(fig: Figure, page: Page, parts: Layout, spec: MapSpec) -> None:
    width, height = page.size_mm
    x, y, w, h = parts.title
    s = page.scale
    fig.text(
        (x + w / 2) / width,
        (y + h * 0.62) / height,
        spec.title,
        ha="center",
        va="center",
        fontsize=20 * s,
        fontweight="bold",
    )
    area_km2 = geo.geodesic_area_km2(spec.area)
    made = f"{spec.made_on.year}年{spec.made_on.month}月{spec.made_on.day}日"
    subtitle = "　".join(part for part in (spec.place, f"面积 {area_km2:,.1f} 平方千米", made) if part)
    fig.text(
        (x + w / 2) / width,
        (y + h * 0.12) / height,
        subtitle,
        ha="center",
        va="center",
        fontsize=10 * s,
        color="#444444",
    )


def _notes(spec: MapSpec, crs: CRS) -> list[str]:
    """The lines of the notes block: source, CRS, then the kind's own notes."""
    return [f"数据来源：{spec.source}", f"坐标系：{geo.crs_description(crs)}", *spec.notes]


def _draw_panel(
    fig,
    page: Page,
    parts: Layout,
    spec: MapSpec,
    notes: list[str],
    units_per_mm: float,
    scale_factor: float,
    rotation: float,
    area: gpd.GeoSeries,
) -> tuple[float, float]:
    s, blocks = page.scale, parts.blocks
    legend = blocks["legend"]
    furniture.draw_legend(_panel(fig, page, legend), spec.layers, s, legend[3])
    north = blocks["north"]
    furniture.draw_north_arrow(_panel(fig, page, north), north[2], north[3], rotation, s)
    scale = blocks["scale"]
    bar = furniture.draw_scale_bar(_panel(fig, page, scale), scale[2], scale[3], units_per_mm, scale_factor, s)
    block = blocks["notes"]
    furniture.draw_notes(_panel(fig, page, block), block[2], block[3], notes, s)
    if "inset" in blocks:
        inset_ax = _panel(fig, page, _shrunk(blocks["inset"], 4 * s, 7 * s), frame=True)
        county = spec.county.to_crs(area.crs)
        caption = "在县域中的位置"
        furniture.draw_inset(inset_ax, county, area, caption, s)
    return bar


def _shrunk(rect: Rect, side: float, top: float) -> Rect:
    """RECT less SIDE mm on left, right and bottom, and TOP mm at the top (room for a caption)."""
    x, y, w, h = rect
    return (x + side, y + side, max(w - 2 * side, 1), max(h - side - top, 1))
