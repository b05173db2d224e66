"""`gridmgmt import LAYER FILE` and `gridmgmt import template LAYER -o FILE`."""

import sys
from pathlib import Path

import click

from geodata.errors import ImportRejected
from geodata.layers import LAYERS
from gridmgmt.cli import help_text
from gridmgmt.cli.actor import as_option
from gridmgmt.cli.checks import INTEGER
from gridmgmt.cli.choices import LabelledChoice
from gridmgmt.cli.layout import Command
from gridmgmt.domain.limits import DEFAULT_MAX_MB

LAYER = LabelledChoice({name: layer.label for name, layer in LAYERS.items()})
# Files with fewer rows are written before a progress bar would be worth drawing.
PROGRESS_MIN_ROWS = 5000


def _progress(rows, total: int):
    """ROWS with a progress bar on stderr while they are written."""
    from tqdm import tqdm

    return tqdm(rows, total=total, desc="读取并写入", unit="条", leave=False, disable=total <= PROGRESS_MIN_ROWS)


def report_rejected(rejected: ImportRejected) -> None:
    """Print every error to stderr and exit non-zero."""
    for error in rejected.errors:
        click.echo(f"  {error}", err=True)
    raise click.ClickException(str(rejected))


@click.command("template", cls=Command)
@click.argument("layer", type=LAYER, metavar="图层")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    metavar="文件",
    help="写到此 .xlsx 文件",
)
def template_command(layer, output) -> None:
    """生成图层的 Excel 导入模板：中文列名、一行示例、“说明”工作表（可选值与格式）。填好后可直接用 gridmgmt import 导入。"""
    from geodata.templates import template_workbook

    output.write_bytes(template_workbook(layer))
    click.echo(f"已生成“{LAYERS[layer].label}”导入模板：{output}")


class ImportCommand(Command):
    """`gridmgmt import LAYER FILE`, which also answers `gridmgmt import template LAYER -o FILE`."""

    def make_context(self, info_name, args, parent=None, **extra):
        """The context of `template` when the first argument names it, else of the import."""
        if args and args[0] == "template":
            return template_command.make_context(f"{info_name} template", args[1:], parent=parent, **extra)
        return super().make_context(info_name, args, parent=parent, **extra)


@click.command(
    "import",
    cls=ImportCommand,
    help=help_text(
        "import",
        (
            f"图层按此顺序导入：{LAYER.listing()}。须用 --as 指明操作人（管理员或本乡镇的组织委员），导入记入审计日志。"
            "\n\n每个图层的 Excel 模板：gridmgmt import template 图层 -o 文件.xlsx。"
        ),
    ),
)
@click.argument("layer", type=LAYER, metavar="图层")
@click.argument("file", type=click.Path(path_type=Path), metavar="文件")
@click.option(
    "--township",
    metavar="编码",
    help="所属乡镇编码。导入乡镇时不用；农户、村民小组、企业/合作社可省略，"
    "省略时按位置在数据库全部行政村中查找，各行归入所在村的乡镇；其余图层必填",
)
@click.option("--crs", metavar="坐标系", help="坐标系：EPSG:编号、gcj02（高德/腾讯）或 bd09（百度）；默认用文件自带的")
@click.option("--encoding", metavar="编码方式", help="文字编码方式（如 GBK、UTF-8）；默认读 .cpg 文件或自动识别")
@click.option("--update", is_flag=True, help="编码已存在时更新该记录（默认拒绝）")
@click.option("--fix-geometry", is_flag=True, help="自动修复无效的几何图形（默认拒绝）")
@click.option(
    "--max-mb",
    type=INTEGER,
    default=DEFAULT_MAX_MB,
    show_default=True,
    envvar="GRIDMGMT_IMPORT_MAX_MB",
    help="文件大小上限（MB）",
)
@as_option
def import_command(layer, file, township, crs, encoding, update, fix_geometry, max_mb, as_user) -> None:
    """Import FILE into LAYER for the user AS_USER."""
    # Imported here: `gridmgmt import --help` must not load pandas, GDAL or SQLAlchemy.
    from gridmgmt.cli.actor import cli_actor
    from gridmgmt.db.session import make_session
    from gridmgmt.services.imports import import_layer

    if layer == "townships" and township:
        raise click.UsageError("导入乡镇时不需要 --township")
    with make_session() as session:
        actor = cli_actor(session, as_user, "import_data", township=township)
        try:
            result = import_layer(
                session,
                layer,
                file,
                actor=actor,
                township=township,
                crs=crs,
                encoding=encoding,
                update=update,
                fix_geometry=fix_geometry,
                max_mb=max_mb,
                progress=_progress if sys.stderr.isatty() else None,
            )
        except ImportRejected as rejected:
            report_rejected(rejected)
    click.echo(f"已导入 {LAYERS[layer].label}：新增 {result.inserted} 条，更新 {result.updated} 条")
    if result.road_vertices is not None:
        click.echo(f"路网拓扑已重建：{result.road_vertices} 个节点")
    if result.ignored_columns:
        click.echo(f"未识别、已忽略的列：{'、'.join(map(str, result.ignored_columns))}")
