"""`gridmgmt grids allocate --county` on two small townships of county 441624, through the CLI:
one worker process per township, progress lines, a failing township reported and the other kept."""

import re

import numpy as np
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from gridmgmt.cli import main
from gridmgmt.config import get_settings
from gridmgmt.db.models import GridCell, GridPlan, Household, Township, Village, VillageGroup
from gridmgmt.db.models.grids import GridMembership
from tests.integration import grid_town

SECOND = "441624177000"  # 小镇: one village, one group of 90 households
EMPTY = "441624166000"  # 空镇: a village without households


def _box(x0, x1, y0=23.90, y1=23.91):
    return f"SRID=4326;MULTIPOLYGON((({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0})))"


def _small_town(session) -> None:
    """小镇 east of 网格镇: 90 households around one hamlet."""
    town = Township(code=SECOND, name="小镇", geom=_box(115.73, 115.74))
    session.add(town)
    session.flush()
    village = Village(township_id=town.id, code="441624177201", name="丙村", geom=_box(115.73, 115.74))
    session.add(village)
    session.flush()
    group = VillageGroup(village_id=village.id, code="44162417720101", name="一组", geom=_box(115.73, 115.74))
    session.add(group)
    session.flush()
    xy = np.clip(
        np.random.default_rng(3).normal((115.735, 23.905), 0.001, (90, 2)), (115.731, 23.901), (115.739, 23.909)
    )
    session.add_all(
        Household(
            village_id=village.id,
            group_id=group.id,
            code=f"44162417720101{i:03d}",
            head=f"户主{i}",
            geom=f"SRID=4326;POINT({x} {y})",
        )
        for i, (x, y) in enumerate(xy)
    )
    session.commit()


def _empty_town(session) -> None:
    """空镇: a village and no household, which allocation refuses."""
    town = Township(code=EMPTY, name="空镇", geom=_box(115.75, 115.76))
    session.add(town)
    session.flush()
    session.add(Village(township_id=town.id, code="441624166201", name="丁村", geom=_box(115.75, 115.76)))
    session.commit()


@pytest.fixture
def cli(session, monkeypatch):
    """The CLI on the test database with 网格镇 and 小镇 loaded."""
    grid_town.build(session)
    _small_town(session)
    monkeypatch.setenv("GRIDMGMT_DB_NAME", get_settings().test_db_name)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def _plans(session) -> dict[str, dict[str, set[str]]]:
    """Township code -> cell code -> household codes, of every plan (the last per township)."""
    rows = session.execute(
        select(Township.code, GridPlan.id, GridCell.code, Household.code)
        .join(GridPlan, GridPlan.township_id == Township.id)
        .join(GridMembership, GridMembership.plan_id == GridPlan.id)
        .join(GridCell, GridCell.id == GridMembership.cell_id)
        .join(Household, Household.id == GridMembership.household_id)
        .order_by(GridPlan.id)
    ).all()
    plans: dict[str, dict[int, dict[str, set[str]]]] = {}
    for town, plan, cell, home in rows:
        plans.setdefault(town, {}).setdefault(plan, {}).setdefault(cell, set()).add(home)
    return {town: list(by_plan.values()) for town, by_plan in plans.items()}


def test_county_allocation_writes_every_township_plan_as_a_township_run_would(cli, session):
    result = cli.invoke(main, ["grids", "allocate", "--county", "441624", "--name", "全县", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    progress = sorted(line for line in lines if line.startswith("["))
    assert len(progress) == 2
    assert re.fullmatch(r"\[\d/2\] 网格镇 完成：3 个网格（方案 \d+），\d+\.\d s", progress[0]) or re.fullmatch(
        r"\[\d/2\] 网格镇 完成：3 个网格（方案 \d+），\d+\.\d s", progress[1]
    ), progress
    assert any(re.fullmatch(r"\[\d/2\] 小镇 完成：\d+ 个网格（方案 \d+），\d+\.\d s", line) for line in progress)
    assert re.fullmatch(r"全县 2 个镇：2 个完成，0 个失败；用时 \d+\.\d s", lines[-1])
    county_plans = _plans(session)
    assert set(county_plans) == {grid_town.TOWN, SECOND}
    assert sum(len(homes) for homes in county_plans[grid_town.TOWN][0].values()) == 420
    for town in (grid_town.TOWN, SECOND):
        result = cli.invoke(main, ["grids", "allocate", "--township", town])
        assert result.exit_code == 0, result.output
    first, again = zip(*(plans for plans in _plans(session).values()), strict=True)
    assert first == again  # the same cells with the same households, by the county run and by the township's


def test_a_failing_township_is_named_and_the_others_kept(cli, session):
    _empty_town(session)
    result = cli.invoke(main, ["grids", "allocate", "--county", "441624", "--jobs", "2"])
    assert result.exit_code == 1
    assert re.search(r"\[\d/3\] 空镇 失败：乡镇 441624166000 没有农户，无法划分网格", result.output), result.output
    assert result.output.splitlines()[-1].startswith("全县 3 个镇：2 个完成，1 个失败：空镇；用时")
    assert set(_plans(session)) == {grid_town.TOWN, SECOND}


def test_county_and_township_are_one_or_the_other(cli):
    for args in ([], ["--township", grid_town.TOWN, "--county", "441624"]):
        result = cli.invoke(main, ["grids", "allocate", *args])
        assert result.exit_code == 2 and "须给出 --township（一个乡镇）或 --county（全县各镇）之一" in result.output
    result = cli.invoke(main, ["grids", "allocate", "--county", "4416"])
    assert result.exit_code == 2 and "县编码须为 6 位数字：4416" in result.output
    result = cli.invoke(main, ["grids", "allocate", "--county", "999999"])
    assert result.exit_code == 1 and "没有编码以 999999 开头的乡镇" in result.output


def test_coverage_and_compliance_county_wide(cli):
    result = cli.invoke(main, ["coverage", "--county", "441624", "--no-reach", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert re.search(
        r"\[\d/2\] 网格镇 完成：420 户，党员 12 名（每百户 2\.9 名）；空白组 \d+ 个，空白村 0 个", result.output
    )
    assert re.search(r"\[\d/2\] 小镇 完成：90 户，党员 0 名（每百户 0\.0 名）；空白组 1 个，空白村 1 个", result.output)
    result = cli.invoke(main, ["visits", "status", "--county", "441624", "--date", "2026-06-01"])
    assert result.exit_code == 0, result.output
    assert re.search(r"\[\d/2\] 网格镇 完成：走访 \d+/\d+ 项已完成（", result.output), result.output
    assert "全县 2 个镇：2 个完成，0 个失败" in result.output
    for command in (["coverage", "--format", "json"], ["visits", "status", "--village", "441624199201"]):
        result = cli.invoke(main, [*command, "--county", "441624"])
        assert result.exit_code == 2 and "--county 只在屏幕上逐镇列出概要" in result.output
