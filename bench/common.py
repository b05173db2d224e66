"""Shared bench plumbing: throw-away databases, timing, and the report."""

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from psycopg import sql

from gridmgmt.config import get_settings
from gridmgmt.db.cluster import ensure_database
from gridmgmt.db.migrate import upgrade
from gridmgmt.db.roles import connect

BIN = Path(sys.executable).parent
BENCH_ACTOR = "bench"


@dataclass
class Result:
    """One benchmark: our time, the baseline's, and the target ratio."""

    name: str
    ours_s: float
    baseline: str
    baseline_s: float
    target_ratio: float
    note: str = ""

    @property
    def ratio(self) -> float:
        """Our time over the baseline's: below 1 means faster."""
        return self.ours_s / self.baseline_s

    def line(self) -> str:
        """A Markdown table row."""
        ok = "✓" if self.ratio <= self.target_ratio else "✗"
        return (
            f"| {self.name} | {self.ours_s:.1f} s | {self.baseline}: {self.baseline_s:.1f} s "
            f"| {self.ratio:.2f}× | ≤ {self.target_ratio}× {ok} | {self.note} |"
        )


@dataclass
class NotDone:
    """A figure whose run (ours or the baseline's) did not finish: a report row saying so."""

    name: str
    why: str

    def line(self) -> str:
        """A row of the bench table."""
        return f"| {self.name} | 未完成 | — | — | ✗ | {self.why} |"


def fresh_database(name: str) -> str:
    """Drop, create and migrate database NAME; return its URL."""
    settings = get_settings()
    with connect(settings.admin_url_for()) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    ensure_database(settings, name)
    url = settings.url_for(name)
    upgrade(url)
    return url


def demo_database(name: str) -> str:
    """URL of database NAME, migrated and holding the demo township (generated once, then reused)."""
    settings = get_settings()
    ensure_database(settings, name)
    url = settings.url_for(name)
    upgrade(url)
    gridmgmt(name, "demo", "--if-empty")
    return url


def bench_actor(url: str) -> None:
    """Add the admin BENCH_ACTOR to the database at URL (once): exports and imports name their user."""
    with connect(url) as conn:
        conn.execute(
            "INSERT INTO app_user (username, role, password_hash) VALUES (%s, 'admin', '-') "
            "ON CONFLICT (username) DO NOTHING",
            (BENCH_ACTOR,),
        )


def gridmgmt(db_name: str, *args: str) -> None:
    """Run the gridmgmt CLI against database DB_NAME, as BENCH_ACTOR (see bench_actor)."""
    env = {**os.environ, "GRIDMGMT_DB_NAME": db_name, "GRIDMGMT_ACTOR": BENCH_ACTOR}
    subprocess.run([str(BIN / "gridmgmt"), *args], env=env, check=True)


def timed(fn, *args) -> float:
    """Seconds FN(*args) took."""
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start
