"""`gridmgmt export-map KIND` and `gridmgmt export-gpkg`: briefing files."""

from datetime import date
from pathlib import Path

import click

from geodata.layers import LAYERS
from gridmgmt.cli import help_text
from gridmgmt.cli.actor import as_option, cli_actor
from gridmgmt.cli.checks import DAY
from gridmgmt.cli.choices import LabelledChoice, LabelledList, output_format
from gridmgmt.cli.layout import Command
from gridmgmt.cli.visits import visit_settings
from gridmgmt.config import get_settings
from gridmgmt.db.session import make_session
from gridmgmt.domain.permissions import may
from gridmgmt.domain.vocab import FORMATS
from gridmgmt.maps.kinds import KINDS
from gridmgmt.maps.static.page import ORIENTATIONS, PAPERS_MM, Page
from gridmgmt.private_files import private_output
from gridmgmt.services.briefing.exports import MAP_FORMATS, export_geopackage, export_map
from gridmgmt.services.mapdata.exporting import ExportRefused

KIND = LabelledChoice({name: kind.label for name, kind in KINDS.items()})
MAP_FORMAT = LabelledChoice(FORMATS, MAP_FORMATS)
GEOPACKAGE = LabelledChoice(FORMATS, ["gpkg"])
LAYER_LIST = LabelledList({name: layer.label for name, layer in LAYERS.items()})
GPKG_LAYERS = ("villages", "groups", "roads", "party_orgs")  # what a planner opens in QGIS first


@click.command(
    "export-map",
    cls=Command,
    help=help_text(
        "export-map",
        (
            f"地图可选：{KIND.listing()}。PNG 为 300 dpi 图片，PDF 为矢量图，网页可离线打开。"
            "须用 --as 指明操作人，记入审计日志。"
        ),
    ),
)
@click.argument("kind", type=KIND, metavar="地图")
@click.option("--township", required=True, metavar="编码", help="乡镇编码")
@click.option(
    "--format",
    "fmt",
    type=MAP_FORMAT,
    help="输出格式（默认按输出文件扩展名，否则 PDF）",
)
@click.option(
    "--paper", type=LabelledChoice({size: size for size in PAPERS_MM}), default="A4", show_default=True, help="纸张"
)
@click.option(
    "--orientation",
    type=LabelledChoice(ORIENTATIONS),
    default=ORIENTATIONS["landscape"],
    show_default=True,
    help="方向",
)
@click.option("--date", "made_on", type=DAY, default=None, help="制图日期与统计截止日（默认今天）")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    metavar="文件",
    help="输出文件（仅本账户可读）",
)
@as_option
def export_map_command(kind, township, fmt, paper, orientation, made_on, output, as_user) -> None:
    """Export one briefing map of TOWNSHIP for the user AS_USER."""
    fmt = output_format(fmt, output, MAP_FORMAT, "pdf")
    day = made_on.date() if made_on else date.today()
    with make_session() as session:
        actor = cli_actor(session, as_user, "export_maps", township=township)
        with private_output(output):
            export_map(
                session,
                kind,
                township,
                fmt,
                output,
                Page(paper, orientation),
                actor=actor,
                made_on=day,
                households=may(actor.role, "view_household"),
                node_modules=get_settings().node_modules,
                visits=visit_settings(),
            )
    click.echo(f"已导出{KINDS[kind].label}到 {output}")


@click.command("export-gpkg", cls=Command, help=help_text("export-gpkg", "须用 --as 指明操作人，记入审计日志。"))
@click.option("--township", required=True, metavar="编码", help="乡镇编码")
@click.option(
    "--layers",
    "layer_list",
    type=LAYER_LIST,
    default="、".join(LAYERS[n].label for n in GPKG_LAYERS),
    show_default=True,
    help="图层，用逗号或顿号分隔",
)
@click.option(
    "--include-sensitive",
    is_flag=True,
    help="农户图层包含四必访敏感标记（困难、危重病、空巢、留守、信访）；会记入审计日志",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    metavar="文件",
    help="输出的 GeoPackage 文件（已存在则覆盖；仅本账户可读）",
)
@as_option
def export_gpkg_command(township, layer_list, include_sensitive, output, as_user) -> None:
    """Export LAYER_LIST of TOWNSHIP into one GeoPackage for the user AS_USER."""
    output_format(None, output, GEOPACKAGE, "gpkg")
    needs = ("export_data", "view_sensitive") if include_sensitive else ("export_data",)
    with make_session() as session:
        actor = cli_actor(session, as_user, *needs, township=township)
        try:
            with private_output(output):
                counts = export_geopackage(
                    session, township, list(layer_list), output, actor=actor, include_sensitive=include_sensitive
                )
        except ExportRefused as refused:
            raise click.ClickException(str(refused)) from refused
    summary = "，".join(f"{LAYERS[name].label} {count} 条" for name, count in counts.items())
    click.echo(f"已导出到 {output}：{summary}")
