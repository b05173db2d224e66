"""`gridmgmt serve`: the web app under waitress."""
import ipaddress

import click

from gridmgmt.cli import help_text
from gridmgmt.cli.checks import Whole
from gridmgmt.cli.layout import Command
from gridmgmt.config import Settings, get_settings
from gridmgmt.keys import MIN_SESSION_KEY, ensure_secret


@click.command(cls=Command, help=help_text("serve", "默认只在本机访问；向其他电脑开放须先运行 gridmgmt init 生成会话密钥。"))
@click.option("--host", default="127.0.0.1", show_default=True, metavar="地址", help="监听地址")
@click.option("--port", default=8000, show_default=True, type=Whole(1, 65535), help="端口")
def serve(host: str, port: int) -> None:
    """Serve the web app under waitress until interrupted."""
    # Imported here so that the other commands start without Flask and folium.
    from waitress import create_server

    from web import create_app

    settings = get_settings()
    leaflet = settings.node_modules / "leaflet" / "dist" / "leaflet.js"
    if not leaflet.is_file():
        raise click.ClickException(f"前端资源未安装（缺少 {leaflet}）：请先运行 make setup")
    _require_session_key(settings, host)
    try:
        server = create_server(create_app(), host=host, port=port)
    except OSError as exc:
        raise click.ClickException(f"无法监听 {host}:{port}：{exc.strerror}") from exc
    click.echo(f"gridmgmt 已启动：http://{host}:{port}")
    server.run()


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
            f"请运行 gridmgmt init 生成 {settings.secret_key_file}，或设置 GRIDMGMT_SECRET_KEY")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False
