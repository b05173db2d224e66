"""`gridmgmt …`: the command line."""
import click

from gridmgmt.cli.coverage import coverage_command
from gridmgmt.cli.db import db
from gridmgmt.cli.demo import demo
from gridmgmt.cli.export_map import export_gpkg_command, export_map_command
from gridmgmt.cli.grids import grids
from gridmgmt.cli.io import export_command, import_command
from gridmgmt.cli.serve import serve
from gridmgmt.cli.sites import sites
from gridmgmt.cli.user import user
from gridmgmt.cli.visits import duties, visits


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """乡镇党建网格化管理 gridmgmt."""


main.add_command(db)
main.add_command(serve)
main.add_command(import_command)
main.add_command(export_command)
main.add_command(demo)
main.add_command(user)
main.add_command(export_map_command)
main.add_command(export_gpkg_command)
main.add_command(sites)
main.add_command(coverage_command)
main.add_command(visits)
main.add_command(duties)
main.add_command(grids)
