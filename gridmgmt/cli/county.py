"""`gridmgmt county refresh`: work out the 县级总览's visit figures ahead of the first request.

Every county by default, so a nightly timer (deploy/gridmgmt-county-refresh.timer) needs no code.
"""

import time

import click

from gridmgmt.cli import help_text
from gridmgmt.cli.checks import DAY
from gridmgmt.cli.layout import Group
from gridmgmt.config import get_settings
from gridmgmt.db.session import make_session
from gridmgmt.services.accounts.directory import counties
from gridmgmt.services.county.overview import county_overview
from gridmgmt.services.visits.settings import VisitSettings


@click.group(cls=Group, help=help_text("county"))
def county() -> None:
    """The `gridmgmt county` group."""


@county.command("refresh")
@click.argument("county_code", metavar="[县编码]", required=False)
@click.option("--date", "day", type=DAY, help="统计日期（默认今天）")
def refresh(county_code: str | None, day) -> None:
    """预先计算县级总览：各乡镇走访数字存入数据库，当天首次打开县级总览不必等待（不给县编码则计算所有县；可每天零点后由定时任务运行）。"""
    settings = get_settings()
    visits = VisitSettings.of(settings)
    with make_session() as session:
        codes = [county_code] if county_code else [code for code, _ in counties(session)]
        for code in codes:
            start = time.perf_counter()
            found = county_overview(session, code, day.date() if day else settings.today(), visits)
            took = time.perf_counter() - start
            click.echo(
                f"{found.name}（{code}）县级总览已计算：{len(found.rows)} 个乡镇，{found.day}，用时 {took:.1f} 秒"
            )
