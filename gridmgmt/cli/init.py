"""`gridmgmt init`: generate the session key file the web app signs sessions with."""
import click

from gridmgmt.config import get_settings
from gridmgmt.keys import write_secret


@click.command()
@click.option("--force", is_flag=True, help="重新生成已有的密钥（所有用户都需重新登录）")
def init(force: bool) -> None:
    """生成会话密钥文件（var/secrets/secret_key，仅本账户可读）。

    网页服务用它签名登录会话；未设置 GRIDMGMT_SECRET_KEY 时读取此文件。
    已有密钥时不覆盖，除非加 --force。
    """
    settings = get_settings()
    path = settings.secret_key_file
    if write_secret(path, force=force):
        click.echo(f"已生成会话密钥：{path}")
    else:
        click.echo(f"会话密钥已存在，未覆盖：{path}（重新生成请加 --force）")
    if settings.secret_key:
        click.echo("注意：已设置 GRIDMGMT_SECRET_KEY，它优先于密钥文件")
