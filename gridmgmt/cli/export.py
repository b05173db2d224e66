"""`gridmgmt export LAYER`: apart from `import`, whose start-up needs none of the export libraries."""

from pathlib import Path

import click

from geodata.layers import LAYERS
from gridmgmt.cli import help_text
from gridmgmt.cli.actor import as_option, cli_actor
from gridmgmt.cli.choices import LabelledChoice, output_format
from gridmgmt.cli.layout import Command
from gridmgmt.db.session import make_session
from gridmgmt.domain.vocab import FORMATS
from gridmgmt.private_files import private_output
from gridmgmt.services.mapdata.exporting import FORMATS as LAYER_FORMATS
from gridmgmt.services.mapdata.exporting import export_layer

LAYER = LabelledChoice({name: layer.label for name, layer in LAYERS.items()})
FORMAT = LabelledChoice(FORMATS, LAYER_FORMATS)
PERSONAL = "、".join(layer.label for layer in LAYERS.values() if layer.personal)


@click.command(
    "export",
    cls=Command,
    help=help_text(
        "export",
        (
            f"图层可选：{LAYER.listing()}。列名为英文标准名，导出的文件可直接再导入。"
            f"含个人信息的图层（{PERSONAL}）须用 --as 指明操作人，并记入审计日志。"
        ),
    ),
)
@click.argument("layer", type=LAYER, metavar="图层")
@click.option("--format", "fmt", type=FORMAT, help="输出格式（默认按输出文件扩展名）")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, metavar="文件", help="输出文件（仅本账户可读）"
)
@click.option("--township", metavar="编码", help="只导出该乡镇（编码）")
@click.option(
    "--include-sensitive", is_flag=True, help="包含四必访敏感标记（困难、危重病、空巢、留守、信访）；会记入审计日志"
)
@as_option
def export_command(layer, fmt, output, township, include_sensitive, as_user) -> None:
    """Export one layer to a file, audited when it holds personal data."""
    fmt = output_format(fmt, output, FORMAT)
    sensitive = include_sensitive and layer == "households"
    with make_session() as session:
        actor = None
        if LAYERS[layer].personal:
            needs = ("export_data", "view_sensitive") if sensitive else ("export_data",)
            actor = cli_actor(session, as_user, *needs, township=township)
        with private_output(output):
            count = export_layer(
                session, layer, fmt, output, township=township, include_sensitive=include_sensitive, actor=actor
            )
    click.echo(f"已导出 {LAYERS[layer].label} {count} 条到 {output}")
