"""The systemd backup example runs a command the CLI accepts, privately, into the folder it may write."""

import shlex

from gridmgmt.cli import main
from tests.systemd_units import read_unit


def test_service_runs_a_valid_backup_command_with_umask_0077():
    service = read_unit("gridmgmt-backup.service")["Service"]
    program, group, command, *args = shlex.split(service["ExecStart"])
    assert program.endswith("/gridmgmt") and (group, command) == ("db", "backup")
    backup = main.get_command(None, "db").get_command(None, "backup")
    params = backup.make_context("backup", args).params  # raises on an option the CLI does not take
    assert str(params["folder"]) == service["ReadWritePaths"] and params["keep"] >= 1
    assert service["UMask"] == "0077" and service["Type"] == "oneshot"


def test_timer_is_daily_and_catches_up_after_downtime():
    timer = read_unit("gridmgmt-backup.timer")["Timer"]
    assert timer["OnCalendar"].endswith("02:30:00") and timer["Persistent"] == "true"
