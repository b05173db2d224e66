"""`gridmgmt …`: the command line."""
import click

from gridmgmt.cli.db import db
from gridmgmt.cli.serve import serve


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """乡镇党建网格化管理 gridmgmt."""


main.add_command(db)
main.add_command(serve)
