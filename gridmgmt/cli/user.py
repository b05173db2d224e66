"""`gridmgmt user add|passwd|role|disable|enable|token|revoke|list|demo`."""

import sys

import click

from gridmgmt.cli import help_text
from gridmgmt.cli.actor import os_actor
from gridmgmt.cli.checks import INTEGER
from gridmgmt.cli.choices import LabelledChoice
from gridmgmt.cli.layout import Group
from gridmgmt.domain.vocab import ROLES

ROLE = LabelledChoice(ROLES)


def _accounts():
    """gridmgmt.services.accounts.users, imported on use: `gridmgmt user --help` must not load SQLAlchemy."""
    from gridmgmt.services.accounts import users as accounts

    return accounts


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")


def _run(action, *args, **kwargs):
    """Run a service ACTION in a new session (its AccountError is a UserError: a message, exit 1)."""
    from gridmgmt.db.session import make_session

    with make_session() as session:
        return action(session, *args, **kwargs)


@click.group(
    cls=Group,
    help=help_text(
        "user",
        (
            "密码至少 10 个字符，不能是常见密码，不能包含用户名。\n\n"
            "改密码、改角色、停用都会让该用户在所有浏览器和手机上的登录立即失效。"
        ),
    ),
)
def user() -> None:
    """The `gridmgmt user` group."""


@user.command("add")
@click.argument("username", metavar="用户名")
@click.option("--role", required=True, type=ROLE, help="角色")
@click.option(
    "--township",
    "township_code",
    metavar="编码",
    help="所属乡镇编码（系统管理员和县级用户以外必填；网格员可由 --cadre 推出）",
)
@click.option(
    "--county",
    "county_code",
    metavar="编码",
    help="所属县的 6 位编码（乡镇编码前 6 位，如 441624）：县级领导、规划员看全县各乡镇，与 --township 二选一",
)
@click.option("--cadre", "cadre_code", metavar="编码", help="关联干部编码（网格员必填）")
@click.option("--password-stdin", is_flag=True, help="从标准输入读一行作为密码（不提示）")
def add(
    username: str,
    role: str,
    township_code: str | None,
    county_code: str | None,
    cadre_code: str | None,
    password_stdin: bool,
) -> None:
    """添加用户（记入审计日志）。"""
    password = _password(password_stdin)
    _run(
        _accounts().add_user,
        username,
        role,
        password,
        township_code,
        cadre_code,
        actor=os_actor(),
        county_code=county_code,
    )
    click.echo(f"已添加用户 {username}（{ROLES[role]}）")


@user.command("passwd")
@click.argument("username", metavar="用户名")
@click.option("--password-stdin", is_flag=True, help="从标准输入读一行作为密码（不提示）")
def passwd(username: str, password_stdin: bool) -> None:
    """修改用户的密码（记入审计日志）。"""
    _run(_accounts().set_password, username, _password(password_stdin), actor=os_actor())
    click.echo(f"已修改 {username} 的密码")


@user.command("role", help=f"改用户的角色（记入审计日志）。\n\n角色：{ROLE.listing()}。")
@click.argument("username", metavar="用户名")
@click.argument("role", type=ROLE, metavar="角色")
def role(username: str, role: str) -> None:
    """Give USERNAME the role ROLE."""
    _run(_accounts().set_role, username, role, actor=os_actor())
    click.echo(f"{username} 的角色已改为 {ROLES[role]}")


@user.command("disable")
@click.argument("username", metavar="用户名")
def disable(username: str) -> None:
    """停用用户：其登录立即失效、访问令牌不再可用（记入审计日志）。

    最后一个在用的系统管理员不能停用。
    """
    _run(_accounts().set_active, username, False, os_actor())
    click.echo(f"已停用用户 {username}")


@user.command("enable")
@click.argument("username", metavar="用户名")
def enable(username: str) -> None:
    """重新启用用户（记入审计日志）。"""
    _run(_accounts().set_active, username, True, os_actor())
    click.echo(f"已启用用户 {username}")


@user.command("token")
@click.argument("username", metavar="用户名")
@click.option("--name", metavar="名称", help="令牌名称（便于识别）")
@click.option("--expires-days", type=INTEGER, default=None, help="有效天数（默认长期有效）")
def token(username: str, name: str | None, expires_days: int | None) -> None:
    """为用户创建个人访问令牌；令牌只显示这一次。"""
    named = {"name": name} if name else {}  # unnamed: the service's default name
    secret = _run(_accounts().create_token, username, expires_days=expires_days, actor=os_actor(), **named)
    click.echo(secret)
    click.echo("请妥善保存：令牌只显示这一次。用法：在请求头中加 Authorization: Bearer <令牌>", err=True)


@user.command("revoke")
@click.argument("username", metavar="用户名")
@click.option("--name", default=None, metavar="名称", help="只吊销这个名称的令牌（默认全部）")
def revoke(username: str, name: str | None) -> None:
    """吊销用户的个人访问令牌。"""
    count = _run(_accounts().revoke_tokens, username, name, actor=os_actor())
    click.echo(f"已吊销 {username} 的 {count} 个访问令牌")


def _place(account) -> str:
    """Where ACCOUNT answers for, as `user list` shows it."""
    if account.county_code:
        return f"县 {account.county_code}"
    return account.township_name or "全部乡镇"


@user.command("list")
def list_command() -> None:
    """列出全部用户。"""
    from gridmgmt.services.accounts.directory import accounts

    for account in _run(accounts):
        state = "" if account.active else "（已停用）"
        click.echo(f"{account.username}\t{ROLES[account.role]}\t{_place(account)}{state}")


@user.command("demo")
@click.option("--township", "township_code", default=None, metavar="编码", help="乡镇编码（默认演示乡镇）")
def demo(township_code: str | None) -> None:
    """为演示乡镇创建每个角色各一个演示账号（已存在的保留），并打印登录信息。"""
    from gridmgmt.config import get_settings
    from gridmgmt.services.accounts.demo_users import describe, ensure_demo_users

    for line in describe(_run(ensure_demo_users, get_settings().today(), township_code, actor=os_actor())):
        click.echo(line)
