"""Backups: the database (pg_dump custom format) and the files folder in one private archive, and restores.

An archive gridmgmt-YYYYMMDD-HHMMSS.tar holds manifest.json, db.dump and files/. It is written 0600 in
a 0700 folder; the newest N are kept. A restore goes into an empty database only.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import make_url

from gridmgmt.config import Settings
from gridmgmt.db.cluster import EXTENSIONS, ensure_database, pg_bindir
from gridmgmt.db.migrate import EXTENSION_TABLES
from gridmgmt.domain.limits import DEFAULT_KEEP
from gridmgmt.private_files import FILE_MODE, private_dir, write_private

ARCHIVE = re.compile(r"gridmgmt-\d{8}-\d{6}\.tar")
DUMP, MANIFEST, FILES = "db.dump", "manifest.json", "files"
# Tables of the database's own schemas; tables that belong to an extension (spatial_ref_sys) do not count.
USER_TABLES = """
SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND NOT EXISTS (
    SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')"""


class BackupError(RuntimeError):
    """A backup or restore was not made; the message (Chinese) says why and what was left untouched."""


@dataclass(frozen=True)
class Server:
    """How pg_dump, pg_restore and psycopg reach one database: a conninfo without the password, and the password."""

    conninfo: str
    password: str | None
    database: str

    @classmethod
    def of(cls, url: str) -> "Server":
        """The database of a SQLAlchemy URL (Settings.url_for)."""
        parts = make_url(url)
        params = {"dbname": parts.database, "host": parts.host, "port": parts.port, "user": parts.username}
        params |= {k: v for k, v in parts.query.items() if isinstance(v, str)}  # sslmode=…
        return cls(
            make_conninfo(**{k: str(v) for k, v in params.items() if v is not None}), parts.password, parts.database
        )

    def env(self) -> dict[str, str]:
        """The environment for a PostgreSQL tool: the password travels here, never on its command line."""
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self) -> psycopg.Connection:
        """An autocommit connection to this database."""
        return psycopg.connect(self.conninfo, password=self.password, autocommit=True)


@dataclass(frozen=True)
class Backup:
    """A written archive, its size, how many files it holds, and the older archives removed."""

    path: Path
    size: int
    files: int
    removed: list[Path]


@dataclass(frozen=True)
class Restored:
    """Where an archive went: the database, its tables, the files folder and how many files."""

    database: str
    tables: int
    files_dir: Path
    files: int
    schema: str | None


def _tool(name: str, server: Server | None, *args: str) -> str:
    """Run the PostgreSQL tool NAME on SERVER (None: no database); its output."""
    target = ["--dbname", server.conninfo] if server else []
    done = subprocess.run(
        [str(pg_bindir() / name), *args, *target],
        env=server.env() if server else None,
        capture_output=True,
        text=True,
        cwd="/",
    )
    if done.returncode != 0:
        raise BackupError(f"{name} 失败（exit {done.returncode}）：{done.stderr.strip()}")
    return done.stdout


def _contents_without_extensions(dump: Path) -> Path:
    """The dump's table of contents minus its extensions, their comments and their tables' rows,
    as a pg_restore -L file.

    The extensions are made beforehand (by the superuser on the local cluster) with their
    own rows; only their owner may write those: the app's role restores everything else.
    """
    extension_rows = tuple(f" TABLE DATA public {name} " for name in EXTENSION_TABLES)
    keep = [
        line
        for line in _tool("pg_restore", None, "--list", str(dump)).splitlines()
        if " EXTENSION " not in line and not any(rows in line for rows in extension_rows)
    ]
    listing = dump.with_suffix(".list")
    listing.write_text("\n".join(keep) + "\n", encoding="utf-8")
    return listing


def _schema(server: Server) -> str | None:
    with server.connect() as conn:
        found = conn.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()[0]
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] if found else None


def backup(
    settings: Settings, folder: Path | None = None, keep: int = DEFAULT_KEEP, at: datetime | None = None
) -> Backup:
    """Archive the database and the files folder into FOLDER (default var/backups); keep the newest KEEP."""
    if keep < 1:
        raise BackupError("--keep 至少为 1")
    folder = private_dir(folder or settings.var_dir / "backups")
    files = settings.files_dir if settings.files_dir.exists() else private_dir(settings.files_dir)
    path = folder / f"gridmgmt-{(at or datetime.now()):%Y%m%d-%H%M%S}.tar"
    if path.exists():
        raise BackupError(f"备份 {path} 已存在，未覆盖")
    server = Server.of(settings.url_for())
    dump, partial = folder / f".{path.stem}.dump.partial", folder / f".{path.name}.partial"
    try:
        write_private(dump, b"")
        _tool("pg_dump", server, "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump))
        manifest = {
            "format": 1,
            "created": datetime.now().astimezone().isoformat(timespec="seconds"),
            "database": server.database,
            "schema": _schema(server),
            "dump_sha256": _sha256(dump),
        }
        count = _write_archive(partial, manifest, dump, files)
        partial.replace(path)
    finally:
        dump.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)
    return Backup(path, path.stat().st_size, count, rotate(folder, keep))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _write_archive(path: Path, manifest: dict, dump: Path, files: Path) -> int:
    """Write the archive at PATH (0600, synced to disk); returns how many files of FILES it holds."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "wb") as fh:
        with tarfile.open(fileobj=fh, mode="w", format=tarfile.PAX_FORMAT) as tar:
            text = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(text), FILE_MODE, int(datetime.now().timestamp())
            tar.addfile(info, BytesIO(text))
            tar.add(dump, arcname=DUMP)
            tar.add(files, arcname=FILES)
            count = sum(1 for m in tar.getmembers() if m.isfile() and m.name.startswith(f"{FILES}/"))
        fh.flush()
        os.fsync(fh.fileno())
    return count


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest KEEP archives in FOLDER (by the time in their names); the deleted ones."""
    archives = sorted(p for p in folder.iterdir() if ARCHIVE.fullmatch(p.name))
    old = archives[:-keep]
    for path in old:
        path.unlink()
    return old


def user_tables(server: Server) -> int:
    """How many tables the database holds besides those of its extensions."""
    with server.connect() as conn:
        return conn.execute(USER_TABLES).fetchone()[0]


def _exists(settings: Settings, name: str) -> bool:
    with Server.of(settings.admin_url_for("postgres")).connect() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def _drop(settings: Settings, name: str) -> None:
    try:
        with Server.of(settings.admin_url_for("postgres")).connect() as conn:
            conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        raise BackupError(f"无法删除数据库 {name}：{exc}（请先停止 gridmgmt serve 等仍在连接的程序）") from exc


def restore(
    settings: Settings, archive: Path, database: str | None = None, files_dir: Path | None = None, fresh: bool = False
) -> Restored:
    """Restore ARCHIVE into DATABASE (default the app's) and FILES_DIR (default Settings.files_dir).

    Both must be empty; FRESH drops the database and moves the files folder aside first.
    """
    archive, files_dir = Path(archive), Path(files_dir or settings.files_dir)
    server = Server.of(settings.url_for(database))
    # mkdtemp makes the work folder 0700
    with tempfile.TemporaryDirectory(prefix="gridmgmt-restore-") as work, _open(archive) as tar:
        manifest, dump = _unpack_dump(tar, Path(work))
        _refuse_unless_empty(settings, server, files_dir, fresh)
        _make_empty(settings, server.database, files_dir)
        _tool(
            "pg_restore",
            server,
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            "--use-list",
            str(_contents_without_extensions(dump)),
            str(dump),
        )
        count = _unpack_files(tar, files_dir)
    return Restored(server.database, user_tables(server), files_dir, count, manifest.get("schema"))


def _open(archive: Path) -> tarfile.TarFile:
    if not archive.is_file():
        raise BackupError(f"备份文件不存在：{archive}")
    try:
        return tarfile.open(archive, mode="r:")
    except tarfile.TarError as exc:
        raise BackupError(f"{archive} 不是 gridmgmt 备份文件：{exc}") from exc


def _unpack_dump(tar: tarfile.TarFile, work: Path) -> tuple[dict, Path]:
    """The manifest and the database dump, written into WORK and checked against the manifest's digest."""
    names = set(tar.getnames())
    if not {MANIFEST, DUMP} <= names:
        raise BackupError(f"{tar.name} 不是 gridmgmt 备份文件：缺少 {MANIFEST} 或 {DUMP}")
    manifest = json.loads(tar.extractfile(MANIFEST).read())
    dump = work / DUMP
    with tar.extractfile(DUMP) as src, open(dump, "wb") as out:
        shutil.copyfileobj(src, out)
    if _sha256(dump) != manifest.get("dump_sha256"):
        raise BackupError(f"{tar.name} 已损坏：数据库转储的校验和与清单不符，未做任何改动")
    return manifest, dump


def _refuse_unless_empty(settings: Settings, server: Server, files_dir: Path, fresh: bool) -> None:
    """Refuse (BackupError) before any change when the target database or files folder holds anything."""
    if fresh:
        return
    if _exists(settings, server.database) and (tables := user_tables(server)):
        raise BackupError(
            f"目标数据库 {server.database} 不是空库（已有 {tables} 张表），已拒绝恢复，未做任何改动。"
            "请用 --target-db 恢复到新的数据库，或确认要覆盖后加 --fresh（删除并重建该数据库）"
        )
    if files_dir.exists() and any(files_dir.iterdir()):
        raise BackupError(
            f"文件目录 {files_dir} 不是空的，已拒绝恢复，未做任何改动。"
            "请用 --files-dir 指定空目录，或加 --fresh（原目录改名保留）"
        )


def _make_empty(settings: Settings, database: str, files_dir: Path) -> None:
    """An empty DATABASE and an empty FILES_DIR: a non-empty one is dropped, a non-empty folder moved aside."""
    if _exists(settings, database) and user_tables(Server.of(settings.url_for(database))):
        _drop(settings, database)
    ensure_database(settings, database)
    if settings.database_url:  # on the local cluster ensure_database had the superuser make them
        with Server.of(settings.url_for(database)).connect() as conn:
            for extension in EXTENSIONS:
                conn.execute(sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(sql.Identifier(extension)))
    if files_dir.exists() and any(files_dir.iterdir()):
        files_dir.rename(files_dir.with_name(f"{files_dir.name}.before-restore-{datetime.now():%Y%m%d-%H%M%S}"))
    private_dir(files_dir)


def _unpack_files(tar: tarfile.TarFile, files_dir: Path) -> int:
    """Extract files/… of the archive into FILES_DIR; the data filter refuses links and paths leaving it."""
    members = []
    for member in tar.getmembers():
        if member.name.startswith(f"{FILES}/"):
            member.name = member.name[len(FILES) + 1 :]
            members.append(member)
    tar.extractall(files_dir, members=members, filter="data")
    return sum(1 for m in members if m.isfile())
