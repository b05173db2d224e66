"""`gridmgmt export-map KIND` and `gridmgmt export-gpkg`: briefing files."""
from datetime import date
from pathlib import Path

import click

from geodata.layers import LAYERS
from gridmgmt.cli.actor import as_option, cli_actor
from gridmgmt.cli.checks import DAY
from gridmgmt.db.session import make_session
from gridmgmt.domain.permissions import may
from gridmgmt.maps.kinds import KINDS
from gridmgmt.maps.static.page import ORIENTATIONS, PAPERS_MM, Page
from gridmgmt.private_files import private_output
from gridmgmt.services.briefing.exports import MAP_FORMATS, BriefingRefused, export_geopackage, export_map
from gridmgmt.services.mapdata.exporting import ExportRefused

KIND_HELP = "；".join(f"{name}={kind.label}" for name, kind in KINDS.items())


@click.command("export-map", help=f"导出简报地图 KIND（{KIND_HELP}）为 PNG（300 dpi）、PDF（矢量）或离线 HTML；"
                                    "须用 --as 指明操作人，记入审计日志。")
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.option("--township", required=True, help="乡镇编码")
@click.option("--format", "fmt", type=click.Choice(MAP_FORMATS), default="pdf", show_default=True,
              help="输出格式")
@click.option("--paper", type=click.Choice(list(PAPERS_MM)), default="A4", show_default=True, help="纸张")
@click.option("--orientation", type=click.Choice(list(ORIENTATIONS)), default="landscape",
              show_default=True, help="方向：portrait 纵向，landscape 横向")
@click.option("--date", "made_on", type=DAY, default=None,
              help="制图日期与统计截止日（默认今天）")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="输出文件（权限 0600）")
@as_option
def export_map_command(kind, township, fmt, paper, orientation, made_on, output, as_user) -> None:
    """Export one briefing map (the help text above is built from the kind registry)."""
    day = made_on.date() if made_on else date.today()
    with make_session() as session:
        actor = cli_actor(session, as_user, "export_maps", township=township)
        try:
            with private_output(output):
                export_map(session, kind, township, fmt, output, Page(paper, orientation), actor=actor,
                           made_on=day, households=may(actor.role, "view_household"))
        except BriefingRefused as refused:
            raise click.ClickException(str(refused)) from refused
    click.echo(f"已导出{KINDS[kind].label}到 {output}")


@click.command("export-gpkg")
@click.option("--township", required=True, help="乡镇编码")
@click.option("--layers", "layer_list", default="villages,groups,roads,party_orgs", show_default=True,
              help=f"逗号分隔的图层：{','.join(LAYERS)}")
@click.option("--include-sensitive", is_flag=True,
              help="农户图层包含四必访敏感标记（困难、危重病、空巢、留守、信访）；会记入审计日志")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="输出 GeoPackage 文件（已存在则覆盖；权限 0600）")
@as_option
def export_gpkg_command(township, layer_list, include_sensitive, output, as_user) -> None:
    """把乡镇的若干图层导出到一个 GeoPackage，供 QGIS 使用；须用 --as 指明操作人，记入审计日志。"""
    names = [name.strip() for name in layer_list.split(",") if name.strip()]
    needs = ("export_data", "view_sensitive") if include_sensitive else ("export_data",)
    with make_session() as session:
        actor = cli_actor(session, as_user, *needs, township=township)
        try:
            with private_output(output):
                counts = export_geopackage(session, township, names, output, actor=actor,
                                           include_sensitive=include_sensitive)
        except (BriefingRefused, ExportRefused) as refused:
            raise click.ClickException(str(refused)) from refused
    summary = "，".join(f"{LAYERS[name].label} {count} 条" for name, count in counts.items())
    click.echo(f"已导出到 {output}：{summary}")
