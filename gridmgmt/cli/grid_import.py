"""`gridmgmt grids import` (existing grids as a draft plan) and `gridmgmt grids check` (what a plan lacks)."""

from pathlib import Path

import click

from gridmgmt.cli.actor import as_option, cli_actor
from gridmgmt.cli.checks import ID
from gridmgmt.cli.grid_rules import rules_of, rules_options
from gridmgmt.cli.layout import Command
from gridmgmt.db.session import make_session

SHOWN = 20  # items listed per problem; the counts are always whole


def _listed(items: list, show) -> str:
    more = f" 等共 {len(items)} 项" if len(items) > SHOWN else ""
    return "、".join(show(item) for item in items[:SHOWN]) + more


def print_check(found) -> None:
    """The check of a plan, one line per kind of problem."""
    click.echo(f"方案 {found.plan_id}：{found.cells} 个网格，乡镇共 {found.households} 户")
    lines = [
        ("未分到网格的农户（发布前须处理）", found.unassigned, str),
        ("不在任何网格范围内的农户", found.uncovered, str),
        ("同时落在两个以上网格的农户", found.doubled, lambda d: f"{d[0]}（{d[1]}）"),
        ("超出所属村界的网格", found.outside, lambda o: f"{o[0]} {o[1]:,.0f} 平方米"),
        ("相互重叠的网格", found.overlaps, lambda o: f"{o[0]} 与 {o[1]} {o[2]:,.0f} 平方米"),
        ("未被网格覆盖的村内区域", found.gaps, lambda g: f"{g[0]} {g[1]:,.0f} 平方米"),
    ]
    for label, items, show in lines:
        click.echo(f"  {label}：{_listed(items, show) if items else '无'}")
    if found.clean:
        click.echo("检查通过：每户恰在一个网格内，网格不出村界，没有重叠和空隙")


@click.command("import", cls=Command)
@click.argument("file", type=click.Path(path_type=Path), metavar="文件")
@click.option("--township", required=True, metavar="编码", help="乡镇编码")
@click.option("--name", required=True, metavar="名称", help="方案名称，如“综治网格 2024”")
@click.option("--crs", metavar="坐标系", help="坐标系：EPSG:编号、gcj02 或 bd09；默认用文件自带的")
@rules_options
@as_option
def import_grids(file: Path, township: str, name: str, crs: str | None, as_user: str | None, **kw) -> None:
    """把已有网格导入为草稿方案：网格面（网格编码、网格名称、网格员、网格长、可选村编码）或农户清单（户编码、网格编码…）。面按位置分配农户，清单按所列分配；随后列出检查结果。须先导入干部，网格员、网格长按干部编号或姓名匹配。"""
    from geodata.errors import ImportRejected
    from gridmgmt.cli.io import report_rejected
    from gridmgmt.services.grids.checks import check_plan
    from gridmgmt.services.grids.existing import import_existing

    with make_session() as session:
        actor = cli_actor(session, as_user, "edit_grids", township=township)
        try:
            plan_id = import_existing(session, township, file, name, actor, crs=crs, rules=rules_of(**kw))
        except ImportRejected as rejected:
            report_rejected(rejected)
        click.echo(f"已导入为草稿方案 {plan_id}“{name}”")
        print_check(check_plan(session, plan_id))


@click.command("check", cls=Command)
@click.argument("plan_id", type=ID, metavar="方案编号")
def check(plan_id: int) -> None:
    """检查方案：每户是否恰在一个网格内、网格是否超出村界、网格间的重叠与空隙（含面积）。"""
    from gridmgmt.services.grids.checks import check_plan

    with make_session() as session:
        print_check(check_plan(session, plan_id))
