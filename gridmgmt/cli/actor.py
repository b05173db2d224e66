"""`--as USERNAME`: the named app user a command-line export or import is audited under, never the OS user."""

from __future__ import annotations

import getpass
import socket
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # the commands' --help must not load SQLAlchemy
    from sqlalchemy.orm import Session

    from gridmgmt.services.accounts.actors import Actor

ENV = "GRIDMGMT_ACTOR"
MISSING = (
    f"此操作会导出或导入个人信息，须用 --as 用户名（或环境变量 {ENV}）指明是哪位系统用户在操作，并以该用户记入审计日志"
)


def as_option(fn):
    """Add --as (or GRIDMGMT_ACTOR) to a command, as the parameter `as_user`."""
    return click.option(
        "--as",
        "as_user",
        envvar=ENV,
        metavar="用户名",
        help=f"以哪位系统用户的名义操作（记入审计日志；也可设环境变量 {ENV}）",
    )(fn)


def require_actor(as_user: str | None) -> str:
    """AS_USER, or a usage error in Chinese when the command needs it and it is missing."""
    if not as_user:
        raise click.UsageError(MISSING)
    return as_user


def cli_actor(session: Session, as_user: str | None, *permissions: str, township: str | None = None) -> Actor:
    """The user AS_USER as the audit log's actor, from this machine's command line; a usage error when
    missing, ActorRefused (a UserError) when unknown, disabled, without PERMISSIONS or outside TOWNSHIP."""
    from gridmgmt.services.accounts.actors import named_actor

    origin = f"命令行 {getpass.getuser()}@{socket.gethostname()}"
    return named_actor(session, require_actor(as_user), permissions, township, origin)
