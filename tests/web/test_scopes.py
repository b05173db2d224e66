"""Scopes across pages, APIs, tiles and OGC (issue 15, findings 7, 8 and 14).

7: roles that may not see households get no household code, name, group or point.
8: a grid worker's phone list, household page, visit record and event report agree.
14: public layers show only the townships the user may see.
"""

import uuid
from datetime import UTC, datetime, timedelta, timezone

import mapbox_vector_tile
import pytest
from sqlalchemy import select

from gridmgmt.db.models import Cadre, Household, Township, Village
from gridmgmt.services.mapdata.tiles import tile_at
from gridmgmt.services.visits.events import EventReport, report_event
from tests.integration.visit_fixtures import SETTINGS
from tests.web.people import IN_SCOPE, OUT_OF_SCOPE
from tests.web.sample import OTHER_TOWNSHIP_CODE, TOWNSHIP_CODE, _box, _point

PUBLIC = ("villages", "village_groups", "roads", "waters", "grid_cells", "party_venues", "demo_sites")
# What would give a household away: codes, the head's name, the one sample point no
# other geometry shares (115.7512345678, 23.8912345678 at 6 digits), its group property.
HOUSEHOLD_TRACES = (*IN_SCOPE, *OUT_OF_SCOPE, "张三", "115.751235", "23.891235", "group_name")
SOUTH_HOME = "44150010020301001"  # 南村: no posting, no home, no cell of the grid worker


def _text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_pages_of_a_reviewer_carry_no_household(as_user):
    """Finding 7: village pages embedded every household's code, group and point."""
    leader = _text(as_user("leader"), "/villages/441500100202")
    assert OUT_OF_SCOPE[1] in leader and "115.751235" in leader and "group_name" in leader
    reviewer = as_user("reviewer")
    urls = [
        f"/townships/{TOWNSHIP_CODE}",
        "/villages/441500100201",
        "/villages/441500100202",
        f"/townships/{TOWNSHIP_CODE}/sites",
        "/ogc/collections",
        *(f"/ogc/collections/{name}/items" for name in PUBLIC),
    ]
    for url in urls:
        text = _text(reviewer, url)
        assert not [trace for trace in HOUSEHOLD_TRACES if trace in text], url
    assert reviewer.get("/ogc/collections/households/items").status_code == 403


def test_village_page_of_a_grid_worker_holds_only_their_households(as_user):
    text = _text(as_user("grid_worker"), "/villages/441500100202")  # 东村: only their cell W1
    assert IN_SCOPE[2] in text
    assert not [code for code in OUT_OF_SCOPE if code in text]


@pytest.fixture
def worker(app, as_user, session):
    """The grid worker (CSRF off for the JSON posts), now living in 东村; plus 南村 with
    a hardship household outside their scope, with an open event."""
    app.config["WTF_CSRF_ENABLED"] = False
    cadre = session.scalars(select(Cadre).where(Cadre.code == "G001")).one()
    cadre.household_id = _household(session, OUT_OF_SCOPE[0])
    town = session.scalar(select(Township.id).where(Township.code == TOWNSHIP_CODE))
    south = Village(township_id=town, code="441500100203", name="南村", geom=_box(115.70, 23.86, 115.76, 23.88))
    session.add(south)
    session.flush()
    session.add(Household(village_id=south.id, code=SOUTH_HOME, head="王五", hardship=True, geom=_point(115.72, 23.87)))
    session.commit()
    report_event(
        session,
        EventReport(
            "dispute", cadre.id, datetime.now(UTC) - timedelta(hours=1), household_id=_household(session, SOUTH_HOME)
        ),
        SETTINGS,
    )
    return as_user("grid_worker")


def _household(session, code: str) -> int:
    return session.scalars(select(Household.id).where(Household.code == code)).one()


def _post(client, path: str, household_id: int, **body):
    return client.post(path, json={"client_id": str(uuid.uuid4()), "household_id": household_id, **body})


def _agree(client, session, code: str, in_scope: bool) -> None:
    """The household page, a visit and an event report all allow CODE, or all refuse it (404)."""
    home = _household(session, code)
    allowed = (200, 201, 201) if in_scope else (404, 404, 404)
    assert (
        client.get(f"/households/{code}").status_code,
        _post(client, "/api/visits", home).status_code,
        _post(client, "/api/events", home, event_type="grievance").status_code,
    ) == allowed, code


def test_a_grid_workers_views_and_records_agree(worker, session):
    """Finding 8: the village they live in was listed and open to visits, but its pages were 404."""
    home_village = OUT_OF_SCOPE[1]  # 东村, outside their cell: in scope as the village they live in
    _agree(worker, session, home_village, in_scope=True)
    listed = _text(worker, "/api/field/data")  # the phone's working set: its lists and map
    assert home_village in listed  # its event, just reported
    assert SOUTH_HOME not in listed and "王五" not in listed
    _agree(worker, session, SOUTH_HOME, in_scope=False)
    for code in IN_SCOPE:
        _agree(worker, session, code, in_scope=True)


def test_a_township_duty_opens_the_township_to_the_phone(worker, session):
    """A township secretary's 三个走遍 lists every hardship household: each one opens and takes a visit."""
    session.scalars(select(Cadre).where(Cadre.code == "G001")).one().cadre_role = "township_secretary"
    session.commit()
    assert SOUTH_HOME in _text(worker, "/api/field/data")
    _agree(worker, session, SOUTH_HOME, in_scope=True)
    phone = worker.get("/api/field/data").json  # the map and list of their scope: every village of the township
    assert SOUTH_HOME in {h["code"] for h in phone["households"]}
    assert "南村" in {f["properties"]["name"] for f in phone["area"]["labels"]["features"]}


def _names(response, layer: str | None = None) -> set[str]:
    if layer is None:
        return {f["properties"]["name"] for f in response.get_json()["features"]}
    if response.status_code == 204:
        return set()
    return {f["properties"]["name"] for f in mapbox_vector_tile.decode(response.data)[layer]["features"]}


# A z10 tile holding both townships (示范镇 115.70–115.76 E, 邻镇 115.80–115.86 E).
BOTH = tile_at(115.78, 23.90, 10)
SEEN = {  # user → villages, roads, grid cells, venues
    "planner": ({"西村", "东村"}, {"县道101", "西村路"}, {"东村一格"}, {"西村党支部"}),
    "other_planner": ({"邻村"}, {"邻镇村道"}, set(), set()),
    "admin": ({"西村", "东村", "邻村"}, {"县道101", "西村路", "邻镇村道"}, {"东村一格"}, {"西村党支部"}),
}


@pytest.mark.parametrize("username", SEEN)
def test_public_layers_show_the_users_townships(as_user, username):
    """Finding 14: a planner saw every township of the county in OGC and tiles."""
    client = as_user(username)
    villages, roads, cells, venues = SEEN[username]
    for name, expected in (("villages", villages), ("roads", roads), ("grid_cells", cells), ("party_venues", venues)):
        assert _names(client.get(f"/ogc/collections/{name}/items")) == expected, name
    for name, expected in (("villages", villages), ("roads", roads), ("grid_cells", cells)):
        tile = client.get(f"/tiles/{name}/{BOTH.z}/{BOTH.x}/{BOTH.y}.pbf")
        assert _names(tile, name) == expected, name
        assert tile.cache_control.private
    groups = client.get("/ogc/collections/village_groups/items").get_json()["numberMatched"]
    assert groups == (0 if username == "other_planner" else 4)


@pytest.mark.parametrize(
    "townships, villages",
    [
        ((), {"西村", "东村", "邻村"}),
        ((OTHER_TOWNSHIP_CODE,), {"邻村"}),
        (("999999999999",), set()),
    ],
)
def test_anonymous_visitors_see_the_public_townships(app, people, townships, villages):
    app.config.update(PUBLIC_LAYERS=True, PUBLIC_TOWNSHIPS=townships)
    client = app.test_client()
    assert _names(client.get("/ogc/collections/villages/items")) == villages
    tile = client.get(f"/tiles/villages/{BOTH.z}/{BOTH.x}/{BOTH.y}.pbf")
    assert _names(tile, "villages") == villages and tile.cache_control.public
