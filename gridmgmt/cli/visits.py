"""`gridmgmt visits status|route|event|close-event` and `gridmgmt duties list|set`."""

import json
from datetime import UTC, date, datetime
from pathlib import Path

import click
import pandas as pd

from gridmgmt.cli import help_text
from gridmgmt.cli.actor import as_option, cli_actor
from gridmgmt.cli.checks import DAY, ID, LATITUDE, LONGITUDE, Finite
from gridmgmt.cli.choices import LabelledChoice, LabelledList, output_format
from gridmgmt.cli.county_runs import county_options, run_county, screen_only, township_or_county
from gridmgmt.cli.layout import Group
from gridmgmt.cli.tables import table_text
from gridmgmt.config import get_settings
from gridmgmt.db.session import make_session
from gridmgmt.domain.clock import local_text
from gridmgmt.domain.duties import PERIODS, SCOPES, TARGETS, DutyError
from gridmgmt.domain.vocab import CADRE_ROLES, EVENT_TYPES, FORMATS, MUST_VISIT_FLAGS
from gridmgmt.domain.wording import MISSING
from gridmgmt.private_files import write_private
from gridmgmt.services.county.jobs import Compliance
from gridmgmt.services.visits.compliance import township_compliance
from gridmgmt.services.visits.duties import list_duties, set_duty
from gridmgmt.services.visits.events import EventReport, close_event, report_by_codes
from gridmgmt.services.visits.residence import township_residence
from gridmgmt.services.visits.routes import MODES, plan_route
from gridmgmt.services.visits.settings import VisitSettings
from gridmgmt.services.visits.workbook import COUNT_HEADERS, ReportFilter, audit_export, export_workbook, report_tables

TABLE_ROWS = 40  # the terminal shows this many rows of a long list
REPORT_FORMAT = LabelledChoice(FORMATS, ("table", "json", "xlsx"))
ROUTE_FORMAT = LabelledChoice(FORMATS, ("table", "json"))


def _day(value) -> date:
    return value.date() if value else date.today()


def visit_settings() -> VisitSettings:
    """The visit settings of the configuration, for the services that date visits."""
    return VisitSettings.of(get_settings())


def _show(title: str, table: pd.DataFrame) -> None:
    click.echo(f"\n【{title}】")
    if table.empty:
        click.echo("（无）")
        return
    rate = COUNT_HEADERS["rate"]
    click.echo(
        table_text(
            table.head(TABLE_ROWS), na_rep=MISSING, formatters={rate: "{:.1%}".format} if rate in table else None
        )
    )
    if len(table) > TABLE_ROWS:
        click.echo(f"……共 {len(table)} 行，完整清单请用 --format xlsx 或 json")


@click.group(cls=Group, help=help_text("visits"))
def visits() -> None:
    """The `gridmgmt visits` group."""


@visits.command("status")
@click.option("--township", default=None, metavar="编码", help="乡镇编码")
@county_options
@click.option("--date", "day", type=DAY, help="统计日期（默认今天）")
@click.option("--cadre", metavar="编码", help="只看该干部（编码）负责的对象")
@click.option("--village", metavar="编码", help="只看该行政村（编码）")
@click.option("--format", "fmt", type=REPORT_FORMAT, help="输出格式（默认按输出文件扩展名，否则表格）")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), metavar="文件", help="输出文件（JSON 或 Excel；仅本账户可读）"
)
@click.option("--include-sensitive", is_flag=True, help="清单中包含必访户（敏感信息）；会记入审计日志")
@as_option
def status_command(township, county, jobs, day, cadre, village, fmt, output, include_sensitive, as_user) -> None:
    """各项走访职责的完成、待走访、逾期户数（分职责、分村、分人）和未按时到场的四必到事件；用 --county 则逐镇列出全县各镇的完成和逾期项数。

    待走访清单有户主姓名：JSON、Excel 或 --include-sensitive 属于导出，须用 --as 指明操作人，记入审计日志。
    """
    township_or_county(township, county)
    fmt = output_format(fmt, output, REPORT_FORMAT, "table")
    if fmt == "table" and output is not None and not county:
        raise click.UsageError("表格只打印到屏幕；写入文件请用 JSON 或 Excel（如 -o 走访.xlsx）")
    if fmt == "xlsx" and output is None:
        raise click.UsageError("输出 Excel 须用 -o 指定输出文件")
    if county:
        screen_only(fmt, output, cadre, village, include_sensitive)
        run_county(county, Compliance(_day(day), visit_settings()), jobs)
        return
    with make_session() as session:
        actor = None
        if fmt != "table" or include_sensitive:
            needs = ("view_compliance", "view_sensitive") if include_sensitive else ("view_compliance",)
            actor = cli_actor(session, as_user, *needs, township=township)
        try:
            comp = township_compliance(session, township, _day(day), visit_settings())
        except DutyError as exc:  # a stored duty the rules refuse
            raise click.ClickException(str(exc)) from exc
        tables = report_tables(comp, ReportFilter(village, cadre, include_sensitive), township_residence(session, comp))
        if fmt == "xlsx":
            book = export_workbook(session, actor, comp, tables, include_sensitive)
        elif actor:
            audit_export(session, actor, comp, fmt, include_sensitive)
    if fmt == "xlsx":
        write_private(output, book)
        click.echo(f"已写出 {output}")
    elif fmt == "json":
        data = {name: json.loads(t.to_json(orient="records", force_ascii=False)) for name, t in tables.items()}
        text = json.dumps({"township": township, "date": str(comp.day), **data}, ensure_ascii=False, indent=1)
        write_private(output, text) if output else click.echo(text)
    else:
        click.echo(f"{comp.data.township['name']}（{township}）走访完成情况，截至 {comp.day}")
        for name, table in tables.items():
            _show(name, table)


@visits.command("route")
@click.option("--cadre", required=True, metavar="编码", help="干部编码")
@click.option("--date", "day", type=DAY, help="日期（默认今天）")
@click.option(
    "--hours",
    type=Finite(0, 24, min_open=True),
    default=4.0,
    show_default=True,
    help="可用时间（小时，含每户 15 分钟）",
)
@click.option("--mode", type=LabelledChoice(MODES), default=MODES["walk"], show_default=True, help="步行或驾车")
@click.option("--format", "fmt", type=ROUTE_FORMAT, default=FORMATS["table"], show_default=True, help="输出格式")
def route_command(cadre, day, hours, mode, fmt) -> None:
    """按紧急程度挑选可在时限内走完的待走访户，沿道路排出从干部住处出发并返回的走访顺序。

    住处未登记时，从所驻村的党组织活动场所出发，再没有则从镇政府驻地出发。
    """
    with make_session() as session:
        route = plan_route(session, cadre, _day(day), visit_settings(), hours, mode)
    if fmt == "json":
        gaps = [gap.as_dict() for gap in route.gaps]
        click.echo(json.dumps({**route.__dict__, "gaps": gaps}, ensure_ascii=False, indent=1, default=str))
        return
    click.echo(
        f"{route.cadre['name']}（{route.cadre['code']}）{_day(day)} {MODES[mode]}路线："
        f"{len(route.stops)} 户，全程 {route.length_m / 1000:.1f} 公里，"
        f"路上 {route.travel_s / 60:.0f} 分钟，走访 {route.service_s / 60:.0f} 分钟"
    )
    for stop in route.stops:
        where = stop["code"] or f"事件 {stop['event_id']}"
        click.echo(
            f"{stop['seq']:>3}. {where}  {stop['priority']}  距上一站 {stop['leg_m']} 米，"
            f"约第 {stop['arrive_min']} 分钟到达"
        )
    if route.left_out:
        click.echo(f"时间不够，另有 {route.left_out} 处待走访未排入")
    if route.gaps:
        click.echo(f"{len(route.gaps)} 段路网缺口（道路数据未能合理连通）：")
        for gap in route.gaps:
            click.echo(f"  {gap.describe()}")


@visits.command("event")
@click.option("--cadre", required=True, metavar="编码", help="上报人（干部编码）")
@click.option("--type", "event_type", required=True, type=LabelledChoice(EVENT_TYPES), help="四必到事件类型")
@click.option("--household", metavar="编码", help="事件所在农户编码")
@click.option("--lon", type=LONGITUDE, help="事件位置经度（无农户时）")
@click.option("--lat", type=LATITUDE, help="事件位置纬度（无农户时）")
@click.option("--note", metavar="文字", help="事件情况")
def event_command(cadre, event_type, household, lon, lat, note) -> None:
    """上报一件四必到事件（现在），按类型给出到场时限。"""
    with make_session() as session:
        event, _ = report_by_codes(
            session,
            cadre,
            household,
            EventReport(event_type, 0, datetime.now(UTC), lon=lon, lat=lat, description=note),
            visit_settings(),
        )
        click.echo(
            f"已上报事件 {event.id}（{EVENT_TYPES[event_type]}），须在 "
            f"{local_text(event.attend_by, get_settings().timezone)} 前到场"
        )


@visits.command("close-event")
@click.argument("event_id", type=ID, metavar="事件编号")
def close_event_command(event_id) -> None:
    """把已到场的四必到事件办结。"""
    with make_session() as session:
        close_event(session, event_id)
    click.echo(f"事件 {event_id} 已办结")


@click.group(cls=Group, help=help_text("duties"))
def duties() -> None:
    """The `gridmgmt duties` group."""


@duties.command("list")
def list_command() -> None:
    """列出全部走访职责（首次使用时写入文件规定的默认职责）。"""
    with make_session() as session:
        for row in list_duties(session):
            who = "、".join(CADRE_ROLES[r] for r in row.cadre_roles) or f"干部 {row.cadre_id}"
            flags = f"（{'、'.join(MUST_VISIT_FLAGS[f] for f in row.flags)}）" if row.flags else ""
            state = "" if row.active else " 【停用】"
            click.echo(
                f"{row.code}: {row.name}{state}\n    {who} | {SCOPES[row.scope]} | "
                f"{TARGETS[row.target]}{flags} | {PERIODS[row.period]}"
            )


@duties.command("set")
@click.argument("code", metavar="职责编码")
@click.option("--name", metavar="名称", help="名称")
@click.option("--roles", type=LabelledList(CADRE_ROLES), help="干部角色，用逗号或顿号分隔")
@click.option("--cadre", metavar="编码", help="指定一名干部（编码；空字符串取消）")
@click.option("--scope", type=LabelledChoice(SCOPES), help="范围")
@click.option("--target", type=LabelledChoice(TARGETS), help="对象")
@click.option("--flags", type=LabelledList(MUST_VISIT_FLAGS), help="必访标记，用逗号或顿号分隔")
@click.option("--period", type=LabelledChoice(PERIODS), help="周期")
@click.option("--active/--inactive", default=None, help="启用或停用")
def set_command(code, name, roles, cadre, scope, target, flags, period, active) -> None:
    """新建或修改一项走访职责（只改给出的项）。"""
    given = {
        "name": name,
        "cadre_roles": roles,
        "scope": scope,
        "target": target,
        "flags": flags,
        "period": period,
        "active": active,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    with make_session() as session:
        try:
            row = set_duty(session, code, cadre_code=cadre, **changes)
        except DutyError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"已保存职责 {row.code}：{row.name}")
