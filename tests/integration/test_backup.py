"""Backups and restores on real PostgreSQL: exact round trip of every table and file, modes, rotation, refusals."""

import os
import stat
from datetime import date, datetime
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from psycopg import sql

from geodata.demo import generate
from gridmgmt.cli import main
from gridmgmt.config import get_settings
from gridmgmt.db.backup import BackupError, Server, backup, restore, user_tables
from gridmgmt.private_files import NotPrivate
from gridmgmt.services.accounts.audit import Actor, record
from gridmgmt.services.imports.demo import load_demo

RESTORED = f"{get_settings().test_db_name}_restored"
TABLES = """SELECT format('%I.%I', schemaname, tablename) FROM pg_tables
            WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"""


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _fingerprint(server: Server) -> dict[str, tuple[int, str]]:
    """Every table's row count and the md5 of its rows as text, in order; and every sequence's position."""
    with server.connect() as conn:
        tables = [row[0] for row in conn.execute(TABLES)]
        prints = {
            name: conn.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {} t"
                ).format(sql.SQL(name))
            ).fetchone()
            for name in tables
        }
        prints |= {
            f"sequence {name}": (value or 0, "")
            for name, value in conn.execute("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences")
        }
    return prints


def _drop_restored(settings) -> None:
    with Server.of(settings.admin_url_for("postgres")).connect() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(RESTORED)))


@pytest.fixture
def settings(db_url, tmp_path):
    """Settings on the test database as the app's database, with their own files folder."""
    test_db = get_settings().test_db_name
    return get_settings().model_copy(update={"db_name": test_db, "files_dir": tmp_path / "files"})


@pytest.fixture
def photos(settings) -> dict[str, bytes]:
    """Two files in the files folder, one in a subfolder."""
    files = {"photos/2026/H0001-1.jpg": b"\xff\xd8 a photo", "uploads/名单.xlsx": "表格".encode()}
    for name, data in files.items():
        (settings.files_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (settings.files_dir / name).write_bytes(data)
    return files


@pytest.fixture
def demo(session):
    """The demo township (seed 1, a year of visits) and an audit row, committed."""
    load_demo(session, generate(seed=1, until=date(2026, 7, 1)))
    record(session, Actor("admin", remote_addr="127.0.0.1"), "export_audit", detail={"rows": 1})
    session.commit()


def test_round_trip_restores_every_table_row_and_file_exactly(settings, demo, photos, tmp_path):
    _drop_restored(settings)
    before = _fingerprint(Server.of(settings.url_for()))
    assert before["public.household"][0] > 9000 and before["public.visit"][0] > 10000
    made = backup(settings, tmp_path / "backups")
    assert made.files == 2
    target = tmp_path / "restored-files"
    done = restore(settings, made.path, RESTORED, target)
    try:
        assert done.database == RESTORED and done.files == 2 and done.schema
        assert _fingerprint(Server.of(settings.url_for(RESTORED))) == before
        assert {str(p.relative_to(target)): p.read_bytes() for p in target.rglob("*") if p.is_file()} == photos
    finally:
        _drop_restored(settings)


def test_archive_is_0600_in_a_0700_folder_whatever_the_umask(settings, session, tmp_path):
    old = os.umask(0o022)
    try:
        made = backup(settings, tmp_path / "new" / "backups")
    finally:
        os.umask(old)
    assert _mode(made.path) == 0o600 and _mode(made.path.parent) == 0o700
    assert _mode(settings.files_dir) == 0o700  # the files folder is created private too
    assert [p.name for p in made.path.parent.iterdir()] == [made.path.name]  # no partial files left


def test_a_folder_others_can_read_is_refused(settings, session, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    with pytest.raises(NotPrivate, match="其他用户可以访问"):
        backup(settings, shared)
    assert list(shared.iterdir()) == []


def test_only_the_newest_keep_archives_stay(settings, session, tmp_path):
    folder = tmp_path / "backups"
    made = [backup(settings, folder, keep=2, at=datetime(2026, 12, day, 2, 30)) for day in (1, 2, 3, 4)]
    (folder / "notes.txt").write_text("not a backup")
    assert made[2].removed == [made[0].path] and made[3].removed == [made[1].path]
    assert sorted(p.name for p in folder.iterdir()) == [
        "gridmgmt-20261203-023000.tar",
        "gridmgmt-20261204-023000.tar",
        "notes.txt",
    ]
    with pytest.raises(BackupError, match="已存在"):
        backup(settings, folder, at=datetime(2026, 12, 4, 2, 30))


def test_restore_refuses_a_database_with_data_and_changes_nothing(settings, demo, photos, tmp_path):
    _drop_restored(settings)
    made = backup(settings, tmp_path / "backups")
    server = Server.of(settings.url_for())
    before = _fingerprint(server)
    with pytest.raises(BackupError, match="不是空库.*已拒绝恢复，未做任何改动"):
        restore(settings, made.path)
    assert _fingerprint(server) == before
    with pytest.raises(BackupError, match="文件目录 .* 不是空的"):
        restore(settings, made.path, RESTORED)  # an empty database, but the live files folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "files"]
    assert {str(p.relative_to(settings.files_dir)) for p in settings.files_dir.rglob("*") if p.is_file()} == set(photos)


def test_restore_refuses_a_damaged_archive(settings, session, tmp_path):
    made = backup(settings, tmp_path / "backups")
    data = bytearray(made.path.read_bytes())
    data[-20000] ^= 0xFF  # inside the dump, after the manifest
    broken = tmp_path / "broken.tar"
    broken.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="已损坏|不是 gridmgmt 备份文件"):
        restore(settings, broken, RESTORED, tmp_path / "f")
    with pytest.raises(BackupError, match="备份文件不存在"):
        restore(settings, tmp_path / "missing.tar", RESTORED)


def test_fresh_replaces_a_database_and_keeps_the_old_files_aside(settings, session, photos, tmp_path):
    _drop_restored(settings)
    made = backup(settings, tmp_path / "backups")
    target = tmp_path / "restored-files"
    try:
        restore(settings, made.path, RESTORED, target)
        (target / "later.txt").write_text("added after the restore")
        again = restore(settings, made.path, RESTORED, target, fresh=True)
        assert again.files == 2 and not (target / "later.txt").exists()
        kept = [p for p in tmp_path.iterdir() if p.name.startswith("restored-files.before-restore-")]
        assert len(kept) == 1 and (kept[0] / "later.txt").exists()
        assert user_tables(Server.of(settings.url_for(RESTORED))) == user_tables(Server.of(settings.url_for()))
    finally:
        _drop_restored(settings)


def test_the_password_goes_to_the_environment_never_to_the_command_line():
    server = Server.of("postgresql+psycopg://app:s3cret%21@db.example:6432/grid?sslmode=require")
    assert "s3cret" not in server.conninfo
    assert {"host=db.example", "port=6432", "user=app", "dbname=grid", "sslmode=require"} <= set(
        server.conninfo.split()
    )
    assert server.env()["PGPASSWORD"] == "s3cret!" and server.database == "grid"


def test_finding_12_the_cli_backs_up_privately_and_restores(db_url, session, tmp_path, monkeypatch):
    """Finding 12: there was no backup command, and a manual pg_dump was world-readable (0644)."""
    monkeypatch.setenv("GRIDMGMT_DB_NAME", get_settings().test_db_name)
    monkeypatch.setenv("GRIDMGMT_FILES_DIR", str(tmp_path / "files"))
    get_settings.cache_clear()
    try:
        old = os.umask(0o022)
        try:
            made = CliRunner().invoke(main, ["db", "backup", "-o", str(tmp_path / "b"), "--keep", "3"])
        finally:
            os.umask(old)
        assert made.exit_code == 0, made.output
        [archive] = (tmp_path / "b").iterdir()
        assert _mode(archive) == 0o600 and _mode(tmp_path / "b") == 0o700 and "已备份到" in made.output
        refused = CliRunner().invoke(main, ["db", "restore", str(archive)])
        assert refused.exit_code == 1 and "不是空库" in refused.output
    finally:
        get_settings.cache_clear()
