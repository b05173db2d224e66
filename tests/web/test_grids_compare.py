"""Two plans compared: both drawn with a legend, the cells added and removed counted and named,
and the metrics side by side."""

import re

from tests.integration import grid_town
from tests.web.test_grids_page import _allocate, grid_users  # noqa: F401


def test_compare_names_the_added_cells_and_sets_the_metrics_side_by_side(grid_users):
    planner = grid_users["planner"]
    first = _allocate(planner)
    finer = planner.post(
        f"/townships/{grid_town.TOWN}/grids", data={"name": "细分", "target": "90", "min": "60", "max": "120"}
    )
    second = int(finer.headers["Location"].rstrip("/").split("/")[-1])
    cells = [planner.get(f"/api/grids/{plan}").json["summary"]["cells"] for plan in (first, second)]
    assert cells[1] > cells[0] == 3
    page = planner.get(f"/grids/compare?a={first}&b={second}").get_data(as_text=True)
    more = cells[1] - cells[0]
    assert f"多 <b>{more}</b> 个网格" in page
    added = int(re.search(r'id="added-count">(\d+)<', page).group(1))
    removed = int(re.search(r'id="removed-count">(\d+)<', page).group(1))
    assert added - removed == more and added >= more
    names = re.search(r'<p id="added">(.*?)</p>', page, re.S).group(1)
    assert names.count("网格（441624199") == added  # each by name and code
    table = re.search(r'<table class="metrics" id="metrics">(.*?)</table>', page, re.S).group(1)
    assert "每格户数 最少 / 平均 / 最多" in table and "保持完整的村民小组" in table and "未划入任何网格的户数" in table
    assert re.search(r"<td>网格数</td><td>3</td><td>(\d+)</td>", table).group(1) == str(cells[1])
    assert "蓝色虚线" in page and "橙色实线" in page and "cells_a" not in page
    same = planner.get(f"/grids/compare?a={first}&b={first}").get_data(as_text=True)
    assert "网格数相同" in same and 'id="added-count">0<' in same
