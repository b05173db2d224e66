"""Briefing maps of a demo township on real PostGIS: files open, sizes, text, scale, audit."""

import math
import re
import subprocess

import numpy as np
import pytest
from matplotlib.patches import Rectangle
from PIL import Image
from pyproj import Geod, Transformer
from sqlalchemy import text

from gridmgmt.db.models import SENSITIVE_HOUSEHOLD_COLUMNS
from gridmgmt.maps.kinds import KINDS
from gridmgmt.maps.static import Page, render
from gridmgmt.maps.static.page import DPI, MM_PER_INCH
from gridmgmt.services.accounts.audit import Actor
from gridmgmt.services.briefing.exports import BriefingRefused, briefing_data, export_map
from tests.integration.briefing_town import DAY, NEIGHBOUR_CODE, db, town  # noqa: F401 - fixtures


def _audits(db):
    return db.execute(text("SELECT action, target, detail FROM audit_log ORDER BY id")).all()


def test_png_has_300_dpi_a4_size_and_is_not_blank(db, town, tmp_path):
    path = export_map(
        db, "overview", town, "png", tmp_path / "map.png", Page("A4", "portrait"), actor=Actor("tester"), made_on=DAY
    )
    with Image.open(path) as image:
        assert image.size == (2480, 3508)
        pixels = np.asarray(image.convert("RGB"))
    inked = (pixels < 200).any(axis=2).mean()
    colours = len(np.unique(pixels.reshape(-1, 3)[::97], axis=0))
    assert inked > 0.02 and colours > 50
    [(action, target, detail)] = _audits(db)
    assert (action, target) == ("export_map", "map.png")
    assert detail == {"kind": "overview", "format": "png", "township": town, "paper": "A4", "orientation": "portrait"}


def test_pdf_is_a3_vector_with_selectable_chinese_text(db, town, tmp_path):
    path = export_map(db, "overview", town, "pdf", tmp_path / "map.pdf", Page("A3", "landscape"), made_on=DAY)
    words = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    name = db.execute(text("SELECT name FROM township WHERE code = :c"), {"c": town}).scalar()
    villages = db.execute(text("SELECT name FROM village")).scalars().all()
    for expected in (f"{name}概况图", "2026年1月1日", "内部资料", "图例", "比例尺", "在县域中的位置", *villages):
        assert expected in words
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert (width, height) == pytest.approx((1190.55, 841.89), abs=0.2)  # A3 landscape
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True).stdout
    assert len(images.strip().splitlines()) == 2  # the header only: no raster inside


def _paper_mm(rendered, lonlat_a, lonlat_b):
    to_map = Transformer.from_crs(4326, rendered.crs, always_xy=True)
    pixels = rendered.map_axes.transData.transform([to_map.transform(*lonlat_a), to_map.transform(*lonlat_b)])
    return math.dist(*pixels) / DPI * MM_PER_INCH


@pytest.mark.parametrize("paper, orientation", [("A3", "landscape"), ("A4", "portrait")])
def test_scale_bar_matches_a_measured_distance(db, town, paper, orientation):
    kind = KINDS["overview"]
    rendered = render(kind.build(briefing_data(db, kind, town, DAY)), Page(paper, orientation))
    # The bar as drawn: the segments' widths add up to its length on paper.
    bars = [p for ax in rendered.figure.axes for p in ax.patches if isinstance(p, Rectangle)]
    assert sum(p.get_width() for p in bars) == pytest.approx(rendered.scale_bar_mm)
    metres_per_mm = rendered.scale_bar_m / rendered.scale_bar_mm
    # Seat to the far corner of the township, measured on the ellipsoid.
    seat = db.execute(text("SELECT ST_X(seat), ST_Y(seat) FROM township WHERE code = :c"), {"c": town}).one()
    corner = db.execute(text("SELECT ST_XMax(geom), ST_YMax(geom) FROM township WHERE code = :c"), {"c": town}).one()
    _, _, ground_m = Geod(ellps="GRS80").inv(*seat, *corner)
    assert _paper_mm(rendered, seat, corner) * metres_per_mm == pytest.approx(ground_m, rel=0.02)


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "overview"])
def test_every_kind_exports_a_png_of_the_page_size_that_is_not_blank(db, town, tmp_path, kind):
    path = export_map(db, kind, town, "png", tmp_path / "map.png", Page("A4", "landscape"), made_on=DAY)
    with Image.open(path) as image:
        assert image.size == (3508, 2480)
        pixels = np.asarray(image.convert("RGB"))[::7, ::7]
    inside = pixels[300 // 7 : 2200 // 7, 200 // 7 : 2700 // 7]  # the map frame, without the furniture
    assert (pixels < 200).any(axis=2).mean() > 0.02 and len(np.unique(inside.reshape(-1, 3), axis=0)) > 20


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "overview"])
def test_every_kind_exports_a_pdf_with_its_title_and_legend(db, town, tmp_path, kind):
    path = export_map(db, kind, town, "pdf", tmp_path / "map.pdf", Page("A4", "portrait"), made_on=DAY)
    words = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    name = db.execute(text("SELECT name FROM township WHERE code = :c"), {"c": town}).scalar()
    title = {
        "coverage": "党组织覆盖图",
        "grid_plan": "网格划分图",
        "visits": "走访覆盖图",
        "sites": "党建示范点分布图",
    }[kind]
    legend = {
        "coverage": "空白组（无党员）",
        "grid_plan": "150–179 户",
        "visits": "95% 及以上",
        "sites": "示范点观摩路线",
    }[kind]
    assert f"{name}{title}" in words and legend in words and "内部资料" in words
    if kind == "visits":  # the published plan's cells, each with its own rate
        assert "网格界（数字为网格完成率）" in words and re.search(r"\d+%", words)
    if kind == "sites":  # the two awarded sites are the tour's numbered stops
        assert "①" in words and "②" in words and "观摩路线（镇政府出发" in words


@pytest.mark.parametrize("kind", list(KINDS))
def test_no_kind_loads_sensitive_household_flags(db, town, kind):
    data = briefing_data(db, KINDS[kind], town, DAY)
    for name, frame in data.layers.items():
        assert not set(frame.columns) & set(SENSITIVE_HOUSEHOLD_COLUMNS), name


def test_every_village_is_named_and_no_label_overlaps(db, town):
    kind = KINDS["overview"]
    rendered = render(kind.build(briefing_data(db, kind, town, DAY)), Page("A4", "landscape"))
    renderer = rendered.figure.canvas.get_renderer()
    texts = rendered.labels
    villages = db.execute(text("SELECT name FROM village")).scalars().all()
    assert set(villages) <= {t.get_text() for t in texts}
    boxes = [t.get_window_extent(renderer) for t in texts]
    frame = rendered.map_axes.get_window_extent(renderer)
    for i, box in enumerate(boxes):
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
        assert not any(box.overlaps(other) for other in boxes[i + 1 :])


@pytest.mark.parametrize(
    "args, message",
    [
        (("nowhere", "overview", "png"), "没有编码为 nowhere 的乡镇"),
        ((NEIGHBOUR_CODE, "grid_plan", "pdf"), "邻镇还没有网格方案"),
        ((None, "weather", "png"), "没有“weather”这种地图"),
        ((None, "overview", "gif"), "不支持的格式“gif”"),
    ],
)
def test_refusals_write_nothing(db, town, tmp_path, args, message):
    code, kind, fmt = args
    path = tmp_path / "out.file"
    with pytest.raises(BriefingRefused, match=message):
        export_map(db, kind, code or town, fmt, path)
    assert list(tmp_path.iterdir()) == []
    assert _audits(db) == []


def test_households_can_be_left_off_for_roles_that_may_not_see_them(db, town):
    kind = KINDS["overview"]
    assert len(briefing_data(db, kind, town, DAY).layers["households"]) > 500
    assert briefing_data(db, kind, town, DAY, households=False).layers["households"].empty
