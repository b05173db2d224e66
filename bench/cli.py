"""Start-up of the command line: `gridmgmt --help` and the light commands' --help (db, user, init,
import), against a bare Python that imports click, the floor every click program pays.

Target (issue 16): `gridmgmt --help` ≤ 0.5 s; on a quiet machine the floor is about 0.1 s, hence ≤ 5×.
Each time is the median of RUNS starts.
"""

import statistics
import subprocess
import sys
import time

from bench.common import BIN, Result

RUNS = 10
TARGET_RATIO = 5.0
HELP_PAGES = (("--help",), ("db", "--help"), ("user", "--help"), ("init", "--help"), ("import", "--help"))


def _median_s(argv: list[str]) -> float:
    """Median seconds of RUNS runs of ARGV."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli_benchmarks() -> list[Result]:
    """One result per help page, each against the click floor."""
    floor = _median_s([sys.executable, "-c", "import click"])
    return [
        Result(
            f"gridmgmt {' '.join(args)}",
            _median_s([str(BIN / "gridmgmt"), *args]),
            "python + click",
            floor,
            TARGET_RATIO,
            "目标 ≤ 0.5 秒",
        )
        for args in HELP_PAGES
    ]
