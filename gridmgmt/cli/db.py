"""`gridmgmt db up|down|status|migrate`."""
import click

from gridmgmt.config import get_settings
from gridmgmt.db import migrate as migrations
from gridmgmt.db.cluster import ClusterError, LocalCluster


def _local_cluster() -> LocalCluster:
    settings = get_settings()
    if settings.database_url:
        raise click.ClickException("已设置 GRIDMGMT_DATABASE_URL：使用外部数据库，本地集群不启用")
    return LocalCluster(settings)


@click.group()
def db() -> None:
    """数据库：启动、停止、状态、迁移。"""


@db.command()
def up() -> None:
    """启动项目本地 PostgreSQL 集群（var/pg），密码登录；旧版的免密集群会被转换。"""
    cluster = _local_cluster()
    try:
        converted = cluster.up()
    except ClusterError as exc:
        raise click.ClickException(str(exc)) from exc
    settings = cluster.settings
    if converted:
        click.echo(f"已把旧版集群改为密码登录（scram-sha-256）；应用改用非超级用户角色 {settings.pg_user}，"
                   f"密码文件在 {settings.secrets_dir}")
    click.echo(f"数据库已运行：127.0.0.1:{settings.pg_port}")


@db.command()
def down() -> None:
    """停止项目本地集群。"""
    _local_cluster().down()
    click.echo("数据库已停止")


@db.command()
def status() -> None:
    """显示数据库状态。"""
    settings = get_settings()
    if settings.database_url:
        click.echo("外部数据库（GRIDMGMT_DATABASE_URL）")
        return
    labels = {"running": "运行中", "stopped": "已停止", "absent": "未创建"}
    state = LocalCluster(settings).status()
    click.echo(f"本地集群 {settings.var_dir / 'pg'}：{labels[state]}")


@db.command()
@click.option("--test", is_flag=True, help="迁移测试数据库")
def migrate(test: bool) -> None:
    """把数据库升级到最新结构。"""
    settings = get_settings()
    url = settings.url_for(settings.test_db_name if test else None)
    migrations.upgrade(url)
    click.echo("数据库结构已是最新")


# Backups live in their own module; registered here so they are `gridmgmt db backup|restore`.
from gridmgmt.cli.backup import backup_command, restore_command  # noqa: E402 - after the group exists

db.add_command(backup_command)
db.add_command(restore_command)
