"""The editor's JSON for hand edits kept and alternatives offered: the rebalance preview,
unlocking, a refused split with the alternative to run, and the redivide that runs it."""

from tests.web.test_grids_page import W1, W2, _allocate, _seen, grid_users  # noqa: F401

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
