"""`gridmgmt export LAYER`: apart from `import`, whose start-up needs none of the export libraries."""
import getpass
from pathlib import Path

import click

from geodata.layers import LAYERS
from gridmgmt.db.session import make_session
from gridmgmt.services.exporting import FORMATS, ExportRefused, export_layer


@click.command("export")
@click.argument("layer", type=click.Choice(list(LAYERS)))
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="输出格式")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="输出文件")
@click.option("--township", help="只导出该乡镇（编码）")
@click.option("--include-sensitive", is_flag=True,
              help="包含四必访敏感标记（困难、危重病、空巢、留守、信访）；会记入审计日志")
def export_command(layer, fmt, output, township, include_sensitive) -> None:
    """把图层 LAYER 导出为 gpkg/geojson/csv/shp；列名为英文标准名，可直接再导入。"""
    with make_session() as session:
        try:
            count = export_layer(session, layer, fmt, output, township=township,
                                 include_sensitive=include_sensitive, actor=getpass.getuser())
        except ExportRefused as refused:
            raise click.ClickException(str(refused)) from refused
    click.echo(f"已导出 {LAYERS[layer].label} {count} 条到 {output}")
