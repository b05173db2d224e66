"""`make bench`: run every benchmark, print the Markdown table and write var/bench/report.md."""

from bench.cli import cli_benchmarks
from bench.common import Result
from bench.concurrency import concurrent_gets
from bench.county import county_benchmarks
from bench.countyruns import county_run_benchmarks
from bench.coverage import coverage_benchmarks
from bench.deskpages import desk_pages
from bench.exports import export_benchmarks
from bench.faults import fault_benchmarks
from bench.field import field_benchmarks
from bench.grids import grid_benchmarks
from bench.imports import household_import
from bench.network import network_benchmarks
from bench.pages import overview_page
from bench.sites import site_benchmarks
from bench.tiles import household_tiles
from bench.visits import visit_benchmarks
from bench.waters import water_benchmarks
from gridmgmt.config import get_settings

HEADER = "| 基准 | gridmgmt | 基线 | 比值 | 目标 | 说明 |\n|---|---|---|---|---|---|"


def main() -> None:
    """Run the benchmarks in turn and report them."""
    folder = get_settings().var_dir / "bench"
    results: list[Result] = household_import(folder)
    results += visit_benchmarks()
    results += network_benchmarks()
    results += site_benchmarks()
    results += coverage_benchmarks()
    results += county_benchmarks()
    results += household_tiles()
    results += overview_page()
    results += desk_pages()
    results += field_benchmarks()
    results += export_benchmarks()
    results += grid_benchmarks()
    results += county_run_benchmarks()
    results += water_benchmarks()
    results += fault_benchmarks()
    results += concurrent_gets()
    results += cli_benchmarks()
    report = "\n".join([HEADER, *(r.line() for r in results)]) + "\n"
    print(report)
    (folder / "report.md").write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
