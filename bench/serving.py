"""Plumbing of the serving benchmarks: the county database, live servers, logins, report rows."""

import html
import http.client
import os
import re
import secrets
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import func, select

from bench.common import BIN, gridmgmt
from gridmgmt.cli.serve import PRODUCTION_THREADS, default_workers
from gridmgmt.config import PROJECT_ROOT, get_settings
from gridmgmt.db.cluster import ensure_database, free_port
from gridmgmt.db.migrate import upgrade
from gridmgmt.db.models import AppUser, Household, Township
from gridmgmt.db.session import make_session
from gridmgmt.services.accounts.actors import Actor
from gridmgmt.services.accounts.users import add_user, set_password

DB = "gridmgmt_bench_tiles"
USERNAME = "bench-admin"
PLANNER = "bench-planner"
# The county demo has ~200,000 households; fewer means the database holds something else.
COUNTY_MIN_HOUSEHOLDS = 150_000
START_TIMEOUT_S = 60
CADDY = Path("/usr/bin/caddy")
CADDYFILE = PROJECT_ROOT / "deploy" / "Caddyfile.intranet"
CERTUTIL = Path("/usr/bin/certutil")
STOP_TIMEOUT_S = 10


@dataclass
class Figure:
    """One measured figure of ours beside the baseline's, as a Markdown table row."""

    name: str
    ours: float
    baseline_name: str
    baseline: float
    unit: str
    target: str
    met: bool
    note: str = ""

    def line(self) -> str:
        """A row of the bench table: | name | ours | baseline | ratio | target | note |."""
        ok = "✓" if self.met else "✗"
        return (
            f"| {self.name} | {self.ours:,.1f} {self.unit} | {self.baseline_name}: "
            f"{self.baseline:,.1f} {self.unit} | {self.ours / self.baseline:.2f}× "
            f"| {self.target} {ok} | {self.note} |"
        )


def county_database() -> tuple[str, str]:
    """URL of the county demo database (filled once, then reused) and a fresh password of
    the bench users: USERNAME (admin) and PLANNER (planner of the first township)."""
    settings = get_settings()
    ensure_database(settings, DB)
    url = settings.url_for(DB)
    upgrade(url)
    gridmgmt(DB, "demo", "--scale", "county", "--if-empty")
    password = secrets.token_urlsafe(12)
    with make_session(url) as session:
        if session.scalar(select(func.count()).select_from(Household)) < COUNTY_MIN_HOUSEHOLDS:
            raise SystemExit(f"数据库 {DB} 中不是县级演示数据：请删除该数据库后重跑")
        township = session.scalar(select(Township.code).order_by(Township.code))
        for username, role, code in ((USERNAME, "admin", None), (PLANNER, "planner", township)):
            if session.scalar(select(AppUser.id).where(AppUser.username == username)):
                set_password(session, username, password, actor=Actor("bench"))
            else:
                add_user(session, username, role, password, township_code=code, actor=Actor("bench"))
    return url, password


class Server:
    """A server subprocess on 127.0.0.1:PORT, stopped on leaving the `with` block.

    "{port}" in ARGS and in ENV's values stands for PORT, a free one.
    """

    def __init__(self, name: str, args: list[str], env: dict[str, str]):
        self.name = name
        self.port = free_port()
        argv = [arg.replace("{port}", str(self.port)) for arg in args]
        env = {key: value.replace("{port}", str(self.port)) for key, value in env.items()}
        # A file, not a pipe: a server logging every request would fill a pipe nobody reads.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop(), it outlives this call
        self.process = subprocess.Popen(argv, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=self.log)

    def __enter__(self) -> "Server":
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise SystemExit(f"{self.name} 未能启动：{self.log.read().decode()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"{self.name} 在 {START_TIMEOUT_S} 秒内未开始监听")

    def __exit__(self, *_exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:  # gunicorn waits for busy workers: do not
            self.process.kill()
            self.process.wait()
        self.log.close()


class Caddy(Server):
    """Caddy on deploy/Caddyfile.intranet (`tls internal`) serving HOST in front of the app on
    127.0.0.1:UPSTREAM, its state in FOLDER; ready once its certificate for HOST is issued.

    PORT is its HTTPS port, HTTP_PORT its plain one, ROOT its local root CA certificate.
    """

    def __init__(self, upstream: int, folder: Path, host: str):
        data = folder / "caddy-data"
        authority = data / "caddy" / "pki" / "authorities" / "local"
        self.host = host
        self.root = authority / "root.crt"
        self.http_port = free_port()
        super().__init__(
            "caddy",
            [str(CADDY), "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
            {
                "XDG_DATA_HOME": str(data),
                "XDG_CONFIG_HOME": str(folder / "caddy-config"),
                "HOME": str(folder),
                "CADDY_ADMIN": f"localhost:{free_port()}",
                "CADDY_CA_DIR": str(authority),
                "CADDY_HTTP_PORT": str(self.http_port),
                "CADDY_HTTPS_PORT": "{port}",
                "GRIDMGMT_HOST": host,
                "GRIDMGMT_UPSTREAM": f"127.0.0.1:{upstream}",
                "GRIDMGMT_UPSTREAM_CONNECTIONS": str(default_workers() * PRODUCTION_THREADS),
            },
        )

    def __enter__(self) -> "Caddy":
        super().__enter__()
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                context = ssl.create_default_context(cafile=str(self.root))
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
                    context.wrap_socket(sock, server_hostname=self.host).close()
                return self
            except (OSError, ssl.SSLError):
                time.sleep(0.3)
        self.__exit__()
        raise SystemExit(f"Caddy 在 {START_TIMEOUT_S} 秒内没有给出 {self.host} 的证书")


def trusting_home(root: Path, home: Path) -> Path:
    """HOME for a Chromium whose NSS database trusts the root certificate ROOT, as a phone
    does once its user installs it (http://NAME/gridmgmt-ca.crt)."""
    nssdb = home / ".pki" / "nssdb"
    nssdb.mkdir(parents=True)
    certutil = [str(CERTUTIL), "-d", f"sql:{nssdb}"]
    subprocess.run([*certutil, "-N", "--empty-password"], check=True)
    subprocess.run([*certutil, "-A", "-t", "C,,", "-n", "Caddy Local Authority", "-i", str(root)], check=True)
    return home


def ours() -> Server:
    """Our app under waitress (`gridmgmt serve`) on the county database."""
    return Server("gridmgmt serve", [str(BIN / "gridmgmt"), "serve", "--port", "{port}"], {"GRIDMGMT_DB_NAME": DB})


def tipg(url: str) -> Server:
    """tipg under uvicorn, serving the household table of the same database."""
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    return Server(
        "tipg",
        [str(BIN / "uvicorn"), "tipg.main:app", "--host", "127.0.0.1", "--port", "{port}", "--log-level", "warning"],
        {"DATABASE_URL": dsn, "TIPG_DB_SCHEMAS": '["public"]', "TIPG_DB_TABLES": '["public.household"]'},
    )


def log_in(port: int, password: str, username: str = USERNAME) -> str:
    """The Cookie header of a session logged in as USERNAME (the bench admin) through the login form."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login")
    response = conn.getresponse()
    form = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = html.unescape(re.search(r'name="csrf_token" value="([^"]+)"', form).group(1))
    body = urlencode({"csrf_token": token, "username": username, "password": password})
    conn.request(
        "POST", "/login", body=body, headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    )
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        raise SystemExit(f"基准测试账号登录失败：HTTP {response.status}")
    return response.getheader("Set-Cookie").split(";")[0]


def production() -> Server:
    """Our app under the production server (`gridmgmt serve --production`)."""
    return Server(
        "gridmgmt serve --production",
        [str(BIN / "gridmgmt"), "serve", "--production", "--port", "{port}"],
        {"GRIDMGMT_DB_NAME": DB},
    )


def other_candidate() -> Server:
    """Our app under gunicorn, the multi-process server not chosen: as many workers and threads."""
    return Server(
        "gunicorn",
        [
            str(BIN / "gunicorn"),
            "--workers",
            str(default_workers()),
            "--worker-class",
            "gthread",
            "--threads",
            str(PRODUCTION_THREADS),
            "--bind",
            "127.0.0.1:{port}",
            "--no-control-socket",
            "web:create_app()",
        ],
        {"GRIDMGMT_DB_NAME": DB},
    )
