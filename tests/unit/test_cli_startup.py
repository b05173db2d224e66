"""`gridmgmt --help` and the light commands' --help start without the heavy libraries: the command list
comes from the lazy table, and db, user, init and import load the database stack only when they run."""

import json
import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "geopandas", "matplotlib", "pandas", "alembic", "pydantic_settings", "ortools", "scipy")
PROBE = """
import json, sys
from gridmgmt.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {heavy} if m in sys.modules)))
"""


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["db", "--help"],
        ["db", "backup", "--help"],
        ["user", "--help"],
        ["user", "add", "--help"],
        ["init", "--help"],
        ["import", "--help"],
    ],
)
def test_help_loads_no_heavy_library(args):
    probe = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args], capture_output=True, text=True, check=True
    )
    assert "用法：" in probe.stdout
    assert json.loads(probe.stdout.strip().splitlines()[-1]) == []


def test_the_probe_sees_a_heavy_command():
    """The same probe on a command that needs SQLAlchemy to build its options finds it."""
    probe = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), "coverage", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "sqlalchemy" in json.loads(probe.stdout.strip().splitlines()[-1])
