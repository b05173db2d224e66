"""A command that cannot reach its database says so in Chinese, with no traceback."""

import os
import subprocess
import sys
from pathlib import Path

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
