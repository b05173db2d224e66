"""An imported existing grid, once published, is on its 网格员's phone page."""

import json

from gridmgmt.services.accounts.audit import Actor
from gridmgmt.services.grids.existing import import_existing
from gridmgmt.services.grids.plans import publish
from tests.web.sample import TOWNSHIP_CODE


def _cell(code: str, name: str, worker: str | None, west: float, east: float) -> dict:
    ring = [[west, 23.88], [east, 23.88], [east, 23.92], [west, 23.92], [west, 23.88]]
    properties = {"网格编码": code, "网格名称": name, "网格员": worker}
    return {"type": "Feature", "properties": properties, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_the_phone_shows_an_imported_cell_to_its_grid_worker(session, as_user, tmp_path):
    phone = as_user("grid_worker")  # 网格员甲, cadre G001
    cells = [
        _cell("ZZ-1", "综治一号网格", "网格员甲", 115.73, 115.76),
        _cell("ZZ-2", "综治二号网格", None, 115.70, 115.73),
    ]
    path = tmp_path / "grid.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": cells}, ensure_ascii=False), "utf-8")
    assert "综治一号网格" not in phone.get("/m").get_data(as_text=True)
    plan_id = import_existing(session, TOWNSHIP_CODE, path, "综治网格", Actor("planner"))
    publish(session, plan_id, allow_no_worker=True, actor=Actor("planner"))
    page = phone.get("/m").get_data(as_text=True)
    # Their own cell; cells of villages they are posted to are listed too (我的网格 for every field role).
    assert "综治一号网格" in page
