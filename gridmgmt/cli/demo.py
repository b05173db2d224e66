"""`gridmgmt demo`: generate and load the demo township."""

from datetime import date

import click

from geodata.demo import township_codes
from gridmgmt.cli import help_text
from gridmgmt.cli.actor import os_actor
from gridmgmt.cli.checks import DAY, INTEGER
from gridmgmt.cli.choices import LabelledChoice
from gridmgmt.cli.layout import Command
from gridmgmt.db.session import make_session
from gridmgmt.domain.vocab import DEMO_SCALES
from gridmgmt.services.grids.demo_plan import ensure_demo_plan
from gridmgmt.services.imports.demo import run_demo


@click.command(
    cls=Command,
    help=help_text(
        "demo",
        (
            "和平县编码 441624；一个市另有河源市下9个县（编码均以 4416 开头）。全部数据在一个事务中写入，随后建立道路拓扑。演示乡镇的编码已存在时"
            "拒绝导入、不做任何修改（不覆盖）；如需重建，请换用空数据库（GRIDMGMT_DB_NAME）。"
        ),
    ),
)
@click.option("--seed", type=INTEGER, default=1, show_default=True, help="随机种子：种子与截至日期相同则数据完全相同")
@click.option(
    "--scale",
    type=LabelledChoice(DEMO_SCALES),
    default=DEMO_SCALES["township"],
    show_default=True,
    help="一个镇：约20个行政村、1万户；一个县：约20个镇、20万户；一个市：10个县、约200万户，逐县写入（规模测试用）",
)
@click.option("--if-empty", is_flag=True, help="数据库中已有任何乡镇时什么也不做（供一键演示使用）")
@click.option("--until", type=DAY, default=None, help="一年走访与事件记录的截至日期（默认今天）")
@click.option(
    "--plan",
    is_flag=True,
    help="演示乡镇还没有任何网格方案时，自动划分网格、分配网格员与联户党员并发布（约多用 15 秒；一键演示即用此项）",
)
def demo(seed: int, scale: str, if_empty: bool, until, plan: bool) -> None:
    """Generate and load the demo township (or county), and publish its grid plan when asked."""
    end = until.date() if until else date.today()
    with make_session() as session:
        run_demo(session, seed, scale, end, if_empty, click.echo)
        if plan:
            ensure_demo_plan(session, township_codes("township")[0], actor=os_actor(), say=click.echo)
