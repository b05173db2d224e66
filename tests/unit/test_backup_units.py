"""The systemd backup example runs a command the CLI accepts, privately, into the folder it may write."""

import configparser
import shlex

from gridmgmt.cli import main
from gridmgmt.config import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


def test_service_runs_a_valid_backup_command_with_umask_0077():
    service = _unit("gridmgmt-backup.service")["Service"]
    program, group, command, *args = shlex.split(service["ExecStart"])
    assert program.endswith("/gridmgmt") and (group, command) == ("db", "backup")
    backup = main.get_command(None, "db").get_command(None, "backup")
    params = backup.make_context("backup", args).params  # raises on an option the CLI does not take
    assert str(params["folder"]) == service["ReadWritePaths"] and params["keep"] >= 1
    assert service["UMask"] == "0077" and service["Type"] == "oneshot"


def test_timer_is_daily_and_catches_up_after_downtime():
    timer = _unit("gridmgmt-backup.timer")["Timer"]
    assert timer["OnCalendar"].endswith("02:30:00") and timer["Persistent"] == "true"
