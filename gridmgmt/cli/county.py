"""`gridmgmt county refresh`: work out the 县级总览's visit figures ahead of the first request."""

import time

import click

from gridmgmt.cli import help_text
from gridmgmt.cli.checks import DAY
from gridmgmt.cli.layout import Group
from gridmgmt.config import get_settings
from gridmgmt.db.session import make_session
from gridmgmt.services.county.overview import county_overview
from gridmgmt.services.visits.settings import VisitSettings


@click.group(cls=Group, help=help_text("county"))
def county() -> None:
    """The `gridmgmt county` group."""


@county.command("refresh")
@click.argument("county_code", metavar="县编码")
@click.option("--date", "day", type=DAY, help="统计日期（默认今天）")
def refresh(county_code: str, day) -> None:
    """预先计算县级总览：各乡镇走访数字存入数据库，当天首次打开县级总览不必等待（可每天零点后由定时任务运行）。"""
    settings = get_settings()
    start = time.perf_counter()
    with make_session() as session:
        found = county_overview(
            session, county_code, day.date() if day else settings.today(), VisitSettings.of(settings)
        )
    took = time.perf_counter() - start
    click.echo(
        f"{found.name}（{county_code}）县级总览已计算：{len(found.rows)} 个乡镇，{found.day}，用时 {took:.1f} 秒"
    )
