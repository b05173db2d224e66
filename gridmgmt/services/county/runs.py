"""County-wide runs: one township command (allocate, coverage, compliance) over every township of a
county, in worker processes, each township in its own session and transaction.

Workers are spawned, not forked: each is a fresh interpreter that builds its own engine on the URL
it is handed, so no engine or connection crosses a process boundary. A township that fails is
reported with its Chinese reason; the other townships' results are committed and kept.
"""

import logging
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

from sqlalchemy.orm import Session

from gridmgmt.db.session import make_session
from gridmgmt.domain.errors import NotFound, UserError
from gridmgmt.services.county.overview import county_townships

log = logging.getLogger(__name__)

# A township job: (session, township code) -> what it did, in a few Chinese words («76 个网格»).
# It owns its commit; it must be picklable (a module-level function or a dataclass instance).
TownshipJob = Callable[[Session, str], str]


@dataclass(frozen=True)
class TownshipOutcome:
    """How one township's run ended: its SUMMARY when it succeeded, else the Chinese ERROR."""

    code: str
    name: str
    seconds: float
    summary: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        """True when the township's run succeeded."""
        return not self.error

    def line(self, done: int, total: int) -> str:
        """The progress line: 「[3/20] 某某镇 完成：76 个网格，8.1 s」 or 「[4/20] 某某镇 失败：原因」."""
        said = f"完成：{self.summary}，{self.seconds:.1f} s" if self.ok else f"失败：{self.error}"
        return f"[{done}/{total}] {self.name} {said}"


@dataclass(frozen=True)
class CountyRun:
    """Every township's outcome, in the order they finished, and the run's wall time."""

    county: str
    outcomes: list[TownshipOutcome]
    seconds: float

    @property
    def failed(self) -> list[TownshipOutcome]:
        """The townships whose run failed."""
        return [o for o in self.outcomes if not o.ok]

    def summary(self) -> str:
        """One line: how many townships succeeded and failed, in how long."""
        failed = self.failed
        names = f"：{'、'.join(o.name for o in failed)}" if failed else ""
        return (
            f"全县 {len(self.outcomes)} 个镇：{len(self.outcomes) - len(failed)} 个完成，"
            f"{len(failed)} 个失败{names}；用时 {self.seconds:.1f} s"
        )


def worker_count(jobs: int | None, townships: int) -> int:
    """JOBS workers (default one per core), never more than there are TOWNSHIPS, at least one."""
    return max(1, min(jobs or os.cpu_count() or 1, townships))


def run_township(url: str, job: TownshipJob, code: str, name: str) -> TownshipOutcome:
    """JOB on township CODE in its own session on URL; a failure becomes the outcome's error."""
    start = time.perf_counter()
    try:
        with make_session(url) as session:
            summary = job(session, code)
    except UserError as exc:
        return TownshipOutcome(code, name, time.perf_counter() - start, error=str(exc))
    except Exception as exc:  # one township's fault must not stop the county; the log keeps the trace
        log.exception("county run: township %s failed", code)
        return TownshipOutcome(
            code, name, time.perf_counter() - start, error=f"内部错误（{type(exc).__name__}），详见日志"
        )
    return TownshipOutcome(code, name, time.perf_counter() - start, summary)


def county_run(
    url: str, county: str, job: TownshipJob, jobs: int | None = None, progress: Callable[[str], None] = print
) -> CountyRun:
    """JOB on every township of COUNTY (6-digit code) in JOBS worker processes (default one per
    core), telling PROGRESS a line as each township finishes; NotFound when the county has none."""
    start = time.perf_counter()
    with make_session(url) as session:
        townships = [(row.code, row.name) for row in session.execute(county_townships(county))]
    if not townships:
        raise NotFound(f"没有编码以 {county} 开头的乡镇")
    outcomes = []
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(worker_count(jobs, len(townships)), mp_context=context) as pool:
        started = {pool.submit(run_township, url, job, code, name): (code, name) for code, name in townships}
        for future in as_completed(started):
            outcomes.append(_outcome(future, *started[future]))
            progress(outcomes[-1].line(len(outcomes), len(townships)))
    return CountyRun(county, outcomes, time.perf_counter() - start)


def _outcome(future, code: str, name: str) -> TownshipOutcome:
    """The future's outcome; a worker that died (killed, out of memory) fails its township."""
    try:
        return future.result()
    except Exception as exc:
        log.error("county run: worker for township %s died: %r", code, exc)
        return TownshipOutcome(code, name, 0.0, error="工作进程意外退出（可能内存不足），详见日志")
