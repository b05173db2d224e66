"""`gridmgmt init`: generate the session key file the web app signs sessions with."""

import click

from gridmgmt.cli import help_text
from gridmgmt.cli.layout import Command
from gridmgmt.keys import write_secret


@click.command(
    cls=Command,
    help=help_text(
        "init",
        (
            "网页服务用它签名登录会话；文件为 var/secrets/secret_key，未设置 GRIDMGMT_SECRET_KEY 时读取此文件。"
            "已有密钥时不覆盖，除非加 --force。"
        ),
    ),
)
@click.option("--force", is_flag=True, help="重新生成已有的密钥（所有用户都需重新登录）")
def init(force: bool) -> None:
    """Write the session key file unless it exists (or FORCE)."""
    # Imported on use: `gridmgmt init --help` loads neither pydantic nor SQLAlchemy.
    from gridmgmt.config import get_settings

    settings = get_settings()
    path = settings.secret_key_file
    if write_secret(path, force=force):
        click.echo(f"已生成会话密钥：{path}")
    else:
        click.echo(f"会话密钥已存在，未覆盖：{path}（重新生成请加 --force）")
    if settings.secret_key:
        click.echo("注意：已设置 GRIDMGMT_SECRET_KEY，它优先于密钥文件")
