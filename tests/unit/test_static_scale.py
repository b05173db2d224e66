"""Scale bar arithmetic, the projected CRS and its distortion, and page sizes."""

import pytest
from shapely.geometry import box

from gridmgmt.maps.static import geo, scalebar
from gridmgmt.maps.static.furniture import notes_height_mm, wrap_text
from gridmgmt.maps.static.labels import inside, overlaps
from gridmgmt.maps.static.page import Page, layout
from gridmgmt.network.frame import TownshipFrame


@pytest.mark.parametrize(
    "room, length", [(2600, 2000), (999, 500), (1000, 1000), (73, 50), (0.3, 0.2), (4600, 4000), (45, 40)]
)
def test_nice_length_is_the_longest_round_length_that_fits(room, length):
    assert scalebar.nice_length(room) == pytest.approx(length)


def test_nice_length_refuses_no_room():
    with pytest.raises(ValueError):
        scalebar.nice_length(0)


def test_ticks_in_kilometres_or_metres():
    assert scalebar.bar_ticks(2000) == ([0, 500, 1000, 1500, 2000], ["0", "0.5", "1", "1.5", "2"], "千米")
    assert scalebar.bar_ticks(400)[1:] == (["0", "100", "200", "300", "400"], "米")


def test_paper_length_and_fraction():
    # 1:50 000 is 50 m per mm; with k = 1.0002 a kilometre is 1000.2 map metres.
    assert scalebar.paper_mm(1000, 50.0, 1.0) == 20.0
    assert scalebar.paper_mm(1000, 50.0, 1.0002) == pytest.approx(20.004)
    assert scalebar.scale_denominator(50.0, 1.0) == 50_000
    assert scalebar.scale_denominator(101_234 / 1000, 1.0) == 101_000


def test_distortion_on_and_off_the_central_meridian():
    crs = TownshipFrame(117.0, 24.0).crs
    on_scale, on_turn = geo.local_distortion(crs, 117.0, 24.0)
    assert on_scale == pytest.approx(1.0, abs=1e-6) and on_turn == pytest.approx(0.0, abs=1e-6)
    # 1.3° west of the meridian at 23.9°N: k ≈ 1 + (Δλ·cosφ)²/2, grid north turns clockwise by Δλ·sinφ.
    scale, turn = geo.local_distortion(crs, 115.7, 23.9)
    assert scale == pytest.approx(1.000215, abs=2e-6)
    assert turn == pytest.approx(-0.527, abs=0.005)


def test_geodesic_area_of_a_small_square():
    # 0.01° × 0.01° at the equator: 1113.2 m × 1105.7 m.
    assert geo.geodesic_area_km2(box(0, 0, 0.01, 0.01)) == pytest.approx(1.2308, rel=1e-3)


@pytest.mark.parametrize(
    "paper, orientation, pixels",
    [
        ("A4", "portrait", (2480, 3508)),
        ("A4", "landscape", (3508, 2480)),
        ("A3", "portrait", (3508, 4961)),
        ("A3", "landscape", (4961, 3508)),
    ],
)
def test_pixels_at_300_dpi(paper, orientation, pixels):
    page = Page(paper, orientation)
    assert page.pixels() == pixels
    assert tuple(round(size * 300) for size in page.figsize()) == pixels


def test_unknown_paper_is_refused_in_chinese():
    with pytest.raises(ValueError, match="不支持的纸张“B5”"):
        Page("B5")
    with pytest.raises(ValueError, match="不支持的方向"):
        Page("A4", "sideways")


@pytest.mark.parametrize("paper", ["A4", "A3"])
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("with_inset", [True, False])
def test_layout_parts_stay_on_the_page_and_apart(paper, orientation, with_inset):
    page = Page(paper, orientation)
    parts = layout(page, with_inset)
    width, height = page.size_mm
    rects = [parts.title, parts.map, *parts.blocks.values()]
    boxes = [(x, y, x + w, y + h) for x, y, w, h in rects]
    for i, a in enumerate(boxes):
        assert inside(a, (0, 0, width, height))
        assert a[2] > a[0] and a[3] > a[1]
        assert not any(overlaps(a, b) for b in boxes[i + 1 :])
    assert ("inset" in parts.blocks) == with_inset
    assert {"legend", "north", "scale", "notes"} <= set(parts.blocks)


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_long_notes_get_a_taller_block_and_stay_clear_of_the_rest(orientation):
    page = Page("A4", orientation)
    lines = ["数据来源：乡镇党建网格化管理系统"] * 8
    need = notes_height_mm(lines, layout(page, True).blocks["notes"][2], page.scale)
    assert need > notes_height_mm(lines[:2], 60, 1.0)
    parts = layout(page, True, need)
    assert parts.blocks["notes"][3] == pytest.approx(need)
    boxes = [(x, y, x + w, y + h) for x, y, w, h in [parts.map, *parts.blocks.values()]]
    assert not any(overlaps(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_notes_wrap_by_display_width():
    assert wrap_text("示范点授牌 3 个", 5) == ["示范点授牌", "3 个"]
    # After punctuation when it lies in the second half of the piece: no number alone on a line.
    assert wrap_text("示范点：授牌 3 个", 5) == ["示范点：", "授牌 3 个"]
    assert wrap_text("已授牌 3，限期整改 1", 9) == ["已授牌 3，", "限期整改 1"]
    assert wrap_text("abcdef", 2) == ["abc", "def"]  # Latin letters are about half an em
    assert wrap_text("", 5) == []
