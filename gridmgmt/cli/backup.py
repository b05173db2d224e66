"""`gridmgmt db backup` and `gridmgmt db restore`: registered into the `db` group."""

from pathlib import Path

import click

from gridmgmt.cli.checks import Whole
from gridmgmt.cli.layout import Command
from gridmgmt.domain.limits import DEFAULT_KEEP
from gridmgmt.private_files import NotPrivate

# The commands import settings and gridmgmt.db.backup (psycopg, SQLAlchemy) when they run:
# `gridmgmt db --help` loads neither.


@click.command("backup", cls=Command)
@click.option(
    "-o",
    "--output",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="目录",
    help="备份目录（默认 var/backups；新建为 0700，已有目录须只有属主可访问）",
)
@click.option("--keep", type=Whole(1), default=DEFAULT_KEEP, show_default=True, help="保留最新的几份备份，更早的删除")
def backup_command(folder: Path | None, keep: int) -> None:
    """备份数据库和文件目录（照片、上传文件）到一个按时间命名、仅本账户可读（0600）的文件。"""
    from gridmgmt.config import get_settings
    from gridmgmt.db.backup import BackupError, backup

    try:
        made = backup(get_settings(), folder, keep)
    except (BackupError, NotPrivate) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已备份到 {made.path}（{made.size / 1e6:.1f} MB，含文件 {made.files} 个）")
    for old in made.removed:
        click.echo(f"已删除旧备份 {old.name}")


@click.command("restore", cls=Command)
@click.argument("archive", type=click.Path(path_type=Path, dir_okay=False), metavar="备份文件")
@click.option("--target-db", metavar="库名", help="恢复到该数据库（默认本系统的数据库；不存在则新建）")
@click.option(
    "--files-dir",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="目录",
    help="文件恢复到该目录（默认 GRIDMGMT_FILES_DIR，即 var/files）",
)
@click.option(
    "--fresh", is_flag=True, help="目标数据库已有数据时删除并重建它，文件目录非空时改名保留后再恢复（默认拒绝）"
)
def restore_command(archive: Path, target_db: str | None, files_dir: Path | None, fresh: bool) -> None:
    """从备份文件恢复数据库和文件；只恢复到空数据库，除非加 --fresh。"""
    from gridmgmt.config import get_settings
    from gridmgmt.db.backup import BackupError, restore

    try:
        done = restore(get_settings(), archive, target_db, files_dir, fresh)
    except (BackupError, NotPrivate) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"已恢复到数据库 {done.database}（{done.tables} 张表，结构版本 {done.schema or '未知'}），"
        f"文件 {done.files} 个到 {done.files_dir}"
    )
    click.echo("如本程序版本比备份新，请再运行 gridmgmt db migrate")
