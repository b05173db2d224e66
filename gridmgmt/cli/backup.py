"""`gridmgmt db backup` and `gridmgmt db restore`: registered into the `db` group."""
from pathlib import Path

import click

from gridmgmt.config import get_settings
from gridmgmt.db.backup import DEFAULT_KEEP, BackupError, backup, restore
from gridmgmt.private_files import NotPrivate


@click.command("backup")
@click.option("-o", "--output", "folder", type=click.Path(path_type=Path, file_okay=False),
              help="备份目录（默认 var/backups；新建为 0700，已有目录须只有属主可访问）")
@click.option("--keep", type=click.IntRange(1), default=DEFAULT_KEEP, show_default=True,
              help="保留最新的几份备份，更早的删除")
def backup_command(folder: Path | None, keep: int) -> None:
    """备份数据库（pg_dump 自定义格式）和文件目录（照片、上传文件）到一个按时间命名的 0600 文件。"""
    try:
        made = backup(get_settings(), folder, keep)
    except (BackupError, NotPrivate) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已备份到 {made.path}（{made.size / 1e6:.1f} MB，含文件 {made.files} 个）")
    for old in made.removed:
        click.echo(f"已删除旧备份 {old.name}")


@click.command("restore")
@click.argument("archive", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--target-db", help="恢复到该数据库（默认本系统的数据库；不存在则新建）")
@click.option("--files-dir", type=click.Path(path_type=Path, file_okay=False),
              help="文件恢复到该目录（默认 GRIDMGMT_FILES_DIR，即 var/files）")
@click.option("--fresh", is_flag=True,
              help="目标数据库已有数据时删除并重建它，文件目录非空时改名保留后再恢复（默认拒绝）")
def restore_command(archive: Path, target_db: str | None, files_dir: Path | None, fresh: bool) -> None:
    """从备份文件 ARCHIVE 恢复数据库和文件；只恢复到空数据库，除非加 --fresh。"""
    try:
        done = restore(get_settings(), archive, target_db, files_dir, fresh)
    except (BackupError, NotPrivate) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已恢复到数据库 {done.database}（{done.tables} 张表，结构版本 {done.schema or '未知'}），"
               f"文件 {done.files} 个到 {done.files_dir}")
    click.echo("如本程序版本比备份新，请再运行 gridmgmt db migrate")
