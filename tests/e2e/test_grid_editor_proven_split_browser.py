"""A split the bound proves needed, in Chromium (001 网格化: rural grids keep 村民小组 whole): 丁村's groups of
90, 150, 80 and 70 households fit no plan within ±15 % without cutting one, so the one split is named
with that proof and not flagged as avoidable."""

import pytest
from sqlalchemy import select

from gridmgmt.db.models import AppUser, Township
from gridmgmt.domain.grid_rules import GridRules, proven_split_reason
from tests.e2e.grid_editor import LOADED
from tests.integration.test_grids_split_proofs import TOWN, _plant
from tests.web.people import password_hash

pytestmark = pytest.mark.e2e


def test_a_proven_split_is_named_with_its_proof_not_as_avoidable(live_server, session, login_page, screenshot_dir):
    _plant(session)
    town = session.scalar(select(Township.id).where(Township.code == TOWN))
    session.add(AppUser(username="dplanner", role="planner", password_hash=password_hash(), township_id=town))
    session.commit()
    errors: list[str] = []
    page = login_page("dplanner", 1366, 768)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/townships/{TOWN}/grids")
    page.click("#allocate-button")
    page.wait_for_function(LOADED)

    splits = page.locator("#group-splits")
    assert "拆分的村民小组：1 个" in splits.text_content()
    item = splits.locator("li").text_content()
    assert item.startswith("丁村") and proven_split_reason(1, GridRules()) in item
    assert "或方案经过人工调整" not in item and "拆分原因" not in item  # the proof is said once
    assert splits.locator("li.warn").count() == 0
    splits.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "grid-editor-proven-split.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    splits.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "grid-editor-proven-split-phone.png"))
    assert errors == []
