"""`gridmgmt export LAYER`: apart from `import`, whose start-up needs none of the export libraries."""
from pathlib import Path

import click

from geodata.layers import LAYERS
from gridmgmt.cli.actor import as_option, cli_actor
from gridmgmt.db.session import make_session
from gridmgmt.private_files import private_output
from gridmgmt.services.mapdata.exporting import FORMATS, ExportRefused, export_layer

PERSONAL = "、".join(f"{layer.name}（{layer.label}）" for layer in LAYERS.values() if layer.personal)


@click.command("export", help="把图层 LAYER 导出为 gpkg/geojson/csv/shp；列名为英文标准名，可直接再导入。"
                                 f"含个人信息的图层（{PERSONAL}）须用 --as 指明操作人，并记入审计日志。")
@click.argument("layer", type=click.Choice(list(LAYERS)))
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="输出格式")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="输出文件（权限 0600）")
@click.option("--township", help="只导出该乡镇（编码）")
@click.option("--include-sensitive", is_flag=True,
              help="包含四必访敏感标记（困难、危重病、空巢、留守、信访）；会记入审计日志")
@as_option
def export_command(layer, fmt, output, township, include_sensitive, as_user) -> None:
    """Export one layer (the help text above names the personal layers from the registry)."""
    sensitive = include_sensitive and layer == "households"
    with make_session() as session:
        actor = None
        if LAYERS[layer].personal:
            needs = ("export_data", "view_sensitive") if sensitive else ("export_data",)
            actor = cli_actor(session, as_user, *needs, township=township)
        try:
            with private_output(output):
                count = export_layer(session, layer, fmt, output, township=township,
                                     include_sensitive=include_sensitive, actor=actor)
        except ExportRefused as refused:
            raise click.ClickException(str(refused)) from refused
    click.echo(f"已导出 {LAYERS[layer].label} {count} 条到 {output}")

