"""`--county` and `--jobs`: a township command run over every township of a county, in parallel."""

import click

from gridmgmt.cli.checks import Whole
from gridmgmt.domain.permissions import COUNTY_CODE_LENGTH

JOBS = Whole(1, 64)


def county_options(fn):
    """Add --county (a 6-digit county code) and --jobs (worker processes, default one per core)."""
    fn = click.option("--jobs", type=JOBS, default=None, help="并行的工作进程数（默认每个处理器核心一个）")(fn)
    return click.option(
        "--county", default=None, metavar="编码", help="县编码（6位）：对该县每个乡镇各运行一次，多进程并行"
    )(fn)


def township_or_county(township: str | None, county: str | None) -> None:
    """A usage error unless exactly one of TOWNSHIP and COUNTY is given, the county as 6 digits."""
    if (township is None) == (county is None):
        raise click.UsageError("须给出 --township（一个乡镇）或 --county（全县各镇）之一")
    if county is not None and not (len(county) == COUNTY_CODE_LENGTH and county.isascii() and county.isdigit()):
        raise click.UsageError(f"县编码须为 {COUNTY_CODE_LENGTH} 位数字：{county}")


def screen_only(fmt: str, output, *narrowing) -> None:
    """A usage error when a --county run is asked for a file, another format or a narrowed list."""
    if fmt != "table" or output is not None or any(narrowing):
        raise click.UsageError("--county 只在屏幕上逐镇列出概要，不能与 --format、-o 或只看某村、某人的选项同用")


def run_county(county: str, job, jobs: int | None) -> None:
    """JOB on every township of COUNTY, a line as each finishes and a summary; exit 1 if any failed."""
    from gridmgmt.db.session import default_url
    from gridmgmt.services.county.runs import county_run

    run = county_run(default_url(), county, job, jobs, click.echo)
    click.echo(run.summary())
    if run.failed:
        raise click.exceptions.Exit(1)
