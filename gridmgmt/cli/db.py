"""`gridmgmt db up|down|status|migrate` (and backup|restore, from gridmgmt.cli.backup)."""

import click

from gridmgmt.cli import help_text
from gridmgmt.cli.backup import backup_command, restore_command
from gridmgmt.cli.layout import Group

# The commands import the settings, the cluster and alembic when they run: `gridmgmt db --help`
# loads neither pydantic, psycopg nor SQLAlchemy.


def _settings():
    from gridmgmt.config import get_settings

    return get_settings()


def _local_cluster():
    from gridmgmt.db.cluster import LocalCluster

    settings = _settings()
    if settings.database_url:
        raise click.ClickException("已设置 GRIDMGMT_DATABASE_URL：使用外部数据库，本地集群不启用")
    return LocalCluster(settings)


@click.group(cls=Group, help=help_text("db"))
def db() -> None:
    """The `gridmgmt db` group."""


@db.command()
def up() -> None:
    """启动本项目的本地 PostgreSQL 数据库（var/pg），密码登录；旧版免密码的数据库会被转换。"""
    from gridmgmt.db.cluster import ClusterError

    cluster = _local_cluster()
    try:
        converted = cluster.up()
    except ClusterError as exc:
        raise click.ClickException(str(exc)) from exc
    settings = cluster.settings
    if converted:
        click.echo(
            f"已把旧版集群改为密码登录（scram-sha-256）；应用改用非超级用户角色 {settings.pg_user}，"
            f"密码文件在 {settings.secrets_dir}"
        )
    click.echo(f"数据库已运行：127.0.0.1:{settings.pg_port}")


@db.command()
def down() -> None:
    """停止本项目的本地数据库。"""
    _local_cluster().down()
    click.echo("数据库已停止")


@db.command()
def status() -> None:
    """显示数据库状态。"""
    from gridmgmt.db.cluster import LocalCluster

    settings = _settings()
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
    from gridmgmt.db import migrate as migrations

    settings = _settings()
    url = settings.url_for(settings.test_db_name if test else None)
    migrations.upgrade(url)
    click.echo("数据库结构已是最新")


db.add_command(backup_command)
db.add_command(restore_command)
