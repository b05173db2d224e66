"""Command-line choices take the Chinese word or the code and always pass the code on."""

from pathlib import Path

import click
import pytest

from gridmgmt.cli.choices import LabelledChoice, LabelledList, output_format
from gridmgmt.domain.vocab import EVENT_TYPES, FORMATS, MUST_VISIT_FLAGS, REVIEW_STEPS

STEP = LabelledChoice(REVIEW_STEPS)


@pytest.mark.parametrize(
    ("text", "code"), [("授牌", "award"), ("award", "award"), ("AWARD", "award"), (" 复审保留 ", "keep")]
)
def test_a_label_or_a_code_gives_the_code(text, code):
    assert STEP.convert(text, None, None) == code


def test_an_unknown_word_lists_the_chinese_choices():
    with pytest.raises(click.BadParameter, match="“批准”不是可选值；可选：申报、初审、实地验收、授牌"):
        STEP.convert("批准", None, None)


def test_codes_limit_the_choice():
    some = LabelledChoice(EVENT_TYPES, ("grievance", "emergency"))
    assert some.labels == {"grievance": "不满情绪", "emergency": "突发事件"}
    with pytest.raises(click.BadParameter):
        some.convert("矛盾纠纷", None, None)


def test_a_list_takes_any_separator_and_mixes_words_and_codes():
    flags = LabelledList(MUST_VISIT_FLAGS)
    assert flags.convert("困难家庭、petitioner，空巢老人家庭,", None, None) == (
        "hardship",
        "petitioner",
        "empty_nest_elderly",
    )
    assert flags.convert("", None, None) == ()
    with pytest.raises(click.BadParameter, match="“低保户”"):
        flags.convert("困难家庭,低保户", None, None)


GIS = LabelledChoice(FORMATS, ("gpkg", "geojson"))
REPORT = LabelledChoice(FORMATS, ("table", "json", "xlsx"))


@pytest.mark.parametrize(
    ("fmt", "name", "choice", "found"),
    [
        (None, "plan.geojson", GIS, "geojson"),
        (None, "plan.JSON", GIS, "geojson"),  # .json is GeoJSON where JSON is not offered
        (None, "report.json", REPORT, "json"),
        (None, "plan.gpkg", GIS, "gpkg"),
        (None, "plan", GIS, "gpkg"),  # no extension: the default
        ("geojson", "plan.dat", GIS, "geojson"),  # an extension naming no format leaves the choice to --format
        ("gpkg", "plan.gpkg", GIS, "gpkg"),
    ],
)
def test_the_format_is_the_one_asked_for_or_the_one_the_extension_names(fmt, name, choice, found):
    assert output_format(fmt, Path(name), choice, "gpkg" if choice is GIS else "table") == found


def test_a_format_the_extension_contradicts_is_refused_naming_the_fitting_extension():
    with pytest.raises(click.UsageError, match="plan.geojson 的扩展名与格式 GeoPackage 不符：请改用 .gpkg"):
        output_format("gpkg", Path("plan.geojson"), GIS, "gpkg")


def test_an_extension_naming_a_format_not_offered_is_refused():
    with pytest.raises(click.UsageError, match=r"不能输出为 \.pdf 文件；可选格式：GeoPackage、GeoJSON"):
        output_format(None, Path("plan.pdf"), GIS, "gpkg")


def test_without_format_extension_or_default_the_format_must_be_named():
    with pytest.raises(click.UsageError, match="请用 --format 指明输出格式"):
        output_format(None, Path("layer.dat"), GIS)
