"""The command line refuses what the web refuses: ids beyond int4, NaN and huge distances, odd dates
(click stops them before any database is opened, so no database is needed here)."""

import pytest
from click.testing import CliRunner

from gridmgmt.cli import main


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["grids", "rebalance", "2147483648"], "2147483648"),
        (["grids", "diff", "1", "0"], "0"),
        (["visits", "close-event", "9223372036854775808"], "9223372036854775808"),
        (["visits", "route", "--cadre", "C0", "--hours", "nan"], "须为有限的数字"),
        (["visits", "route", "--cadre", "C0", "--hours", "25"], "25"),
        (["visits", "status", "--township", "441624100000", "--date", "0001-01-01"], "2000-01-01 至 2100-12-31"),
        (["visits", "event", "--cadre", "C0", "--type", "grievance", "--lon", "inf"], "inf"),
        (["sites", "select", "441624100000", "-k", "1", "--corridor-m", "1e20"], "0 ≤ 值 ≤ 100000"),
        (["sites", "score", "441624100000", "--catchment-m", "NaN"], "须为有限的数字"),
        (["sites", "reminders", "441624100000", "--date", "9999-12-31"], "2000-01-01 至 2100-12-31"),
        (["sites", "review", "P1", "apply", "--user", "judge", "--year", "99999"], "99999"),
        (["export-map", "overview", "--township", "441624100000", "-o", "x.pdf", "--date", "0001-01-01"], "2100-12-31"),
    ],
)
def test_bad_numbers_and_dates_are_usage_errors(args, reason):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and reason in result.output, result.output
