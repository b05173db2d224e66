"""The layer contracts of pyproject.toml (import-linter) hold, and catch a planted back-edge."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gridmgmt.config import PROJECT_ROOT

LINT = Path(sys.executable).parent / "lint-imports"
PACKAGES = ("gridmgmt", "web", "geodata")


@pytest.fixture
def tree(tmp_path):
    """A copy of the three packages and pyproject.toml, to plant imports in."""
    for package in PACKAGES:
        shutil.copytree(
            PROJECT_ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.txt", "*.geojson", "*.gpkg"),
        )
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def _lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )


def test_the_contracts_hold_on_the_code(tree):
    done = _lint(tree)
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize(
    "where, planted",
    [
        ("gridmgmt/maps/planted.py", "from gridmgmt.services.coverage import report\n"),  # a map reading a service
        ("gridmgmt/domain/planted.py", "import sqlalchemy\n"),  # a rule on the database
        ("gridmgmt/db/planted.py", "from gridmgmt.services.accounts import users\n"),  # db above services
    ],
)
def test_a_planted_back_edge_breaks_a_contract(tree, where, planted):
    (tree / where).write_text(planted, encoding="utf-8")
    done = _lint(tree)
    assert done.returncode == 1 and "BROKEN" in done.stdout
    assert where.removesuffix(".py").replace("/", ".") in done.stdout
