"""The grid pages and the editor's JSON: allocate in one click, edit, 409, publish, the worker's phone."""

import pytest
from sqlalchemy import select, text

from gridmgmt.db.models import AppUser, Cadre, Township
from tests.integration import grid_town
from tests.integration.test_grids_edits import _nearest_to
from tests.web.people import log_in, password_hash

W1, W2, B1 = "441624199201W01", "441624199201W02", "441624199202W01"


@pytest.fixture
def grid_users(app, session):
    """The grid township, a planner of it, a planner elsewhere and grid worker G1: logged-in clients."""
    app.config["WTF_CSRF_ENABLED"] = False
    grid_town.build(session)
    town = session.scalar(select(Township.id).where(Township.code == grid_town.TOWN))
    other = Township(
        code="441624188000", name="别镇", geom="SRID=4326;MULTIPOLYGON(((116 23,116.1 23,116.1 23.1,116 23)))"
    )
    session.add(other)
    session.flush()
    g1 = session.scalar(select(Cadre.id).where(Cadre.code == "G1"))
    users = {
        "planner": AppUser(username="gplanner", role="planner", password_hash=password_hash(), township_id=town),
        "stranger": AppUser(username="gother", role="planner", password_hash=password_hash(), township_id=other.id),
        "worker": AppUser(
            username="gworker", role="grid_worker", password_hash=password_hash(), township_id=town, cadre_id=g1
        ),
    }
    session.add_all(users.values())
    session.commit()
    clients = {}
    for name, user in users.items():
        clients[name] = app.test_client()
        log_in(clients[name], user.id)
    return clients


def _allocate(planner) -> int:
    answer = planner.post(f"/townships/{grid_town.TOWN}/grids", data={"name": "试算"})
    assert answer.status_code == 302
    return int(answer.headers["Location"].rstrip("/").split("/")[-1])


def _seen(data):
    return {f["properties"]["code"]: f["properties"]["version"] for f in data["cells"]["features"]}


def test_allocate_in_one_click_and_the_editor_data(grid_users):
    planner = grid_users["planner"]
    assert "自动划分" in planner.get(f"/townships/{grid_town.TOWN}/grids").get_data(as_text=True)
    plan = _allocate(planner)
    page = planner.get(f"/grids/{plan}").get_data(as_text=True)
    assert "leaflet-geoman.js" in page and "grid-editor.js" in page
    assert planner.get("/assets/@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.js").status_code == 200
    data = planner.get(f"/api/grids/{plan}").json
    assert sorted(_seen(data)) == [W1, W2, B1] and len(data["households"]) == 420
    assert data["summary"]["contiguous_share"] == 1.0 and data["summary"]["out_of_bounds"] == [B1]
    assert data["splits"] == []  # 甲村's two groups are whole, each in its cell
    assert set(data["households"][0]) == {"code", "cell", "grp", "lon", "lat"}  # no flags
    assert "hardship" not in planner.get(f"/api/grids/{plan}").get_data(as_text=True)
    assert grid_users["stranger"].get(f"/grids/{plan}").status_code == 403
    assert grid_users["stranger"].get(f"/api/grids/{plan}").status_code == 403
    assert grid_users["worker"].get(f"/api/grids/{plan}").status_code == 403
    unknown = planner.get("/api/grids/999999")
    assert unknown.status_code == 404 and unknown.json["error"]["message"] == "没有编号为 999999 的网格方案"
    bad = planner.post(f"/townships/{grid_town.TOWN}/grids", data={"min": "300"}, follow_redirects=True)
    assert "网格工作量须满足 0 &lt; 下限 ≤ 目标 ≤ 上限" in bad.get_data(as_text=True)
    typo = planner.post(f"/townships/{grid_town.TOWN}/grids", data={"tolerance": "十"}, follow_redirects=True)
    assert "须为数字" in typo.get_data(as_text=True)


def test_a_plan_drawn_the_old_way_is_offered_a_redraw(grid_users, session):
    """Only a plan marked as drawn the old way shows the notice; the redraw is the planner's, audited,
    and an archived plan is refused with the reason."""
    planner = grid_users["planner"]
    plan = _allocate(planner)
    assert "old-outlines" not in planner.get(f"/grids/{plan}").get_data(as_text=True)
    session.execute(text("UPDATE grid_plan SET outlines = 'households' WHERE id = :p"), {"p": plan})
    session.commit()
    assert "按村民小组界线重画边界" in planner.get(f"/grids/{plan}").get_data(as_text=True)
    listed = planner.get(f"/townships/{grid_town.TOWN}/grids").get_data(as_text=True)
    # The plan's name opens it: on a phone the table's last column (the link) is off-screen.
    assert f'<a href="/grids/{plan}">试算</a>' in listed
    assert '<td class="old-outlines" title="可在方案页按村民小组界线重画边界">按农户就近（旧画法）</td>' in listed
    assert grid_users["worker"].post(f"/api/grids/{plan}/redraw-outlines").status_code == 403
    assert grid_users["stranger"].post(f"/api/grids/{plan}/redraw-outlines").status_code == 403
    answer = planner.post(f"/api/grids/{plan}/redraw-outlines")
    assert answer.status_code == 200 and answer.json == {"cells": 3}
    assert "old-outlines" not in planner.get(f"/grids/{plan}").get_data(as_text=True)
    assert "<td>沿村民小组界线</td>" in planner.get(f"/townships/{grid_town.TOWN}/grids").get_data(as_text=True)
    again = planner.post(f"/api/grids/{plan}/redraw-outlines")
    assert again.status_code == 400 and again.json["error"]["message"].endswith("已沿村民小组界线画出，无需重画")
    audit = "SELECT actor FROM audit_log WHERE action = 'redraw_plan'"
    assert session.execute(text(audit)).scalar_one() == "gplanner"
    session.execute(
        text("UPDATE grid_plan SET status = 'archived', outlines = 'households' WHERE id = :p"), {"p": plan}
    )
    session.commit()
    assert "old-outlines" not in planner.get(f"/grids/{plan}").get_data(as_text=True)
    refused = planner.post(f"/api/grids/{plan}/redraw-outlines")
    assert refused.status_code == 400 and "已归档：其网格边界是当时实行的记录" in refused.json["error"]["message"]


def test_edits_refusals_and_the_409_path(grid_users, session):
    planner = grid_users["planner"]
    plan = _allocate(planner)
    seen = _seen(planner.get(f"/api/grids/{plan}").json)
    house = _nearest_to(session, plan, W1, W2)
    moved = planner.post(f"/api/grids/{plan}/move", json={"households": [house], "to": W2, "seen": seen})
    assert moved.status_code == 200 and moved.json["versions"] == {W1: seen[W1] + 1, W2: seen[W2] + 1}
    (split,) = planner.get(f"/api/grids/{plan}").json["splits"]  # the moved household's group
    assert split["cells"] == [W1, W2] and not split["must_split"] and "或方案经过人工调整" in split["reason"]
    # The planner says why; the editor's data carries it (and a blank or too long reason is refused).
    group, reason_url = split["group_code"], f"/api/grids/{plan}/reason"
    assert "请填写拆分原因" in planner.post(reason_url, json={"group": group}).json["error"]["message"]
    assert planner.post(reason_url, json={"group": group, "reason": "长" * 501}).status_code == 400
    assert grid_users["worker"].post(reason_url, json={"group": group, "reason": "x"}).status_code == 403
    said = planner.post(reason_url, json={"group": group, "reason": "此户住在河对岸，随二网格走访"})
    assert said.status_code == 200
    (split,) = planner.get(f"/api/grids/{plan}").json["splits"]
    assert split["stated"] == "此户住在河对岸，随二网格走访" and split["stated_by"] == "gplanner"
    # Someone still holding the old versions is told which cells changed; nothing is saved.
    stale = planner.post(f"/api/grids/{plan}/move", json={"households": [house], "to": W1, "seen": seen})
    assert stale.status_code == 409 and stale.json["changed"] == moved.json["versions"]
    assert "已被他人修改" in stale.json["error"]["message"]
    fresh = _seen(planner.get(f"/api/grids/{plan}").json)
    refused = planner.post(f"/api/grids/{plan}/merge", json={"keep": W1, "other": W2, "seen": fresh})
    assert refused.status_code == 400 and "超过上限" in refused.json["error"]["message"]
    split = planner.post(f"/api/grids/{plan}/split", json={"cell": W1, "seen": fresh})
    assert split.status_code == 400 and "低于下限" in split.json["error"]["message"]
    assert planner.post(f"/api/grids/{plan}/move", json={"to": W1, "seen": fresh}).status_code == 400
    assert (
        planner.post(f"/api/grids/{plan}/move", json={"households": [house], "to": W1}).json["error"]["message"]
        == "请求须带上所见网格的版本（seen）"
    )
    locked = planner.post(f"/api/grids/{plan}/lock", json={"cell": W1, "locked": True, "seen": fresh})
    assert locked.status_code == 200
    assert planner.post(f"/api/grids/{plan}/rebalance").json["cells"] == 3
    assert _seen(planner.get(f"/api/grids/{plan}").json)[W1] == fresh[W1] + 1


def test_assign_publish_compare_and_the_workers_phone(grid_users, session):
    planner = grid_users["planner"]
    first = _allocate(planner)
    assign = planner.post(f"/api/grids/{first}/assign").json
    assert assign["workers_assigned"] == 3
    assert planner.post(f"/api/grids/{first}/publish", json={}).json["status"] == "published"
    assert (
        planner.post(f"/api/grids/{first}/split", json={"cell": W1, "seen": {W1: 1}}).json["error"]["message"]
        == f"方案 {first} 已发布，只能修改草稿方案"
    )
    phone = grid_users["worker"].get("/m").get_data(as_text=True)
    assert "我的网格" in phone and "441624199201W0" in phone and "联户党员" in phone
    second = _allocate(planner)
    plans = planner.get(f"/townships/{grid_town.TOWN}/grids").get_data(as_text=True)
    assert "已发布" in plans and "草稿" in plans and "比较两个方案" in plans
    page = planner.get(f"/grids/compare?a={first}&b={second}")
    assert page.status_code == 200 and "换了网格" in page.get_data(as_text=True)
    assert planner.get(f"/grids/compare?a={first}").status_code == 404
    assert "0</b> 户换了网格" in planner.get(f"/grids/compare?a={first}&b={first}").get_data(as_text=True)


def test_the_editor_shows_and_uses_the_plans_own_rules(grid_users):
    planner = grid_users["planner"]
    answer = planner.post(
        f"/townships/{grid_town.TOWN}/grids", data={"name": "自定", "target": "120", "min": "80", "max": "140"}
    )
    plan = int(answer.headers["Location"].rstrip("/").split("/")[-1])
    page = planner.get(f"/grids/{plan}").get_data(as_text=True)
    assert "每格工作量 80–140，目标 120" in page and "每名党员最多联系 10 户" in page
    assert "目标 120（80–140）" in planner.get(f"/townships/{grid_town.TOWN}/grids").get_data(as_text=True)
    data = planner.get(f"/api/grids/{plan}").get_json()
    assert data["rules"]["max_workload"] == 140 and data["summary"]["out_of_bounds"] == []


def test_plan_list_offers_the_roster_and_the_grid_map(grid_users):
    planner = grid_users["planner"]
    _allocate(planner)
    html = planner.get(f"/townships/{grid_town.TOWN}/grids").get_data(as_text=True)
    assert f"/townships/{grid_town.TOWN}/grid-roster.xlsx" in html
    assert f"/townships/{grid_town.TOWN}/maps/grid_plan.pdf" in html
    roster = planner.get(f"/townships/{grid_town.TOWN}/grid-roster.xlsx")
    assert roster.status_code == 200 and roster.data[:2] == b"PK"
