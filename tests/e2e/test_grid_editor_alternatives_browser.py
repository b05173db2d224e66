"""A refused split in Chromium offers the nearest operation that fits the band, as a button
that runs it: W01 cut in two would fall under 100, so W01 and W02 become three cells."""

import pytest

from tests.e2e.grid_editor import W1, W2, allocated, message, pick_cell, planner_page  # noqa: F401
from tests.integration import grid_town

pytestmark = pytest.mark.e2e
W3 = "441624199201W03"


def test_a_refused_split_offers_an_alternative_that_succeeds(planner_page, live_server, screenshot_dir):
    page = planner_page
    errors = allocated(page, live_server)

    pick_cell(page, W1)
    page.once("dialog", lambda dialog: dialog.accept(""))  # the split's optional reason
    page.click("#split-button")
    refused = message(page)
    assert "低于下限 100" in refused and f"可改为：将网格 {W1}、{W2} 共 2 个重新划分为 3 个" in refused
    assert page.is_visible("#alternative-button")
    page.screenshot(path=str(screenshot_dir / "grid-editor-alternative.png"))

    page.click("#alternative-button")
    assert f"已重新划分为 3 个网格：{W1}、{W2}、{W3}" in message(page, refused)
    page.wait_for_selector(f"#cell-table tr[data-code='{W3}']")
    assert page.text_content("#summary").count("越界") == 0 or W3 not in page.text_content("#summary")
    assert errors == []
