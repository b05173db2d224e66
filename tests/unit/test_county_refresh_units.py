"""The systemd example that works out the 县级总览 each night runs a command the CLI accepts, after midnight."""

import shlex

from gridmgmt.cli import main
from tests.systemd_units import read_unit


def test_service_runs_county_refresh_for_every_county():
    service = read_unit("gridmgmt-county-refresh.service")["Service"]
    program, group, command, *args = shlex.split(service["ExecStart"])
    assert program.endswith("/gridmgmt") and (group, command) == ("county", "refresh")
    refresh = main.get_command(None, "county").get_command(None, "refresh")
    params = refresh.make_context("refresh", args).params  # raises on an argument the CLI does not take
    assert params["county_code"] is None and service["Type"] == "oneshot"


def test_timer_runs_after_midnight_and_catches_up_after_downtime():
    timer = read_unit("gridmgmt-county-refresh.timer")["Timer"]
    hour = int(timer["OnCalendar"].split()[-1].split(":")[0])
    assert 0 <= hour < 6 and timer["Persistent"] == "true"
