"""A command that cannot reach its database, or finds it not migrated, says so in Chinese, with no traceback."""

import os
import subprocess
import sys
from pathlib import Path

from gridmgmt.config import get_settings
from gridmgmt.db.cluster import ensure_database

GRIDMGMT = Path(sys.executable).parent / "gridmgmt"


def test_missing_database_is_a_message_not_a_traceback(db_url):
    missing = db_url.rsplit("/", 1)[0] + "/gridmgmt_no_such_db"  # the test server, no such database
    env = {**os.environ, "GRIDMGMT_DATABASE_URL": missing}
    result = subprocess.run(
        [str(GRIDMGMT), "coverage", "--township", "441624100000"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "无法连接数据库" in result.stderr and "gridmgmt_no_such_db" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_database_not_yet_migrated_is_a_message_not_a_traceback(db_url):
    """A new database, or an upgrade whose migrations have not run: every command said
    `relation "…" does not exist` in a SQLAlchemy traceback."""
    settings = get_settings()
    name = f"{settings.test_db_name}_unmigrated"
    ensure_database(settings, name)  # PostGIS in it, no table of ours
    env = {**os.environ, "GRIDMGMT_DATABASE_URL": settings.url_for(name)}
    for command in (["grids", "list"], ["visits", "status", "--township", "441624100000"]):
        result = subprocess.run([str(GRIDMGMT), *command], env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 1, command
        assert "数据库结构不是本程序的版本" in result.stderr and "gridmgmt db migrate" in result.stderr, command
        assert "Traceback" not in result.stderr, command
