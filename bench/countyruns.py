"""County allocation on the county demo (20 townships, about 200,000 households), issue 17.

Ours: `gridmgmt grids allocate --county 441624`, a worker process per core, end to end
(start-up, every township, the summary). Baseline: the sum of the per-township runs,
`allocate_township` on each township in turn, in a process of its own. Each side has a time
limit (LIMIT_S) and is reported as "did not finish in N s" when it runs out. The county run's
plans must be those of the township runs, cell by cell and household by household, and every
township's plan must meet the grid rules (bench.grids: every cell within ±15 % of its village's
target, at least 95 % of the village groups whole). Target: the county run in TARGET_S (60 s).
The plans both sides write are deleted again.

    .venv/bin/python -m bench.countyruns
"""

import multiprocessing
import os
import signal
import subprocess
import time

from sqlalchemy import delete, select

from bench.common import BIN, NotDone, Result
from bench.grids import COUNTY_DB, RULES, WHOLE_GROUPS, _url, in_band
from gridmgmt.db.models import GridCell, GridPlan, Township
from gridmgmt.db.models.grids import GridMembership
from gridmgmt.db.session import make_session
from gridmgmt.services.accounts.actors import Actor
from gridmgmt.services.grids.allocation import allocate_township

COUNTY = "441624"
TARGET_S = 60.0
LIMIT_S = 600
OURS, BASELINE = "基准-全县并行", "基准-逐镇"


def _county_run() -> float:
    """Seconds `gridmgmt grids allocate --county` took; TimeoutError past LIMIT_S (its workers killed too)."""
    env = {**os.environ, "GRIDMGMT_DB_NAME": COUNTY_DB}
    args = [str(BIN / "gridmgmt"), "grids", "allocate", "--county", COUNTY, "--name", OURS]
    start = time.perf_counter()
    with subprocess.Popen(args, env=env, start_new_session=True) as run:
        try:
            code = run.wait(LIMIT_S)
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
            raise TimeoutError from None
    if code:
        raise RuntimeError(f"gridmgmt grids allocate --county exited with {code}")
    return time.perf_counter() - start


def _township_runs(url: str, answer) -> None:
    """Allocate every township in turn; send [(seconds, quality)] to ANSWER."""
    runs = []
    with make_session(url) as session:
        for code in session.scalars(select(Township.code).order_by(Township.code)).all():
            start = time.perf_counter()
            report = allocate_township(session, code, BASELINE, RULES, actor=Actor("bench"))
            runs.append((time.perf_counter() - start, report.quality))
    answer.send(runs)


def _baseline(url: str) -> list:
    """The per-township runs in a spawned process; TimeoutError past LIMIT_S."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_township_runs, args=(url, send))
    worker.start()
    try:
        if not receive.poll(LIMIT_S):
            raise TimeoutError
        return receive.recv()
    finally:
        worker.join(5)
        if worker.is_alive():  # out of time: its open transaction is rolled back
            worker.kill()
            worker.join()


def _plans(session, name: str) -> dict[str, frozenset]:
    """Township code -> its plan NAME as a set of cells, each (code, frozenset of household ids)."""
    rows = session.execute(
        select(Township.code, GridCell.code, GridMembership.household_id)
        .join(GridPlan, GridPlan.township_id == Township.id)
        .join(GridCell, GridCell.plan_id == GridPlan.id)
        .join(GridMembership, GridMembership.cell_id == GridCell.id)
        .where(GridPlan.name == name)
    ).all()
    cells: dict[tuple[str, str], set] = {}
    for town, cell, home in rows:
        cells.setdefault((town, cell), set()).add(home)
    plans: dict[str, set] = {}
    for (town, cell), homes in cells.items():
        plans.setdefault(town, set()).add((cell, frozenset(homes)))
    return {town: frozenset(plan) for town, plan in plans.items()}


def county_run_benchmarks() -> list:
    """The county allocated in parallel beside the sum of its township runs."""
    name = "全县网格自动划分（20 镇，多进程并行）"
    url = _url(COUNTY_DB, "--scale", "county")
    load = os.getloadavg()
    try:
        ours = _county_run()
        runs = _baseline(url)
        with make_session(url) as session:
            same = _plans(session, OURS) == _plans(session, BASELINE)
    except TimeoutError:
        return [NotDone(name, f"did not finish in {LIMIT_S} s（{LIMIT_S} 秒内未完成）")]
    finally:
        with make_session(url) as session:
            session.execute(delete(GridPlan).where(GridPlan.name.in_([OURS, BASELINE])))
            session.commit()
    baseline = sum(seconds for seconds, _ in runs)
    qualities = [q for _, q in runs]
    deviation = max(q.worst_deviation for q in qualities)
    whole = min(q.groups_whole_share for q in qualities)
    note = (
        f"目标 ≤ {TARGET_S:.0f} s；{os.cpu_count()} 核，负载 {load[0]:.1f}/{load[1]:.1f}；"
        f"{len(runs)} 镇 {sum(q.households for q in qualities)} 户 {sum(q.cells for q in qualities)} 格；"
        f"与逐镇方案完全相同 {'✓' if same else '✗'}；各镇规则：最大偏离 {deviation:.1%}（±15% {'✓' if in_band(deviation) else '✗'}），"
        f"小组完整最少的镇 {whole:.1%}（≥ 95% {'✓' if whole >= WHOLE_GROUPS else '✗'}）"
    )
    return [Result(name, ours, "逐镇之和", baseline, round(TARGET_S / baseline, 3), note)]


if __name__ == "__main__":
    for result in county_run_benchmarks():
        print(result.line())
