"""The planner's grid editor in Chromium: allocate in one click, move a household by clicking it,
redraw an edge with Geoman, a refused merge with its reason, a stale save shown as 409, publish."""

import pytest
from sqlalchemy import text

from gridmgmt.services.grids.edits import move_households
from tests.actors import ACTOR
from tests.e2e.grid_editor import LOADED, POINT, W1, W2, border_household, message, pick_cell, planner_page  # noqa: F401
from tests.integration import grid_town

pytestmark = pytest.mark.e2e


def test_edit_a_plan_in_the_browser(planner_page, live_server, session, screenshot_dir, login_page):
    page, errors = planner_page, []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/townships/{grid_town.TOWN}/grids")
    page.click("#allocate-button")
    page.wait_for_function(LOADED)
    plan = int(page.url.rstrip("/").split("/")[-1])
    assert "最大偏离本村平均" in page.text_content("#summary")
    assert "拆分的村民小组：无（全部保持完整）" in page.text_content("#group-splits")
    page.screenshot(path=str(screenshot_dir / "grid-editor.png"))

    # Click a household of W2 on the map, then move it into W1.
    pick_cell(page, W1)
    code, lat, lon = border_household(session, plan, W2, W1)
    page.mouse.click(*page.evaluate(POINT, [lat, lon]))
    page.wait_for_function("() => gridEditor.state.selected.size === 1")
    page.click("#move-button")
    assert f"已移入网格 {W1}" in message(page)
    assert page.text_content(f"#cell-table tr[data-code='{W1}'] td:last-child") == "2"
    # The move split the household's group: the plan names it, in red, with its reason.
    assert "拆分的村民小组：1 个" in page.text_content("#group-splits")
    assert "或方案经过人工调整" in page.text_content("#group-splits li.warn")

    # Redraw W1's edge: a Geoman polygon around the next border household of W2.
    code, lat, lon = border_household(session, plan, W2, W1)
    page.click("#redraw-button")
    x, y = page.evaluate(POINT, [lat, lon])
    hint = page.text_content("#grid-message")
    # Vertices more than Geoman's 20 px snap distance apart; the last click on the first closes it.
    for dx, dy in ((-24, -24), (24, -24), (24, 24), (-24, 24), (-24, -24)):
        page.mouse.click(x + dx, y + dy)
    page.screenshot(path=str(screenshot_dir / "grid-editor-redraw.png"))
    assert f"已按所画范围调整网格 {W1} 的边界" in message(page, hint)
    assert (
        session.execute(
            text(
                "SELECT c.code FROM grid_membership m JOIN grid_cell c ON c.id = m.cell_id "
                "JOIN household h ON h.id = m.household_id WHERE m.plan_id = :p AND h.code = :h"
            ),
            {"p": plan, "h": code},
        ).scalar_one()
        == W1
    )

    # A merge over the upper bound is refused with the reason.
    page.select_option("#merge-select", W2)
    page.click("#merge-button")
    assert "未保存" in message(page) and "超过上限 200" in page.text_content("#grid-message")

    # Another planner moves a household meanwhile: this editor's next save is a 409, shown.
    other, _, _ = border_household(session, plan, W1, W2)
    versions = dict(session.execute(text("SELECT code, version FROM grid_cell WHERE plan_id = :p"), {"p": plan}).all())
    move_households(session, plan, [other], W2, versions, actor=ACTOR)
    page.click("#split-button")
    assert "已被他人修改" in message(page)
    assert [row.get_attribute("data-code") for row in page.locator("#cell-table tr.changed").all()] == [W1]
    page.screenshot(path=str(screenshot_dir / "grid-editor-409.png"))

    page.click("[data-plan-action='assign']")
    assert "已配网格员" in message(page) and "个网格缺人，见下表" in page.text_content("#grid-message")
    # The cells short of liaisons as a table, by name: 乙村第1网格 has 2 members for 80 households.
    short = page.locator("#assign-result tr", has_text="乙村第1网格")
    assert short.locator("td").all_text_contents()[1:5] == ["乙村", "80", "60", "2 / 8"]
    assert "441624199202W01" not in page.text_content("#assign-result")
    page.locator("#assign-result").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "grid-editor-assign.png"))
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("[data-plan-action='publish']")
    assert page.text_content("#plan-status") == "已发布"
    assert errors == []

    # The grid worker's phone now shows the new cell (on the map and by name) and its liaisons.
    phone = login_page("gworker", 390, 844)
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.goto(f"{live_server}/m")
    phone.wait_for_selector(".my-cell")
    cell = session.scalar(
        text(
            "SELECT c.name FROM grid_cell c JOIN cadre k ON k.id = c.grid_worker_id "
            "WHERE c.plan_id = :p AND k.code = 'G1'"
        ),
        {"p": plan},
    )
    assert f"我的网格：{cell}" in phone.text_content("main") and "联户党员" in phone.text_content("main")
    phone.screenshot(path=str(screenshot_dir / "grid-worker-phone.png"))
    assert errors == []
