"""Hand edits survive rebalance in Chromium: a household moved by hand is locked, rebalance asks
first and says what it will change, the household stays in its cell, then the planner unlocks it."""

import pytest

from tests.e2e.grid_editor import POINT, W1, W2, allocated, border_household, message, pick_cell, planner_page  # noqa: F401
from tests.integration import grid_town
from tests.integration.test_grids_edits import _cell_of

pytestmark = pytest.mark.e2e


def test_a_hand_moved_household_stays_in_its_cell_on_rebalance(planner_page, live_server, session, screenshot_dir):
    page, asked = planner_page, []
    errors = allocated(page, live_server)
    plan = int(page.url.rstrip("/").split("/")[-1])

    pick_cell(page, W1)
    code, lat, lon = border_household(session, plan, W2, W1)
    page.mouse.click(*page.evaluate(POINT, [lat, lon]))
    page.wait_for_function("() => gridEditor.state.selected.size === 1")
    reloads = []
    page.on("request", lambda r: reloads.append(r.url) if r.url.endswith(f"/api/grids/{plan}") else None)
    page.click("#move-button")
    assert f"已移入网格 {W1}" in message(page)
    assert reloads == []  # the edit's answer patched the map: the plan was not downloaded again
    assert page.evaluate(f"gridEditor.state.data.households.find(h => h.code === '{code}').cell") == W1
    assert "手工调整的农户：1 户" in page.text_content("#locks") and code in page.text_content("#locks")

    # Rebalance asks first, naming the cells it keeps; the moved household stays in W1.
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click("[data-plan-action='rebalance']")
    assert "已重新划分" in message(page, "正在计算重新划分会改变什么…")
    assert "保持不变的网格 1 个" in asked[0] and W1 in asked[0] and "确定重新划分" in asked[0]
    assert _cell_of(session, plan, code) == W1
    page.screenshot(path=str(screenshot_dir / "grid-editor-locks.png"))

    # Declining changes nothing.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("[data-plan-action='rebalance']")
    page.wait_for_function("() => !document.getElementById('grid-message').textContent.includes('正在')")
    assert _cell_of(session, plan, code) == W1

    page.click("#locks .unlock")
    assert f"已解锁 {code}" in message(page)
    assert page.text_content("#locks") == ""
    assert errors == []
