"""`gridmgmt serve`: the web app under waitress, or `--production` under gunicorn (behind Caddy)."""
import logging
import os

import click

from gridmgmt.config import get_settings

MEGABYTE = 1024 * 1024
# Seconds a worker may spend on one request (a county's PDF map) before gunicorn restarts it.
WORKER_TIMEOUT_S = 120
# Threads per worker: while one waits on PostgreSQL, another runs Python.
PRODUCTION_THREADS = 4


def default_workers() -> int:
    """Worker processes for this machine: one per core plus one, which waits on the database."""
    return (os.cpu_count() or 1) + 1


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="端口")
@click.option("--production", is_flag=True,
              help="生产模式：gunicorn 多进程，置于 Caddy（HTTPS）之后，见 docs/deploy.md")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="生产模式的工作进程数（默认 CPU 核数 + 1）")
def serve(host: str, port: int, production: bool, workers: int | None) -> None:
    """启动网页服务（地图页面）。"""
    leaflet = get_settings().node_modules / "leaflet" / "dist" / "leaflet.js"
    if not leaflet.is_file():
        raise click.ClickException(f"前端资源未安装（缺少 {leaflet}）：请先运行 make setup")
    # Warnings, and the request log (web/serving.py), go to standard error: the journal under systemd.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("gridmgmt.request").setLevel(logging.INFO)
    if production:
        _gunicorn(host, port, workers or default_workers())
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


def _gunicorn(host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    from web import create_app

    class Production(BaseApplication):
        """gunicorn running create_app() in WORKERS processes forked after it is built."""

        def load_config(self) -> None:
            options = {
                "bind": f"{host}:{port}", "workers": workers, "worker_class": "gthread",
                "threads": PRODUCTION_THREADS, "preload_app": True, "timeout": WORKER_TIMEOUT_S,
                # X-Forwarded-* are judged by web/serving.py alone (GRIDMGMT_TRUSTED_PROXIES).
                "forwarded_allow_ips": "", "proc_name": "gridmgmt",
                # gunicorn's control socket (~/.gunicorn) is not used: systemd sends the signals.
                "control_socket_disable": True,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return create_app()

    click.echo(f"gridmgmt 生产服务：http://{host}:{port}，{workers} 个工作进程（请经 Caddy 以 HTTPS 访问）")
    Production().run()
