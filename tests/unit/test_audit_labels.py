"""The audit page can name every row: record() refuses an action without a Chinese label."""

import re

import pytest

from gridmgmt.reports.sheets import EXPORT_WORKBOOK
from gridmgmt.services.accounts.audit import ACTIONS, Actor, record


def test_every_action_has_a_chinese_label():
    assert EXPORT_WORKBOOK in ACTIONS
    assert all(re.search(r"[\u4e00-\u9fff]", label) for label in ACTIONS.values())


def test_an_unlabelled_action_is_refused_before_anything_is_written():
    with pytest.raises(ValueError, match="made_up"):
        record(None, Actor("someone"), "made_up")
