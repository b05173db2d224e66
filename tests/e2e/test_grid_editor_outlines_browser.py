"""A plan drawn before cells followed the 村民小组 lines: the editor says so and redraws it in one click,
moving no household (what the server stored is checked, not only the page)."""

import pytest
import shapely
from sqlalchemy import text

from tests.e2e.grid_editor import LOADED, allocated, message, planner_page  # noqa: F401

pytestmark = pytest.mark.e2e

CELLS = "SELECT code, version, ST_AsBinary(geom) FROM grid_cell WHERE plan_id = :p ORDER BY code"
MEMBERS = "SELECT household_id, cell_id FROM grid_membership WHERE plan_id = :p ORDER BY household_id"


def test_old_outlines_are_named_and_redrawn_in_one_click(planner_page, live_server, session, screenshot_dir):
    page = planner_page
    errors = allocated(page, live_server)
    plan = int(page.url.rstrip("/").split("/")[-1])
    assert page.locator("#old-outlines").count() == 0  # a new plan is drawn along the groups' lines
    drawn = session.execute(text(CELLS), {"p": plan}).all()
    members = session.execute(text(MEMBERS), {"p": plan}).all()
    # As a plan drawn by the old method would be stored: other outlines, and marked so.
    session.execute(
        text("UPDATE grid_cell SET geom = ST_Multi(ST_Envelope(ST_Buffer(geom, 0.001))) WHERE plan_id = :p"),
        {"p": plan},
    )
    session.execute(text("UPDATE grid_plan SET outlines = 'households' WHERE id = :p"), {"p": plan})
    session.commit()

    page.reload()
    page.wait_for_function(LOADED)
    assert "按旧画法（按农户就近划分）画的，会穿过村民小组界线" in page.text_content("#old-outlines")
    page.screenshot(path=str(screenshot_dir / "grid-editor-old-outlines.png"))
    page.click("[data-plan-action='redraw-outlines']")
    assert message(page) == f"已沿村民小组界线重画 {len(drawn)} 个网格的边界，每户所属网格不变"
    assert page.locator("#old-outlines").count() == 0
    page.screenshot(path=str(screenshot_dir / "grid-editor-redrawn.png"))

    session.expire_all()
    assert session.execute(text("SELECT outlines FROM grid_plan WHERE id = :p"), {"p": plan}).scalar_one() == "groups"
    assert session.execute(text(MEMBERS), {"p": plan}).all() == members
    for (code, version, wkb), (code_now, version_now, wkb_now) in zip(drawn, session.execute(text(CELLS), {"p": plan})):
        assert code_now == code and version_now == version + 1
        assert shapely.symmetric_difference(shapely.from_wkb(wkb), shapely.from_wkb(wkb_now)).area < 1e-12
    page.reload()
    page.wait_for_function(LOADED)
    assert page.locator("#old-outlines").count() == 0 and errors == []
