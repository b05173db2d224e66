"""`gridmgmt grids …`: allocate, assign, publish, compare and export grid plans, and the roster."""

import time
from pathlib import Path

import click

from gridmgmt.cli import grid_import, help_text
from gridmgmt.cli.actor import as_option, cli_actor, os_actor
from gridmgmt.cli.checks import ID, INTEGER
from gridmgmt.cli.choices import LabelledChoice, output_format
from gridmgmt.cli.county_runs import county_options, run_county, township_or_county
from gridmgmt.cli.grid_rules import rules_of, rules_options
from gridmgmt.cli.layout import Group
from gridmgmt.cli.tables import table_text
from gridmgmt.config import get_settings
from gridmgmt.db.session import make_session
from gridmgmt.domain.clock import local_now_text, local_text
from gridmgmt.domain.grid_rules import AUTO_PLAN_NAME, redraw_refusal
from gridmgmt.domain.vocab import FORMATS, PLAN_OUTLINES, PLAN_STATUSES
from gridmgmt.private_files import private_output, write_private
from gridmgmt.services.briefing.roster import grid_roster
from gridmgmt.services.county.jobs import Allocate
from gridmgmt.services.grids import plans as grid_plans
from gridmgmt.services.grids.allocation import allocate_township
from gridmgmt.services.grids.assignment import assign as assign_plan
from gridmgmt.services.grids.rebalance import rebalance as rebalance_plan
from gridmgmt.services.grids.redraw import redraw_outlines
from gridmgmt.services.grids.views import plan_row

PLAN_COLUMNS = {
    "id": "编号",
    "township": "乡镇",
    "name": "名称",
    "status": "状态",
    "published_at": "发布时间",
    "outlines": "边界画法",
    "cells": "网格",
    "households": "农户",
}
QUALITY_LABELS = {
    "cells": "网格数",
    "households": "农户数",
    "workload_max_min": "最大网格工作量是最小的几倍",
    "workload_cv": "各网格工作量的差异（越小越均衡）",
    "worst_deviation": "最大偏离本村目标",
    "polsby_popper_mean": "网格形状规整程度（平均，1 为圆形）",
    "polsby_popper_worst": "网格形状规整程度（最差）",
    "contiguous_share": "连成一片的网格占比",
    "group_kept_share": "村民小组保持完整的农户占比",
    "groups_whole_share": "保持完整的村民小组占比",
}
EXPORT_FORMAT = LabelledChoice(FORMATS, sorted(grid_plans.EXPORT_DRIVERS))
GEOJSON, EXCEL = LabelledChoice(FORMATS, ["geojson"]), LabelledChoice(FORMATS, ["xlsx"])


def _run(fn, *args, **kw):
    with make_session() as session:
        return fn(session, *args, **kw)


def _print_quality(report) -> None:
    click.echo(f"方案 {report.plan_id}：{report.cells} 个网格")
    for key, value in report.quality.as_dict().items():
        click.echo(
            f"  {QUALITY_LABELS[key]}：{value:.3f}" if isinstance(value, float) else f"  {QUALITY_LABELS[key]}：{value}"
        )
    click.echo(f"拆分的村民小组：{len(report.splits)} 个" if report.splits else "拆分的村民小组：无")
    for split in report.splits:
        click.echo(f"  {split.village}{split.group}（{split.group_code}）分在 {'、'.join(split.cells)}：{split.reason}")


@click.group(cls=Group, help=help_text("grids"))
def grids() -> None:
    """The `gridmgmt grids` group."""


grids.add_command(grid_import.import_grids)
grids.add_command(grid_import.check)


@grids.command()
@click.option("--township", default=None, metavar="编码", help="乡镇编码")
@county_options
@click.option("--name", default=None, metavar="名称", help="方案名称（默认带日期时间）")
@rules_options
def allocate(township: str | None, county: str | None, jobs: int | None, name: str | None, **kw) -> None:
    """按村自动划分网格，生成草稿方案；用 --county 则全县每个乡镇各生成一个（一镇失败不影响其他镇）。"""
    township_or_county(township, county)
    rules = rules_of(**kw)
    start = time.perf_counter()
    name = name or local_now_text(get_settings().timezone, AUTO_PLAN_NAME)
    if county:
        run_county(county, Allocate(name, rules, os_actor()), jobs)
        return
    report = _run(allocate_township, township, name, rules, actor=os_actor())
    _print_quality(report)
    click.echo(f"用时 {time.perf_counter() - start:.1f} 秒")


@grids.command()
@click.argument("plan_id", type=ID, metavar="方案编号")
def rebalance(plan_id: int) -> None:
    """按方案自己的规则，保留已锁定的网格和手工调整过的农户所在的网格，重新划分草稿方案的其余部分。"""
    _print_quality(_run(rebalance_plan, plan_id, actor=os_actor()))


@grids.command(name="redraw-outlines")
@click.argument("plan_id", type=ID, metavar="方案编号")
def outlines(plan_id: int) -> None:
    """按村民小组界线重画方案的网格边界（草稿或已发布均可，导入的网格面方案除外），不改变任何农户所属网格。"""
    cells = _run(redraw_outlines, plan_id, actor=os_actor())
    click.echo(f"方案 {plan_id}：已重画 {cells} 个网格的边界，农户所属网格不变")


@grids.command()
@click.argument("plan_id", type=ID, metavar="方案编号")
@click.option("--max-cells-per-worker", type=INTEGER, help="每名网格员最多负责网格数（默认按方案规则）")
@click.option("--liaison-capacity", type=INTEGER, help="每名党员最多联系户数（默认按方案规则）")
def assign(plan_id: int, **kw) -> None:
    """按道路距离为每个网格配网格员、为每户配联户党员；给出的上限记入方案规则。"""
    report = _run(assign_plan, plan_id, actor=os_actor(), **{k: v for k, v in kw.items() if v is not None})
    click.echo(
        f"{report.cells} 个网格中 {report.workers_assigned} 个已配网格员；"
        f"{report.households} 户中 {report.households_linked} 户已配联户党员"
    )
    if report.no_worker:
        click.echo(f"缺网格员的网格：{'、'.join(report.no_worker)}")
    for row in report.shortfalls:
        if row["unlinked"]:
            click.echo(
                f"  {row['name']}（{row['cell']}）：{row['households']} 户，联户党员 {row['liaisons']} 名、"
                f"需 {row['needs']} 名，{row['unlinked']} 户未配联户党员"
            )


@grids.command()
@click.argument("plan_id", type=ID, metavar="方案编号")
@click.option("--allow-no-worker", is_flag=True, help="允许有网格尚无网格员时发布")
def publish(plan_id: int, allow_no_worker: bool) -> None:
    """发布草稿方案：设定每户所属网格，原已发布方案归档。"""
    plan = _run(grid_plans.publish, plan_id, allow_no_worker, actor=os_actor())
    click.echo(f"方案 {plan.id}“{plan.name}”已发布")


@grids.command()
@click.argument("plan_a", type=ID, metavar="原方案编号")
@click.argument("plan_b", type=ID, metavar="新方案编号")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    metavar="文件",
    help="变动农户写入 GeoJSON 文件（用于地图；仅本账户可读）；属于导出，须用 --as，记入审计日志",
)
@as_option
def diff(plan_a: int, plan_b: int, output: Path | None, as_user: str | None) -> None:
    """比较两个方案：哪些农户换了网格。"""
    if output:
        output_format(None, output, GEOJSON, "geojson")
        with private_output(output):
            result = _audited(
                plan_a, as_user, lambda s, actor: grid_plans.export_diff(s, plan_a, plan_b, output, actor)
            )
    else:
        result = _run(grid_plans.diff, plan_a, plan_b)
    click.echo(f"{len(result.matches)} 对网格对应；{len(result.moved)} 户换了网格")
    for row in result.moved.head(20).itertuples():
        click.echo(f"  {row.code} {row.village}：{row.from_cell or '（无）'} → {row.to_cell or '（无）'}")
    if output:
        click.echo(f"已写入 {output}")


def _audited(plan_id: int, as_user: str | None, work):
    """WORK(session, actor) for the user AS_USER, who must be a planner of PLAN_ID's township (or an admin)."""

    def run(session):
        _, township = plan_row(session, plan_id)
        return work(session, cli_actor(session, as_user, "edit_grids", township=township))

    return _run(run)


@grids.command()
@click.argument("plan_id", type=ID, metavar="方案编号")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, metavar="文件", help="输出文件（仅本账户可读）"
)
@click.option("--format", "fmt", type=EXPORT_FORMAT, help="输出格式（默认按输出文件扩展名，否则 GeoPackage）")
@as_option
def export(plan_id: int, output: Path, fmt: str | None, as_user: str | None) -> None:
    """导出方案的网格（含网格员姓名，不含农户敏感信息）；须用 --as 指明操作人，记入审计日志。"""
    fmt = output_format(fmt, output, EXPORT_FORMAT, "gpkg")
    with private_output(output):
        n = _audited(plan_id, as_user, lambda s, actor: grid_plans.export(s, plan_id, output, fmt, actor))
    click.echo(f"已导出 {n} 个网格到 {output}")


@grids.command()
@click.option("--township", required=True, metavar="编码", help="乡镇编码")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    metavar="文件",
    help="输出的 Excel 文件（仅本账户可读）",
)
@as_option
def roster(township: str, output: Path, as_user: str | None) -> None:
    """导出网格花名册（Excel）：已发布方案（没有则为最新方案）的网格、网格员和联户党员；须用 --as 指明操作人，记入审计日志。"""
    output_format(None, output, EXCEL, "xlsx")
    with make_session() as session:
        actor = cli_actor(session, as_user, "export_maps", township=township)
        write_private(output, grid_roster(session, township, actor))
    click.echo(f"已写出 {output}")


@grids.command(name="list")
def list_plans() -> None:
    """列出全部网格方案。"""
    with make_session() as session:
        frame = grid_plans.plan_list(session)
    if frame.empty:
        click.echo("尚无网格方案")
        return
    redrawable = [redraw_refusal(*plan) is None for plan in zip(frame.id, frame.outlines, frame.status)]
    frame["status"] = frame.status.map(PLAN_STATUSES)
    frame["outlines"] = frame.outlines.map(PLAN_OUTLINES)
    tz = get_settings().timezone
    frame["published_at"] = [local_text(t, tz) if t is not None and t == t else "—" for t in frame.published_at]
    click.echo(table_text(frame.rename(columns=PLAN_COLUMNS)))
    if any(redrawable):
        click.echo(
            "旧画法的方案可用 gridmgmt grids redraw-outlines 方案编号 沿村民小组界线重画边界（农户所属网格不变）"
        )
