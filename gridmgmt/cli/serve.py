"""`gridmgmt serve`: the web app under waitress."""
import click

from gridmgmt.config import get_settings


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="端口")
def serve(host: str, port: int) -> None:
    """启动网页服务（地图页面）。"""
    # Imported here so that the other commands start without Flask and folium.
    from waitress import create_server

    from web import create_app

    leaflet = get_settings().node_modules / "leaflet" / "dist" / "leaflet.js"
    if not leaflet.is_file():
        raise click.ClickException(f"前端资源未安装（缺少 {leaflet}）：请先运行 make setup")
    try:
        server = create_server(create_app(), host=host, port=port)
    except OSError as exc:
        raise click.ClickException(f"无法监听 {host}:{port}：{exc.strerror}") from exc
    click.echo(f"gridmgmt 已启动：http://{host}:{port}")
    server.run()
