"""Grids keep 村民小组 whole (001 §11 网格化; practice): on a planted village whose one group
alone exceeds the band, that group alone is split, with its reason on the plan page and in
the CLI output; an edit that splits another group is named too."""

import geopandas as gpd
import numpy as np
import pytest
from click.testing import CliRunner
from sqlalchemy import text

from gridmgmt.cli import main
from gridmgmt.config import get_settings
from gridmgmt.db.models import Household, Township, Village, VillageGroup
from gridmgmt.domain.grid_rules import GridError, GridRules
from gridmgmt.services.accounts.actors import Actor
from gridmgmt.services.grids import plans as grid_plans
from gridmgmt.services.grids.allocation import allocate_township
from gridmgmt.services.grids.edits import move_households
from gridmgmt.services.grids.explain import explain_group_split
from gridmgmt.services.grids.rebalance import rebalance
from gridmgmt.services.grids.reshape import split_cell
from gridmgmt.services.grids.views import plan_view
from tests.actors import ADMIN, add_actor
from tests.integration.grid_town import _box, _point

PLANNER = Actor("planner")

TOWN = "441624177000"
VILLAGE = "441624177201"
# North to south, bands across the village: 二组 (60 households), 一组 (300, the planted
# oversized group), 三组 (60).
GROUPS = [("44162417720102", "二组", 23.908, 23.910, 60), ("44162417720101", "一组", 23.902, 23.908, 300)]
GROUPS += [("44162417720103", "三组", 23.900, 23.902, 60)]
BIG, WEST, EAST = "44162417720101", "44162417720102", "44162417720103"


def _plant(session) -> None:
    """One village of 420 households, none 必访: 3 cells of 140, band 119–161 at ±15 %."""
    rng = np.random.default_rng(3)
    town = Township(code=TOWN, name="小组镇", geom=_box(115.70, 115.73))
    session.add(town)
    session.flush()
    village = Village(township_id=town.id, code=VILLAGE, name="丙村", geom=_box(115.70, 115.73))
    session.add(village)
    session.flush()
    for code, name, y0, y1, n in GROUPS:
        group = VillageGroup(village_id=village.id, code=code, name=name, geom=_box(115.70, 115.73, y0, y1))
        session.add(group)
        session.flush()
        xy = np.column_stack([rng.uniform(115.7003, 115.7297, n), rng.uniform(y0 + 0.0002, y1 - 0.0002, n)])
        session.add_all(
            Household(village_id=village.id, group_id=group.id, code=f"{code}{i:03d}", head="户主", geom=_point(*p))
            for i, p in enumerate(xy)
        )
    session.commit()


def _cells_of(session, plan: int) -> dict[str, set[str]]:
    """Group code → the codes of the cells its households lie in."""
    rows = session.execute(
        text(
            "SELECT g.code, c.code FROM grid_membership m JOIN household h ON h.id = m.household_id "
            "JOIN village_group g ON g.id = h.group_id JOIN grid_cell c ON c.id = m.cell_id WHERE m.plan_id = :p"
        ),
        {"p": plan},
    ).all()
    found: dict[str, set[str]] = {}
    for group, cell in rows:
        found.setdefault(group, set()).add(cell)
    return found


def test_only_the_oversized_group_is_split_and_its_reason_is_shown(session):
    _plant(session)
    report = allocate_township(session, TOWN, "小组", GridRules(), actor=PLANNER)
    assert report.cells == 3 and report.quality.worst_deviation <= 0.15
    cells = _cells_of(session, report.plan_id)
    assert len(cells[WEST]) == 1 and len(cells[EAST]) == 1 and len(cells[BIG]) >= 2
    assert [s.group_code for s in report.splits] == [BIG] and report.splits[0].must_split
    view = plan_view(session, report.plan_id)
    (split,) = view.splits
    assert split["group"] == "一组" and split["cells"] == sorted(cells[BIG])
    assert split["reason"] == "工作量 300 单独超过本村网格上限 161，须拆分"


def test_cells_are_drawn_along_the_groups_lines(session):
    """A cell covers a group's land (past a strip of ZONE_SLACK_M) only where it holds that group's
    households: the lines between cells follow the groups' lines rather than crossing them along the
    households' Voronoi regions."""
    _plant(session)
    plan = allocate_township(session, TOWN, "小组", GridRules(), actor=PLANNER).plan_id
    held = {(group, cell) for group, cells in _cells_of(session, plan).items() for cell in cells}
    covered = session.execute(
        text(
            "SELECT g.code, c.code FROM grid_cell c JOIN village_group g ON ST_Intersects(c.geom, g.geom) "
            "WHERE c.plan_id = :p AND ST_Area(ST_Intersection(c.geom, g.geom)::geography) > 100"
        ),
        {"p": plan},
    ).all()
    assert {tuple(row) for row in covered} == held


def test_an_edit_that_splits_a_small_group_is_named(session):
    _plant(session)
    plan = allocate_township(session, TOWN, "小组", GridRules(), actor=PLANNER).plan_id
    (west_cell,) = _cells_of(session, plan)[WEST]
    other = session.execute(
        text(
            "SELECT c.code FROM grid_cell c WHERE c.plan_id = :p AND c.code <> :w ORDER BY "
            "ST_Distance(c.geom, (SELECT geom FROM grid_cell WHERE plan_id = :p AND code = :w)) LIMIT 1"
        ),
        {"p": plan, "w": west_cell},
    ).scalar_one()
    # A household of 二组 moves to the neighbouring cell: the nearest one whose move keeps
    # both cells in one piece (the edit refuses the others and changes nothing).
    houses = session.scalars(
        text(
            "SELECT h.code FROM household h JOIN village_group g ON g.id = h.group_id WHERE g.code = :g "
            "ORDER BY ST_Distance(h.geom, (SELECT geom FROM grid_cell WHERE plan_id = :p AND code = :o)) LIMIT 20"
        ),
        {"g": WEST, "p": plan, "o": other},
    ).all()
    versions = dict(session.execute(text("SELECT code, version FROM grid_cell WHERE plan_id = :p"), {"p": plan}).all())
    for house in houses:
        try:
            move_households(session, plan, [house], other, versions, actor=PLANNER)
            break
        except GridError:
            continue
    assert len(_cells_of(session, plan)[WEST]) == 2
    splits = {s["group_code"]: s for s in plan_view(session, plan).splits}
    assert set(splits) == {BIG, WEST} and not splits[WEST]["must_split"]
    assert splits[WEST]["reason"].startswith("工作量 60 未超过本村网格上限")
    assert "或方案经过人工调整" in splits[WEST]["reason"]


@pytest.fixture
def cli(session, monkeypatch):
    """The CLI on the test database with the planted village."""
    _plant(session)
    add_actor(session)
    monkeypatch.setenv("GRIDMGMT_DB_NAME", get_settings().test_db_name)
    monkeypatch.setenv("GRIDMGMT_ACTOR", ADMIN)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_the_cli_names_the_split_group_and_its_reason(cli):
    result = cli.invoke(main, ["grids", "allocate", "--township", TOWN, "--name", "小组"])
    assert result.exit_code == 0, result.output
    assert "保持完整的村民小组占比：0.667" in result.output
    assert "拆分的村民小组：1 个" in result.output
    assert "丙村一组（44162417720101）分在" in result.output and "单独超过本村网格上限 161，须拆分" in result.output


def test_split_reasons_are_kept_shown_and_exported(session, tmp_path):
    """001 §11 (rural grids keep 村民小组 whole): the allocation keeps its reason for 一组; a planner's
    reason replaces it; a cell cut with a reason keeps it; the plan page data and the export carry them."""
    _plant(session)
    plan = allocate_township(session, TOWN, "小组", GridRules(), actor=PLANNER).plan_id
    kept = session.execute(text("SELECT kind, subject, source, reason FROM grid_split_reason")).all()
    assert kept == [("group", BIG, "allocation", "工作量 300 单独超过本村网格上限 161，须拆分")]
    (split,) = plan_view(session, plan).splits
    assert (split["stated"], split["stated_by"]) == ("工作量 300 单独超过本村网格上限 161，须拆分", "自动划分")
    with pytest.raises(GridError, match="没有拆分村民小组 44162417720102"):
        explain_group_split(session, plan, WEST, "路远", actor=PLANNER)
    with pytest.raises(GridError, match="请填写拆分原因"):
        explain_group_split(session, plan, BIG, "  ", actor=PLANNER)
    session.rollback()
    explain_group_split(session, plan, BIG, "一组沿河两岸分布，跨河入户不便", actor=PLANNER)
    (split,) = plan_view(session, plan).splits
    assert (split["stated"], split["stated_by"]) == ("一组沿河两岸分布，跨河入户不便", "planner")
    # A rebalance keeps the planner's reason (the allocation's own is only a default).
    rebalance(session, plan, actor=PLANNER)
    assert plan_view(session, plan).splits[0]["stated"] == "一组沿河两岸分布，跨河入户不便"
    # Cut the cell that holds all of 二组, with a reason; rules widened so that halves fit.
    session.execute(
        text("UPDATE grid_plan SET rules = rules || '{\"min_workload\": 20}'::jsonb WHERE id = :p"), {"p": plan}
    )
    session.commit()
    (west_cell,) = _cells_of(session, plan)[WEST]
    seen = dict(session.execute(text("SELECT code, version FROM grid_cell WHERE plan_id = :p"), {"p": plan}).all())
    result = split_cell(session, plan, west_cell, seen, actor=PLANNER, reason="北片新建小区单独成格")
    (cut,) = plan_view(session, plan).cell_splits
    assert cut == {
        "cell": west_cell,
        "cells": sorted(result.versions),
        "reason": "北片新建小区单独成格",
        "given_by": "planner",
    }
    grid_plans.export(session, plan, tmp_path / "p.geojson", "geojson", PLANNER)
    notes = dict(zip(*gpd.read_file(tmp_path / "p.geojson")[["code", "split_reason"]].T.values))
    for cell in split["cells"]:
        assert "丙村一组（44162417720101）跨网格：一组沿河两岸分布，跨河入户不便" in notes[cell]
    for cell in result.versions:
        assert f"由网格 {west_cell} 拆分：北片新建小区单独成格" in notes[cell]
