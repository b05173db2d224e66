"""The grid editor in Chromium, shared by its browser tests: the planner's page, the editor's
message once a save is answered, a household on a cell's border, picking a cell."""

import pytest
from sqlalchemy import select, text

from gridmgmt.db.models import AppUser, Cadre, Township
from tests.integration import grid_town
from tests.web.people import password_hash

W1, W2 = "441624199201W01", "441624199201W02"
LOADED = "() => document.querySelectorAll('#cell-table tr').length > 1"
POINT = """([lat, lon]) => {
    const p = gridEditor.map.latLngToContainerPoint([lat, lon]);
    const box = document.getElementById("grid-map").getBoundingClientRect();
    return [box.left + p.x, box.top + p.y];
}"""


@pytest.fixture
def planner_page(live_server, session, login_page):
    """The grid township and its planner, logged in at 1400×900."""
    grid_town.build(session)
    town = session.scalar(select(Township.id).where(Township.code == grid_town.TOWN))
    g1 = session.scalar(select(Cadre.id).where(Cadre.code == "G1"))
    session.add_all(
        [
            AppUser(username="gplanner", role="planner", password_hash=password_hash(), township_id=town),
            AppUser(
                username="gworker", role="grid_worker", password_hash=password_hash(), township_id=town, cadre_id=g1
            ),
        ]
    )
    session.commit()
    return login_page("gplanner", 1400, 900)


def allocated(page, live_server) -> list[str]:
    """Open the grid township's editor at 1366×768 and allocate a plan; the page's script errors, as they come."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server}/townships/{grid_town.TOWN}/grids")
    page.click("#allocate-button")
    page.wait_for_function(LOADED)
    return errors


def message(page, before: str = "") -> str:
    """The editor's message once the save is answered (and differs from BEFORE)."""
    page.wait_for_function(
        """(before) => {
        const text = document.getElementById('grid-message').textContent;
        return text && !text.includes('正在') && text !== before; }""",
        arg=before,
    )
    return page.text_content("#grid-message")


def border_household(session, plan, frm, to):
    return session.execute(
        text(
            "SELECT h.code, ST_Y(h.geom), ST_X(h.geom) FROM grid_membership m JOIN household h ON h.id = m.household_id "
            "JOIN grid_cell a ON a.id = m.cell_id AND a.code = :a JOIN grid_cell b ON b.plan_id = a.plan_id "
            "AND b.code = :b WHERE m.plan_id = :p ORDER BY ST_Distance(h.geom, b.geom) LIMIT 1"
        ),
        {"p": plan, "a": frm, "b": to},
    ).one()


def pick_cell(page, code):
    page.click(f"#cell-table tr[data-code='{code}']")
    page.wait_for_function(f"() => document.querySelector('#cell-panel h3')?.textContent.includes('{code}')")
