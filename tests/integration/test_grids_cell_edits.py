"""Split, merge, group moves and redrawn edges: cells still tile the village, rules give reasons."""

from dataclasses import replace

import pytest
from sqlalchemy import text

from gridmgmt.db.models import GridPlan
from gridmgmt.domain.grid_alternatives import EditRefused
from gridmgmt.domain.grid_rules import GridError, GridRules, StaleCell
from gridmgmt.services.grids.allocation import allocate_township
from gridmgmt.services.grids.edits import move_group, move_households, redraw
from gridmgmt.services.grids.reshape import merge_cells, redivide_cells, split_cell
from gridmgmt.services.grids.views import plan_view
from tests.actors import ACTOR
from tests.integration import grid_town
from tests.integration.test_grids_edits import B1, W1, W2, _cell_of, _nearest_to, _versions

RULES = GridRules()
A1, A2 = "44162419920101", "44162419920102"  # the allocation keeps them whole: A1 in W01, A2 in W02


@pytest.fixture
def plan(session):
    grid_town.build(session)
    return allocate_township(session, grid_town.TOWN, "试算", RULES, actor=ACTOR).plan_id


def _with_rules(session, plan, **changes):
    """Change the plan's stored rules; the cells' versions, unchanged."""
    row = session.get(GridPlan, plan)
    row.rules = replace(GridRules.from_dict(row.rules), **changes).as_dict()
    session.commit()
    return _versions(session, plan)


def _tiling(session, plan, village="441624199201"):
    """(cells, households placed once, cells' area / village area, cells overlap area, pieces)."""
    return session.execute(
        text(
            "SELECT count(*), (SELECT count(DISTINCT household_id) FROM grid_membership WHERE plan_id = :p), "
            "sum(ST_Area(c.geom)) / ST_Area(v.geom), ST_Area(v.geom) - ST_Area(ST_Union(c.geom)), "
            "max(ST_NumGeometries(c.geom)) FROM grid_cell c JOIN village v ON v.id = c.village_id "
            "WHERE c.plan_id = :p AND v.code = :v GROUP BY v.geom"
        ),
        {"p": plan, "v": village},
    ).one()


def test_split_cuts_a_cell_in_two_connected_halves(session, plan):
    seen = _versions(session, plan)
    with pytest.raises(GridError, match=f"网格 {W1} 工作量将降至 .*低于下限 100"):
        split_cell(session, plan, W1, seen, actor=ACTOR)
    assert _versions(session, plan) == seen
    seen = _with_rules(session, plan, min_workload=50)
    result = split_cell(session, plan, W1, seen, actor=ACTOR)
    w3 = "441624199201W03"
    assert result.versions == {W1: seen[W1] + 1, w3: max(seen.values()) + 1}
    cells, placed, share, gap, pieces = _tiling(session, plan)
    assert (cells, placed, pieces) == (3, 420, 1)
    assert share == pytest.approx(1.0, abs=1e-6) and gap == pytest.approx(0.0, abs=1e-9)
    loads = dict(
        session.execute(
            text(
                "SELECT c.code, count(*) FROM grid_membership m JOIN grid_cell c ON c.id = m.cell_id "
                "WHERE m.plan_id = :p GROUP BY c.code"
            ),
            {"p": plan},
        ).all()
    )
    assert abs(loads[W1] - loads[w3]) <= 0.25 * loads[W1] and loads[W1] + loads[w3] == 170


def test_merge_refuses_an_overload_then_joins_two_cells(session, plan):
    seen = _versions(session, plan)
    with pytest.raises(GridError, match="超过上限 200"):
        merge_cells(session, plan, W1, W2, seen, actor=ACTOR)
    with pytest.raises(GridError, match="不能跨村"):
        merge_cells(session, plan, W1, B1, seen, actor=ACTOR)
    assert _versions(session, plan) == seen
    _with_rules(session, plan, max_workload=400)
    result = merge_cells(session, plan, W1, W2, seen, actor=ACTOR)
    assert result.versions == {W1: seen[W1] + 1, W2: None}
    cells, placed, share, gap, pieces = _tiling(session, plan)
    assert (cells, placed, pieces) == (1, 420, 1) and share == pytest.approx(1.0, abs=1e-6)
    # An editor still showing W2 is told it is gone, not that it never existed.
    with pytest.raises(StaleCell, match="已删除"):
        move_households(session, plan, [_nearest_to(session, plan, W1, B1)], W2, seen, actor=ACTOR)


def test_group_move_returns_a_moved_household_and_refuses_an_overload(session, plan):
    seen = _versions(session, plan)
    house = _nearest_to(session, plan, W1, W2)
    seen.update(move_households(session, plan, [house], W2, seen, actor=ACTOR).versions)
    assert _cell_of(session, plan, house) == W2
    with pytest.raises(GridError, match=f"网格 {W1} 工作量将升至 .*超过上限 200"):
        move_group(session, plan, A2, W1, seen, actor=ACTOR)
    result = move_group(session, plan, A1, W1, seen, actor=ACTOR)
    assert set(result.versions) == {W1, W2} and _cell_of(session, plan, house) == W1
    with pytest.raises(GridError, match="不存在或没有农户"):
        move_group(session, plan, "X", W1, seen, actor=ACTOR)


def test_redraw_takes_the_households_inside_the_drawn_area(session, plan):
    seen = _versions(session, plan)
    house = _nearest_to(session, plan, W2, W1)
    lon, lat = session.execute(text("SELECT ST_X(geom), ST_Y(geom) FROM household WHERE code = :c"), {"c": house}).one()
    d = 0.00002
    box = {
        "type": "Polygon",
        "coordinates": [
            [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]
        ],
    }
    result = redraw(session, plan, W1, box, seen, actor=ACTOR)
    assert set(result.versions) == {W1, W2} and _cell_of(session, plan, house) == W1
    cells, placed, share, gap, pieces = _tiling(session, plan)
    assert (cells, placed, pieces) == (2, 420, 1) and share == pytest.approx(1.0, abs=1e-6)
    empty = {"type": "Polygon", "coordinates": [[[115.6, 23.0], [115.61, 23.0], [115.61, 23.01], [115.6, 23.0]]]}
    with pytest.raises(GridError, match="所画范围内没有本村其他网格的农户"):
        redraw(session, plan, W1, empty, result.versions, actor=ACTOR)
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    with pytest.raises(GridError, match="不自相交"):
        redraw(session, plan, W1, bowtie, result.versions, actor=ACTOR)
    with pytest.raises(GridError, match="不是有效的多边形"):
        redraw(session, plan, W1, {"type": "Nonsense"}, result.versions, actor=ACTOR)


def test_a_refused_split_offers_the_nearest_redivision_which_succeeds(session, plan):
    seen = _versions(session, plan)
    with pytest.raises(EditRefused, match=f"可改为：将网格 {W1}、{W2} 共 2 个重新划分为 3 个") as refused:
        split_cell(session, plan, W1, seen, actor=ACTOR)
    offer = refused.value.alternative
    assert (offer.cells, offer.into) == ((W1, W2), 3) and 100 <= offer.mean <= 200
    with pytest.raises(EditRefused, match="相邻网格一起调整也无法都在上下限之内") as too_heavy:
        merge_cells(session, plan, W1, W2, seen, actor=ACTOR)
    assert too_heavy.value.alternative is None  # 甲村 has only these two cells
    assert _versions(session, plan) == seen
    result = redivide_cells(session, plan, list(offer.cells), offer.into, seen, actor=ACTOR)
    assert set(result.versions) == {W1, W2, "441624199201W03"}
    cells, placed, share, gap, pieces = _tiling(session, plan)
    assert (cells, placed, pieces) == (3, 420, 1) and share == pytest.approx(1.0, abs=1e-6)
    village = [
        c for c in plan_view(session, plan).cells["features"] if c["properties"]["village_code"] == "441624199201"
    ]
    assert len(village) == 3 and all(100 <= c["properties"]["workload"] <= 200 for c in village)
    with pytest.raises(GridError, match="不在 100–200 之内"):
        redivide_cells(session, plan, [W1], 3, _versions(session, plan), actor=ACTOR)
