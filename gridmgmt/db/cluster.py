"""The project-local PostgreSQL cluster under var/, used when no server URL is set.

Logins are scram-sha-256 over loopback TCP with generated passwords (var/secrets). The app
connects as its own role, which owns its databases but is no superuser; the cluster
superuser only creates databases and extensions.
"""

import hashlib
import os
import pwd
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from gridmgmt.config import Settings
from gridmgmt.db.roles import connect, secure_roles
from gridmgmt.keys import ensure_secret

# PostgreSQL refuses to run as root; as root we hand the cluster to this account.
SERVICE_ACCOUNT = "postgres"
HBA = """\
# Written by `gridmgmt db up`: password logins (scram-sha-256) over loopback TCP only.
host all all 127.0.0.1/32 scram-sha-256
host all all ::1/128 scram-sha-256
"""
# Not trusted extensions: only a superuser may create them.
EXTENSIONS = ("postgis", "pgrouting")
SETUP_LOCK = 0x67726964  # pg_advisory_lock key of LocalCluster.up: "grid"
SERVER_OPTIONS = {
    "listen_addresses": "'127.0.0.1'",
    "shared_buffers": "'512MB'",
    "work_mem": "'64MB'",
    "maintenance_work_mem": "'512MB'",
    # A visit answered 201 must survive a crash: never "off".
    "synchronous_commit": "on",
    "max_wal_size": "'2GB'",
    "timezone": "'Asia/Shanghai'",
}


class ClusterError(RuntimeError):
    """The local cluster could not be created, started or reached."""


@dataclass(frozen=True)
class LocalCluster:
    """A PostgreSQL data directory under var/pg with its own port and socket."""

    settings: Settings

    @property
    def root(self) -> Path:
        """Folder holding data and log: var/pg, or a system folder when root's
        checkout is not reachable by the service account (e.g. a 0700 temp dir)."""
        local = self.settings.var_dir / "pg"
        if os.geteuid() != 0 or _reachable_by_service(local):
            return local
        digest = hashlib.sha1(str(local).encode()).hexdigest()[:12]
        return Path("/var/tmp") / f"gridmgmt-{digest}" / "pg"

    @property
    def data_dir(self) -> Path:
        """The PGDATA folder."""
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        """Server log written by pg_ctl."""
        return self.root / "server.log"

    def status(self) -> str:
        """'running', 'stopped' or 'absent'."""
        if not (self.data_dir / "PG_VERSION").exists():
            return "absent"
        done = self._run("pg_ctl", "status", "-D", str(self.data_dir), check=False)
        return "running" if done.returncode == 0 else "stopped"

    def up(self) -> bool:
        """Create the cluster if needed, start it, secure it, and make sure the databases exist.

        Returns True when it converted a cluster of earlier versions (trust logins, the
        superuser owning everything).
        """
        state = self.status()
        if state == "absent":
            self._init()
        if state != "running":
            self._start()
        with self._setup_lock():
            converted = self._secure()
            for name in (self.settings.db_name, self.settings.test_db_name):
                ensure_database(self.settings, name)
        return converted

    def down(self, mode: str = "fast") -> None:
        """Stop the server if it runs; MODE is pg_ctl's: smart, fast or immediate (a crash)."""
        if self.status() == "running":
            self._run("pg_ctl", "stop", "-D", str(self.data_dir), "-m", mode, "-w")

    def remove(self) -> None:
        """Stop the server at once and delete the cluster (a scratch cluster's end)."""
        self.down("immediate")
        shutil.rmtree(self.root, ignore_errors=True)
        if self.root.parent != self.settings.var_dir:  # the system folder made for it (see root)
            shutil.rmtree(self.root.parent, ignore_errors=True)

    def _init(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        password = ensure_secret(self.settings.password_file(self.settings.pg_admin_user))
        # initdb runs as the service account, which cannot read var/secrets.
        pwfile = self.root / "initdb.pw"
        pwfile.touch(mode=0o600)
        pwfile.chmod(0o600)
        pwfile.write_text(password + "\n", encoding="utf-8")
        self._hand_over(self.root)
        try:
            self._run(
                "initdb",
                "-D",
                str(self.data_dir),
                "-U",
                self.settings.pg_admin_user,
                "--auth=scram-sha-256",
                f"--pwfile={pwfile}",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            )
        finally:
            pwfile.unlink()
        conf = "\n".join(f"{k} = {v}" for k, v in SERVER_OPTIONS.items())
        with open(self.data_dir / "postgresql.auto.conf", "a", encoding="utf-8") as fh:
            fh.write(conf + "\n")
        self._hba.write_text(HBA, encoding="utf-8")

    @property
    def _hba(self) -> Path:
        return self.data_dir / "pg_hba.conf"

    @contextmanager
    def _setup_lock(self) -> Iterator[None]:
        # Every `up` alters the same role rows: two at once (pytest-xdist workers starting, two
        # commands) failed one with "tuple concurrently updated". The lock goes with its connection.
        try:
            conn = connect(self.settings.admin_url_for())
        except psycopg.OperationalError as exc:
            raise self._no_admin_login(exc) from exc
        with conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (SETUP_LOCK,))
            yield

    def _no_admin_login(self, exc: psycopg.OperationalError) -> ClusterError:
        where = self.settings.secrets_dir
        return ClusterError(f"无法以集群管理员身份登录本地集群（密码文件在 {where}）：{exc}")

    def _secure(self) -> bool:
        # Roles and passwords first, while a trust cluster still lets the superuser in without one.
        trusting = any(
            "trust" in line.split() for line in self._hba.read_text().splitlines() if not line.lstrip().startswith("#")
        )
        try:
            secure_roles(self.settings, SERVER_OPTIONS, hand_over=trusting)
        except psycopg.OperationalError as exc:
            raise self._no_admin_login(exc) from exc
        if trusting:
            self._hba.write_text(HBA, encoding="utf-8")
        self._run("pg_ctl", "reload", "-D", str(self.data_dir))
        return trusting

    def _start(self) -> None:
        # TCP on loopback only: a socket path under a deep checkout can exceed 107 bytes.
        opts = f"-p {self.settings.pg_port} -c unix_socket_directories=''"
        done = self._run(
            "pg_ctl",
            "start",
            "-D",
            str(self.data_dir),
            "-l",
            str(self.log_file),
            "-o",
            opts,
            "-w",
            "-t",
            "60",
            check=False,
        )
        if done.returncode != 0:
            tail = self.log_file.read_text(errors="replace")[-2000:] if self.log_file.exists() else ""
            raise ClusterError(f"数据库启动失败 (pg_ctl exit {done.returncode}):\n{done.stderr}\n{tail}")

    def _hand_over(self, path: Path) -> None:
        if os.geteuid() == 0:
            account = pwd.getpwnam(SERVICE_ACCOUNT)
            for p in [path, *path.rglob("*")]:
                os.chown(p, account.pw_uid, account.pw_gid)

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        user = SERVICE_ACCOUNT if os.geteuid() == 0 else None
        done = subprocess.run(
            [str(pg_bindir() / tool), *args],
            user=user,
            capture_output=True,
            text=True,
            cwd="/",
        )
        if check and done.returncode != 0:
            raise ClusterError(f"{tool} 失败 (exit {done.returncode}): {done.stderr.strip()}")
        return done


def scratch_cluster(folder: Path) -> LocalCluster:
    """A cluster of its own under FOLDER on a free loopback port: one to stop and crash on purpose."""
    return LocalCluster(Settings(database_url=None, var_dir=folder, pg_port=free_port()))


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _reachable_by_service(path: Path) -> bool:
    existing = next(p for p in [path, *path.parents] if p.exists())
    # Searching a folder needs search rights on every folder above it too.
    probe = subprocess.run(["test", "-x", str(existing)], user=SERVICE_ACCOUNT, check=False)
    return probe.returncode == 0


def pg_bindir() -> Path:
    """The bin folder of the newest installed PostgreSQL that has PostGIS."""
    versions = sorted(
        (p for p in Path("/usr/lib/postgresql").glob("*/bin") if p.parent.name.isdigit()),
        key=lambda p: int(p.parent.name),
        reverse=True,
    )
    for bindir in versions:
        if Path(f"/usr/share/postgresql/{bindir.parent.name}/extension/postgis.control").exists():
            return bindir
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    raise ClusterError("未找到 PostgreSQL/PostGIS：请先运行 make setup")


def ensure_database(settings: Settings, name: str) -> None:
    """Create database NAME if it does not exist yet.

    On the local cluster it belongs to the app's role and gets PostGIS and pgRouting from
    the superuser (the app's migrations then find them there).
    """
    local = not settings.database_url
    with connect(settings.admin_url_for()) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not found:
            owner = sql.SQL(" OWNER {}").format(sql.Identifier(settings.pg_user)) if local else sql.SQL("")
            conn.execute(sql.SQL("CREATE DATABASE {}{}").format(sql.Identifier(name), owner))
    if local:
        with connect(settings.admin_url_for(name)) as conn:
            for extension in EXTENSIONS:
                conn.execute(sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(sql.Identifier(extension)))
