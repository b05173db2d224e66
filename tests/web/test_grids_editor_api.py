"""The editor's JSON for hand edits kept and alternatives offered: the rebalance preview,
unlocking, a refused split with the alternative to run, and the redivide that runs it."""

from tests.integration.test_grids_edits import _nearest_to
from tests.web.test_grids_page import B1, W1, W2, _allocate, _seen, grid_users  # noqa: F401

W3 = "441624199201W03"


def test_a_refused_split_answers_with_the_alternative_and_redivide_runs_it(grid_users):
    planner = grid_users["planner"]
    plan = _allocate(planner)
    seen = _seen(planner.get(f"/api/grids/{plan}").json)
    refused = planner.post(f"/api/grids/{plan}/split", json={"cell": W1, "seen": seen})
    assert refused.status_code == 400 and "可改为" in refused.json["error"]["message"]
    offer = refused.json["alternative"]
    assert (offer["cells"], offer["into"]) == ([W1, W2], 3) and "重新划分为 3 个" in offer["text"]
    bad = planner.post(f"/api/grids/{plan}/redivide", json={"cells": [W1], "seen": seen})
    assert bad.status_code == 400 and "划分个数" in bad.json["error"]["message"]
    done = planner.post(f"/api/grids/{plan}/redivide", json={"cells": offer["cells"], "into": 3, "seen": seen})
    assert done.status_code == 200 and set(done.json["versions"]) == {W1, W2, W3}
    data = planner.get(f"/api/grids/{plan}")  # a group the redivide split: must_split a JSON bool
    assert data.status_code == 200 and all(s["must_split"] in (True, False) for s in data.json["splits"])
    assert grid_users["worker"].post(f"/api/grids/{plan}/redivide", json={"cells": [W1], "into": 1}).status_code == 403


def test_an_edit_answers_only_what_it_changed(grid_users, session):
    planner = grid_users["planner"]
    plan = _allocate(planner)
    whole = planner.get(f"/api/grids/{plan}")
    house = _nearest_to(session, plan, W1, W2)
    moved = planner.post(f"/api/grids/{plan}/move", json={"households": [house], "to": W2, "seen": _seen(whole.json)})
    answer = moved.json
    assert sorted(f["properties"]["code"] for f in answer["cells"]["features"]) == [W1, W2]
    assert {h["cell"] for h in answer["households"]} == {W1, W2} and len(answer["households"]) == 340
    assert [h["cell"] for h in answer["households"] if h["code"] == house] == [W2]
    assert answer["summary"]["cells"] == 3 and answer["summary"]["out_of_bounds"] == [B1]
    assert [lock["code"] for lock in answer["locks"]] == [house] and "hardship" not in moved.get_data(as_text=True)
    assert len(moved.data) < 0.9 * len(whole.data)  # 乙村's cell and households stay out of it
