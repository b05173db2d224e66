"""A group the allocation must split, in Chromium (001 网格化: a 村民小组 is split only when it alone
exceeds the band, and the plan names why): the rule's reason shows once, not again as the kept
「拆分原因」; a planner's own reason shows beside it."""

import re

import pytest
from sqlalchemy import text

from tests.e2e.grid_editor import allocated, message, planner_page  # noqa: F401
from tests.integration import grid_town

pytestmark = pytest.mark.e2e
A1, A2 = "44162419920101", "44162419920102"


def test_an_automatic_split_names_its_reason_once(planner_page, live_server, session, screenshot_dir):
    # 甲村's two groups of 170 become one group of 340: too heavy for any cell (at most 200).
    session.execute(
        text(
            "UPDATE household SET group_id = (SELECT id FROM village_group WHERE code = :a1) "
            "WHERE group_id = (SELECT id FROM village_group WHERE code = :a2)"
        ),
        {"a1": A1, "a2": A2},
    )
    session.commit()
    page = planner_page
    errors = allocated(page, live_server)

    splits = page.locator("#group-splits")
    assert "拆分的村民小组：1 个" in splits.text_content()
    item = splits.locator("li").text_content()
    assert item.startswith(f"甲村一组（{A1}）分在 ")
    # The allocation kept the rule's own reason: said once, with no 「拆分原因」 repeating it.
    reason = re.search(r"工作量 [\d.]+ 单独超过本村网格上限 \d+，须拆分", item)
    assert reason is not None, item
    assert item.count(reason.group(0)) == 1 and "拆分原因" not in item
    assert splits.locator("li.warn").count() == 0  # a must-split group is not flagged as avoidable
    splits.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "grid-editor-split-reason.png"))

    # A planner's own reason is another text: it shows beside the rule's, with who gave it.
    page.once("dialog", lambda dialog: dialog.accept("一组人口多，两名网格员分片包干"))
    page.click("#group-splits .split-reason")
    assert "已记录一组的拆分原因" in message(page)
    item = splits.locator("li").text_content()
    assert "（拆分原因：一组人口多，两名网格员分片包干，gplanner）" in item
    assert item.count(reason.group(0)) == 1 and item.count("拆分原因") == 1
    splits.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "grid-editor-split-reason-stated.png"))
    assert errors == []
