"""The published grid plan as a layer for leaders, reviewers and planners (issue 19): on the
township overview and the 示范点 page, outlines from the grid_cells tiles and names embedded;
a draft plan's cells never show, and the layer carries no household data."""

import json

import mapbox_vector_tile
import pytest
from sqlalchemy import select

from gridmgmt.db.models import GridCell, GridPlan, Township, Village
from tests.web.sample import TOWNSHIP_CODE

# The z12 tile holding the sample township (test_tiles.py).
TOWNSHIP_TILE = "12/3364/1767"
PAGES = {"overview": f"/townships/{TOWNSHIP_CODE}", "sites": f"/townships/{TOWNSHIP_CODE}/sites"}


def _has(html: str, text: str) -> bool:
    """TEXT in HTML as is or JSON-escaped (folium writes names as \\uXXXX)."""
    return text in html or json.dumps(text)[1:-1] in html


@pytest.fixture
def draft_cell(session, people):
    """A draft plan's cell beside the published 东村一格."""
    town = session.scalar(select(Township.id).where(Township.code == TOWNSHIP_CODE))
    village = session.scalar(select(Village.id).where(Village.name == "西村"))
    plan = GridPlan(township_id=town, name="草稿方案", status="draft")
    session.add(plan)
    session.flush()
    corners = [(115.70, 23.90), (115.71, 23.90), (115.71, 23.91), (115.70, 23.91), (115.70, 23.90)]
    polygon = "SRID=4326;MULTIPOLYGON(((" + ",".join(f"{x} {y}" for x, y in corners) + ")))"
    session.add(GridCell(plan_id=plan.id, village_id=village, code="D1", name="草稿一格", geom=polygon))
    session.commit()


@pytest.mark.parametrize(
    ("role", "page"), [("leader", "overview"), ("reviewer", "overview"), ("planner", "overview"), ("reviewer", "sites")]
)
def test_the_published_cells_are_a_layer_to_turn_on(as_user, draft_cell, role, page):
    html = as_user(role).get(PAGES[page]).get_data(as_text=True)
    assert _has(html, "网格（已发布方案）")
    assert _has(html, "东村一格") and not _has(html, "草稿一格")
    assert "/tiles/grid_cells/{z}/{x}/{y}.pbf" in html


def test_the_leaders_page_cannot_open_sites_but_has_the_layer_on_the_overview(as_user, draft_cell):
    client = as_user("leader")
    assert client.get(PAGES["sites"]).status_code == 403
    assert _has(client.get(PAGES["overview"]).get_data(as_text=True), "网格（已发布方案）")


def test_a_reviewer_gets_cells_but_no_household(as_user, draft_cell):
    """Reviewers have no household in scope: the overview embeds none and their tile of cells
    holds the published cell's name and code only; the household tiles refuse them."""
    client = as_user("reviewer")
    cells = mapbox_vector_tile.decode(client.get(f"/tiles/grid_cells/{TOWNSHIP_TILE}.pbf").data)["grid_cells"]
    assert [f["properties"]["name"] for f in cells["features"]] == ["东村一格"]
    assert set(cells["features"][0]["properties"]) <= {"code", "name", "village_id", "plan_id"}
    assert client.get(f"/tiles/households/{TOWNSHIP_TILE}.pbf").status_code == 403
    for page in PAGES.values():
        html = client.get(page).get_data(as_text=True)
        assert "/tiles/households/" not in html
        for flag in ("hardship", "critically_ill", "empty_nest_elderly", "left_behind_children", "petitioner"):
            assert flag not in html
