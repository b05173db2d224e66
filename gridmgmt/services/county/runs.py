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
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from sqlalchemy.orm import Session

from gridmgmt.db.session import make_session
from gridmgmt.domain.errors import NotFound, UserError
from gridmgmt.services.county.overview import county_townships

log = logging.getLogger(__name__)

# A township job: (session, township code) -> what it did, in a few Chinese words («76 个网格»).
# It owns its commit; it must be picklable (a module-level function or a dataclass instance).
TownshipJob = Callable[[Session, str], str]
WORKER_DIED = "工作进程意外退出（可能内存不足），本镇结果未写入；详见日志"


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
    core), telling PROGRESS a line as each township finishes; NotFound when the county has none.

    A worker that dies (killed, out of memory) takes the pool with it: the townships left unfinished
    are run again one at a time, where a township that kills its worker again fails alone."""
    start = time.perf_counter()
    with make_session(url) as session:
        townships = [(row.code, row.name) for row in session.execute(county_townships(county))]
    if not townships:
        raise NotFound(f"没有编码以 {county} 开头的乡镇")
    outcomes: list[TownshipOutcome] = []

    def finished(outcome: TownshipOutcome) -> None:
        outcomes.append(outcome)
        progress(outcome.line(len(outcomes), len(townships)))

    pending, workers = townships, worker_count(jobs, len(townships))
    while pending:
        unfinished = _pool_run(url, job, pending, workers, finished)
        if unfinished and workers == 1:
            # Alone in its pool, the first unfinished township is the one its worker died on.
            (code, name), unfinished = unfinished[0], unfinished[1:]
            log.error("county run: the worker died on township %s, run alone", code)
            finished(TownshipOutcome(code, name, 0.0, error=WORKER_DIED))
        elif unfinished:
            log.error("county run: a worker died; %d township(s) run again one at a time", len(unfinished))
        pending, workers = unfinished, 1
    return CountyRun(county, outcomes, time.perf_counter() - start)


def _pool_run(
    url: str, job: TownshipJob, townships: list[tuple[str, str]], workers: int, finished: Callable
) -> list[tuple[str, str]]:
    """JOB on TOWNSHIPS in a pool of WORKERS spawned processes, each outcome to FINISHED as it comes;
    returns the townships left unfinished, in their order, when a worker died and broke the pool."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        started = {pool.submit(run_township, url, job, code, name): (code, name) for code, name in townships}
        broken = set()
        for future in as_completed(started):
            try:
                finished(future.result())
            except BrokenProcessPool:
                broken.add(started[future])
    return [township for township in townships if township in broken]
