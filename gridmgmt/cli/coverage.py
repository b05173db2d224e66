"""`gridmgmt coverage`: party organisation coverage of a township."""

import json
from pathlib import Path

import click

from gridmgmt.cli import help_text
from gridmgmt.cli.actor import as_option, cli_actor
from gridmgmt.cli.choices import LabelledChoice, output_format
from gridmgmt.cli.county_runs import county_options, run_county, screen_only, township_or_county
from gridmgmt.cli.layout import Command
from gridmgmt.cli.tables import table_text
from gridmgmt.config import get_settings
from gridmgmt.db.session import make_session
from gridmgmt.domain.vocab import FORMATS
from gridmgmt.private_files import write_private
from gridmgmt.reports.coverage_tables import as_json, summary, tables
from gridmgmt.reports.coverage_workbook import coverage_workbook
from gridmgmt.services.county.jobs import Coverage
from gridmgmt.services.coverage.report import township_coverage
from gridmgmt.services.coverage.settings import coverage_rules
from gridmgmt.services.coverage.workbook import audited_coverage
from gridmgmt.services.visits.settings import VisitSettings

# The table format shows this many rows of each list; json and xlsx carry all of them.
TABLE_ROWS = 20
FORMAT = LabelledChoice(FORMATS, ("table", "json", "xlsx"))


def _native(value):
    """numpy scalars as Python numbers, for json."""
    return value.item() if hasattr(value, "item") else str(value)


def _table_text(report) -> str:
    lines = [f"{k}：{v}" for k, v in summary(report).items()] + [f"注意：{n}" for n in report.notes]
    for table in tables(report)[2:]:
        frame = table.labelled().astype(object).fillna("")
        lines += ["", f"【{table.title}】{len(frame)} 项"]
        if len(frame):
            lines.append(table_text(frame.head(TABLE_ROWS)))
        if len(frame) > TABLE_ROWS:
            lines.append(f"……另有 {len(frame) - TABLE_ROWS} 项；完整列表请用 --format xlsx 或 json")
    return "\n".join(lines)


@click.command(
    "coverage",
    cls=Command,
    help=help_text(
        "coverage", "名单中有干部、党员姓名：JSON、Excel 或写入文件（-o）属于导出，须用 --as 指明操作人，记入审计日志。"
    ),
)
@click.option("--township", "code", default=None, metavar="编码", help="乡镇编码（12位）")
@county_options
@click.option("--format", "fmt", type=FORMAT, help="输出格式（默认按输出文件扩展名，否则表格）")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    metavar="文件",
    help="输出文件（Excel 必填；其余默认打印；仅本账户可读）",
)
@click.option("--no-reach", is_flag=True, help="不计算农户到活动场所、党员户的道路距离（更快）")
@as_option
def coverage_command(
    code: str | None,
    county: str | None,
    jobs: int | None,
    fmt: str | None,
    output: Path | None,
    no_reach: bool,
    as_user,
) -> None:
    """Print or export the coverage report of township CODE, or each township's figures of COUNTY."""
    township_or_county(code, county)
    fmt = output_format(fmt, output, FORMAT, "table")
    if fmt == "xlsx" and output is None:
        raise click.UsageError("输出 Excel 须用 -o 指定输出文件")
    settings = get_settings()
    rules, today = coverage_rules(settings), settings.today()
    postings = VisitSettings.of(settings).postings
    if county:
        screen_only(fmt, output)
        run_county(county, Coverage(rules, not no_reach, today, postings), jobs)
        return
    with make_session() as session:
        if fmt == "table" and output is None:  # on screen, like the coverage page: not an export
            report = township_coverage(session, code, rules, not no_reach, day=today, postings=postings)
        else:
            actor = cli_actor(session, as_user, "view_coverage", township=code)
            report = audited_coverage(session, code, actor, fmt, not no_reach, rules, day=today, postings=postings)
    if fmt == "xlsx":
        write_private(output, coverage_workbook(report))
        click.echo(f"已写入 {output}")
        return
    text = (
        json.dumps(as_json(report), ensure_ascii=False, indent=2, default=_native)
        if fmt == "json"
        else _table_text(report)
    )
    if output:
        write_private(output, text + "\n")
        click.echo(f"已写入 {output}")
    else:
        click.echo(text)
