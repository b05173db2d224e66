"""`gridmgmt …`: the command line."""

import importlib
import sys
from typing import NamedTuple

import click

from gridmgmt.cli import zh
from gridmgmt.cli.layout import Group
from gridmgmt.db.sqlstates import SCHEMA_BEHIND, sqlstate
from gridmgmt.domain.errors import UserError


class Entry(NamedTuple):
    """Where a top-level command lives ("module:attribute") and its one-line summary."""

    target: str
    summary: str


# Command name -> Entry. A subcommand's module (and its dependencies: matplotlib, scipy, ortools…) is
# imported only when that subcommand runs, so `gridmgmt import` starts fast; the summaries live here,
# not in the modules, so that `gridmgmt --help` lists them without importing any.
COMMANDS = {
    "coverage": Entry(
        "gridmgmt.cli.coverage:coverage_command",
        "党组织覆盖：空白村组、支部设置、党小组建议、企业党建、挂点与第一书记、道路可达性",
    ),
    "county": Entry("gridmgmt.cli.county:county", "县级总览：预先计算各乡镇的走访数字"),
    "db": Entry("gridmgmt.cli.db:db", "数据库：启动、停止、状态、迁移、备份、恢复"),
    "demo": Entry("gridmgmt.cli.demo:demo", "生成并导入演示乡镇（和平县，东经 114.95°、北纬 24.35° 附近，有国道穿境）"),
    "duties": Entry("gridmgmt.cli.visits:duties", "走访职责：谁、什么范围、走访哪些对象、多久一次"),
    "export": Entry(
        "gridmgmt.cli.export:export_command", "把一个图层导出为 GeoPackage、GeoJSON、CSV 或 Shapefile 文件"
    ),
    "export-gpkg": Entry(
        "gridmgmt.cli.export_map:export_gpkg_command", "把乡镇的若干图层导出到一个 GeoPackage 文件，供 QGIS 使用"
    ),
    "export-map": Entry("gridmgmt.cli.export_map:export_map_command", "导出简报地图：PNG、PDF 或离线网页"),
    "grids": Entry("gridmgmt.cli.grids:grids", "网格化：自动划分网格、分配网格员与联户党员、发布、比较、导出"),
    "import": Entry(
        "gridmgmt.cli.io:import_command",
        "把一个文件（GeoJSON、GeoPackage、Shapefile、zip、CSV）导入一个图层：全部成功或全部不写",
    ),
    "init": Entry("gridmgmt.cli.init:init", "生成会话密钥文件（仅本账户可读）"),
    "serve": Entry("gridmgmt.cli.serve:serve", "启动网页服务（地图页面）"),
    "sites": Entry("gridmgmt.cli.sites:sites", "党建示范点：候选评分、选点、观摩路线、评审记录"),
    "user": Entry("gridmgmt.cli.user:user", "用户：添加、改密码、改角色、停用/启用、访问令牌、列表、演示账号"),
    "visits": Entry("gridmgmt.cli.visits:visits", "四必到四必访：走访完成情况、走访路线、事件"),
}

# Installed on import, before any command module builds its options: click.Path names itself
# ("file", "directory") through gettext when it is built.
zh.install()


def help_text(name: str, details: str = "") -> str:
    """The --help text of top-level command NAME: its summary from COMMANDS, then DETAILS."""
    return f"{COMMANDS[name].summary}。\n\n{details}" if details else f"{COMMANDS[name].summary}。"


class LazyGroup(Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every subcommand name, without importing any."""
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import and return the subcommand CMD_NAME (None when unknown)."""
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name].target.split(":")
        return getattr(importlib.import_module(module), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the subcommands with their summaries, importing none of them."""
        with formatter.section(zh.gettext("Commands")):
            formatter.write_dl([(name, COMMANDS[name].summary) for name in self.list_commands(ctx)])

    def invoke(self, ctx: click.Context):
        """Run the subcommand; a refusal (UserError), a database that cannot be reached or one whose
        tables are not this version's is a message, not a traceback."""
        try:
            return super().invoke(ctx)
        except UserError as exc:
            raise click.ClickException(str(exc)) from exc
        except Exception as exc:
            reason = (str(getattr(exc, "orig", exc)).strip().splitlines() or [type(exc).__name__])[0]
            if sqlstate(exc) in SCHEMA_BEHIND:
                # A new database not yet migrated, or an upgrade whose migrations have not run.
                raise click.ClickException(
                    f"数据库结构不是本程序的版本（{reason}）\n请先运行 gridmgmt db migrate"
                ) from exc
            # Looked up, not imported: only a command that used SQLAlchemy can raise its errors.
            errors = sys.modules.get("sqlalchemy.exc")
            if errors is None or not isinstance(exc, errors.OperationalError):
                raise
            raise click.ClickException(
                f"无法连接数据库：{reason}\n请先运行 gridmgmt db up（本地集群）或检查 GRIDMGMT_DATABASE_URL / "
                "GRIDMGMT_DB_NAME"
            ) from exc


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """乡镇党建网格化管理。每个命令加 --help 查看用法，如 gridmgmt import --help。"""
