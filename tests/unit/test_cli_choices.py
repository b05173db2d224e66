"""Command-line choices take the Chinese word or the code and always pass the code on."""

import click
import pytest

from gridmgmt.cli.choices import LabelledChoice, LabelledList
from gridmgmt.domain.vocab import EVENT_TYPES, MUST_VISIT_FLAGS, REVIEW_STEPS

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
