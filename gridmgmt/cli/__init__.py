"""`gridmgmt …`: the command line."""
import importlib
import sys

import click

# Command name -> "module:attribute". A subcommand's module (and its dependencies: matplotlib,
# scipy, ortools…) is imported only when that subcommand runs, so `gridmgmt import` starts fast.
COMMANDS = {
    "coverage": "gridmgmt.cli.coverage:coverage_command",
    "db": "gridmgmt.cli.db:db",
    "demo": "gridmgmt.cli.demo:demo",
    "duties": "gridmgmt.cli.visits:duties",
    "export": "gridmgmt.cli.export:export_command",
    "export-gpkg": "gridmgmt.cli.export_map:export_gpkg_command",
    "export-map": "gridmgmt.cli.export_map:export_map_command",
    "grids": "gridmgmt.cli.grids:grids",
    "import": "gridmgmt.cli.io:import_command",
    "init": "gridmgmt.cli.init:init",
    "serve": "gridmgmt.cli.serve:serve",
    "sites": "gridmgmt.cli.sites:sites",
    "user": "gridmgmt.cli.user:user",
    "visits": "gridmgmt.cli.visits:visits",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every subcommand name, without importing any."""
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import and return the subcommand CMD_NAME (None when unknown)."""
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name].split(":")
        return getattr(importlib.import_module(module), attribute)

    def invoke(self, ctx: click.Context):
        """Run the subcommand; a database that cannot be reached is a message, not a traceback."""
        try:
            return super().invoke(ctx)
        except Exception as exc:
            # Looked up, not imported: only a command that used SQLAlchemy can raise its errors.
            errors = sys.modules.get("sqlalchemy.exc")
            if errors is None or not isinstance(exc, errors.OperationalError):
                raise
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            raise click.ClickException(
                f"无法连接数据库：{reason}\n请先运行 gridmgmt db up（本地集群）或检查 GRIDMGMT_DATABASE_URL / "
                "GRIDMGMT_DB_NAME") from exc


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """乡镇党建网格化管理 gridmgmt."""
