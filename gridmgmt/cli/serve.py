"""`gridmgmt serve`: the web app under waitress, or `--production` under granian (behind Caddy).

granian, not gunicorn: with as many workers and threads, it answered 200 concurrent mixed
GETs with a lower p95 and more requests per second on the 2-core machine (bench/concurrency.py).
"""

import ipaddress
import logging.config
import os
import socket

import click

from gridmgmt.cli import help_text
from gridmgmt.cli.checks import Whole
from gridmgmt.cli.layout import Command
from gridmgmt.config import Settings, get_settings
from gridmgmt.keys import MIN_SESSION_KEY, ensure_secret

MEGABYTE = 1024 * 1024
# Threads per worker: while one waits on PostgreSQL, another runs Python.
PRODUCTION_THREADS = 4
# Warnings, and the request log (web/serving.py), to standard error: the journal under systemd.
# granian applies it in each worker process too.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {"gridmgmt.request": {"level": "INFO"}},
}


def default_workers() -> int:
    """Worker processes for this machine: one per core plus one, which waits on the database."""
    return (os.cpu_count() or 1) + 1


@click.command(
    cls=Command, help=help_text("serve", "默认只在本机访问；向其他电脑开放须先运行 gridmgmt init 生成会话密钥。")
)
@click.option("--host", default="127.0.0.1", show_default=True, metavar="地址", help="监听地址")
@click.option("--port", default=8000, show_default=True, type=Whole(1, 65535), help="端口")
@click.option(
    "--production", is_flag=True, help="生产模式：多进程服务，置于反向代理（HTTPS）之后；部署步骤见部署说明文档"
)
@click.option("--workers", type=Whole(1, 64), default=None, help="生产模式的工作进程数（默认为处理器核数加一）")
def serve(host: str, port: int, production: bool, workers: int | None) -> None:
    """Serve the web app, under waitress or (PRODUCTION) granian, until interrupted."""
    settings = get_settings()
    leaflet = settings.node_modules / "leaflet" / "dist" / "leaflet.js"
    if not leaflet.is_file():
        raise click.ClickException(f"前端资源未安装（缺少 {leaflet}）：请先运行 make setup")
    _require_session_key(settings, host)
    logging.config.dictConfig(LOGGING)
    if production:
        _granian(host, port, workers or default_workers())
    else:
        _waitress(host, port)


def _waitress(host: str, port: int) -> None:
    # Imported here so that the other commands start without Flask and folium.
    from waitress import create_server

    from web import create_app

    # Waitress reads a whole body before the app sees it: cap it at the app's own limit.
    body_limit = get_settings().max_request_mb * MEGABYTE
    try:
        server = create_server(create_app(), host=host, port=port, max_request_body_size=body_limit)
    except OSError as exc:
        raise click.ClickException(f"无法监听 {host}:{port}：{exc.strerror}") from exc
    click.echo(f"gridmgmt 已启动：http://{host}:{port}")
    server.run()


def _require_free(host: str, port: int) -> None:
    """Raise a ClickException when HOST:PORT cannot be listened on (granian would panic)."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.bind(address)
    except OSError as exc:
        raise click.ClickException(f"无法监听 {host}:{port}：{exc.strerror}") from exc


def _granian(host: str, port: int, workers: int) -> None:
    from granian import Granian
    from granian.constants import Interfaces

    from web import create_app

    # Built once here so that a bad setting stops the command, rather than every worker
    # failing and being respawned forever; the forked workers also start with web imported.
    try:
        create_app()
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    _require_free(host, port)
    click.echo(
        f"gridmgmt 生产服务：http://{host}:{port}，{workers} 个工作进程（请经 Caddy 以 HTTPS 访问；"
        f"Caddy 的 GRIDMGMT_UPSTREAM_CONNECTIONS 应为 {workers * PRODUCTION_THREADS}）"
    )
    Granian(
        "web:create_app",
        factory=True,
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=PRODUCTION_THREADS,
        respawn_failed_workers=True,
        websockets=False,
        log_dictconfig=LOGGING,
    ).serve()


def _require_session_key(settings: Settings, host: str) -> None:
    """Beyond this machine only with a real key; on loopback one is generated when missing."""
    key = settings.session_key()
    if _is_loopback(host):
        if key is None:
            ensure_secret(settings.secret_key_file)
            click.echo(f"已生成会话密钥：{settings.secret_key_file}")
        return
    if key is None or len(key) < MIN_SESSION_KEY:
        raise click.ClickException(
            f"监听 {host} 会向其他电脑开放，必须先配置会话密钥（至少 {MIN_SESSION_KEY} 个字符）："
            f"请运行 gridmgmt init 生成 {settings.secret_key_file}，或设置 GRIDMGMT_SECRET_KEY"
        )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False
