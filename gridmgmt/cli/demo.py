"""`gridmgmt demo`: generate and load the demo township."""
from datetime import date

import click

from gridmgmt.cli.checks import DAY
from gridmgmt.db.session import make_session
from gridmgmt.services.imports.demo import DemoExists, DemoLoadFailed, run_demo


@click.command()
@click.option("--seed", type=int, default=1, show_default=True, help="随机种子：种子与截至日期相同则数据完全相同")
@click.option("--scale", type=click.Choice(["township", "county"]), default="township", show_default=True,
              help="township：一个镇（约20个行政村、1万户）；county：一个县约20个镇、20万户（性能测试用）")
@click.option("--if-empty", is_flag=True, help="数据库中已有任何乡镇时什么也不做（make demo 用）")
@click.option("--until", type=DAY, default=None,
              help="一年走访与事件记录的截至日期（默认今天）")
def demo(seed: int, scale: str, if_empty: bool, until) -> None:
    """生成并导入演示乡镇（和平县 441624，约 115.7°E 23.9°N）。

    全部数据在一个事务中用 COPY 写入，随后建立道路拓扑。演示乡镇的编码已存在时
    拒绝导入、不做任何修改（不覆盖）；如需重建，请换用空数据库（GRIDMGMT_DB_NAME）。
    """
    end = until.date() if until else date.today()
    with make_session() as session:
        try:
            run_demo(session, seed, scale, end, if_empty, click.echo)
        except (DemoExists, DemoLoadFailed) as exc:
            raise click.ClickException(str(exc)) from exc
