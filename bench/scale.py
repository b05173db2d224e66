"""City scale (issue 17): the demo city (10 counties, ~2,000,000 households) beside the county demo.

Both databases are generated once (`gridmgmt demo --scale city|county`, timed, the time kept in
var/bench/scale-imports.json) and reused. Measured on each, side by side: disk size, household
tile p95 (the ST_AsMVT statement run directly, as bench.tiles times it), one township's
compliance, the 县级总览 of 441624 after a server start and built from nothing, and the county's
allocation (`grids allocate --county`). Each step
runs in its own process (cold in-memory caches) under a time limit; a step over it is reported
as "did not finish". Opt-in, not in `make bench`: `make bench-scale` or

    .venv/bin/python -m bench.scale
"""

import itertools
import json
import multiprocessing
import os
import statistics
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import delete, text

from bench.common import BENCH_ACTOR, BIN, bench_actor
from bench.tiles import raw_sql_seconds, sample_tiles
from gridmgmt.config import get_settings
from gridmgmt.db.cluster import ensure_database
from gridmgmt.db.migrate import upgrade
from gridmgmt.db.models import GridPlan, TownshipVisitFigures
from gridmgmt.db.session import make_session
from gridmgmt.services.county.overview import county_overview
from gridmgmt.services.visits.compliance import township_compliance
from gridmgmt.services.visits.settings import VisitSettings

DATABASES = {"county": "gridmgmt_bench_scale_county", "city": "gridmgmt_bench_scale_city"}
COUNTY = "441624"
TOWNSHIP = "441624100000"
DEMO_LIMIT_S = {"county": 600, "city": 3600}
STEP_LIMIT_S = 300
ALLOCATE_LIMIT_S = 900
TILE_ZOOMS = (14, 16)
TILES = 100
TILE_ROUNDS = 5
COMPLIANCE_RUNS = 5
DASHBOARD_RUNS = 2
RATIO_TARGET = 1.2
DASHBOARD_TARGET_S = 2.0
ALLOCATE_TARGET_S = 60.0
BIG_TABLES = ("household", "visit", "party_member", "grid_membership", "checkin", "org_meeting")
PLAN_NAME = "规模基准"


def _imports_file() -> Path:
    return get_settings().var_dir / "bench" / "scale-imports.json"


def _run_gridmgmt(db: str, args: list[str], limit_s: float, quiet: bool = False) -> float | None:
    """Seconds `gridmgmt ARGS` took on database DB, or None when it ran past LIMIT_S (it is stopped);
    QUIET keeps its output back unless it fails."""
    env = {**os.environ, "GRIDMGMT_DB_NAME": db, "GRIDMGMT_ACTOR": BENCH_ACTOR}
    start = time.perf_counter()
    try:
        subprocess.run(
            [str(BIN / "gridmgmt"), *args], env=env, check=True, timeout=limit_s, capture_output=quiet, text=True
        )
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"gridmgmt {' '.join(args)} failed:\n{exc.stdout or ''}{exc.stderr or ''}") from exc
    return time.perf_counter() - start


def scale_database(scale: str) -> str:
    """URL of the bench database of SCALE (county or city), generated once with its time kept."""
    settings = get_settings()
    name = DATABASES[scale]
    ensure_database(settings, name)
    url = settings.url_for(name)
    upgrade(url)
    bench_actor(url)
    with make_session(url) as session:
        filled = session.execute(text("SELECT EXISTS (SELECT 1 FROM township)")).scalar_one()
    if not filled:
        seconds = _run_gridmgmt(name, ["demo", "--scale", scale], DEMO_LIMIT_S[scale])
        if seconds is None:
            raise SystemExit(f"demo --scale {scale} did not finish in {DEMO_LIMIT_S[scale]} s")
        kept = json.loads(_imports_file().read_text()) if _imports_file().exists() else {}
        kept[scale] = round(seconds, 1)
        _imports_file().parent.mkdir(parents=True, exist_ok=True)
        _imports_file().write_text(json.dumps(kept, indent=1))
    return url


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def tile_p95_ms(urls: dict[str, str], z: int) -> dict[str, float]:
    """p95 (ms) of the household tile statement over TILES tiles at zoom Z on each database:
    a warm-up pass, then TILE_ROUNDS rounds, the databases taking turns (the load drifts)."""
    tiles = {scale: sample_tiles(url, z, TILES) for scale, url in urls.items()}
    times = {scale: [] for scale in urls}
    for round_ in range(TILE_ROUNDS + 1):
        for scale, url in urls.items():
            seconds = raw_sql_seconds(url, tiles[scale])
            times[scale] += seconds if round_ else []
    return {scale: _p95(found) * 1000 for scale, found in times.items()}


def compliance_s(urls: dict[str, str]) -> dict[str, float]:
    """Median seconds of TOWNSHIP's compliance today on each database, COMPLIANCE_RUNS runs in
    turns after a warm-up run of each."""
    settings = get_settings()
    visits = VisitSettings.of(settings)
    times = {scale: [] for scale in urls}
    sessions = {scale: make_session(url) for scale, url in urls.items()}
    for _ in range(COMPLIANCE_RUNS + 1):
        for scale, session in sessions.items():
            start = time.perf_counter()
            township_compliance(session, TOWNSHIP, settings.today(), visits)
            times[scale].append(time.perf_counter() - start)
    for session in sessions.values():
        session.close()
    return {scale: statistics.median(found[1:]) for scale, found in times.items()}


def dashboard_s(url: str, stored: bool) -> float:
    """Seconds of COUNTY's 县级总览 in a fresh process (nothing in memory): with each township's
    visit figures as stored (STORED: a server start), or with them deleted first (built from nothing)."""
    settings = get_settings()
    with make_session(url) as session:
        if not stored:
            session.execute(delete(TownshipVisitFigures))
            session.commit()
        start = time.perf_counter()
        county_overview(session, COUNTY, settings.today(), VisitSettings.of(settings))
        return time.perf_counter() - start


def _child(queue, fn, args) -> None:
    queue.put(fn(*args))


def limited(fn, args: tuple, limit_s: float) -> float | None:
    """FN(*ARGS) in a fresh process, or None when it ran past LIMIT_S (the process is stopped)."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(queue, fn, args))
    process.start()
    process.join(limit_s)
    if process.is_alive():
        process.terminate()
        process.join()
        return None
    if process.exitcode != 0:
        raise SystemExit(f"{fn.__name__} failed (exit code {process.exitcode}): see its traceback above")
    return queue.get()


def allocate_county(scale: str) -> float | None:
    """Seconds of `grids allocate --county COUNTY` (its plans deleted afterwards)."""
    db = DATABASES[scale]
    try:
        return _run_gridmgmt(
            db, ["grids", "allocate", "--county", COUNTY, "--name", PLAN_NAME], ALLOCATE_LIMIT_S, quiet=True
        )
    finally:
        with make_session(get_settings().url_for(db)) as session:
            session.execute(delete(GridPlan).where(GridPlan.name == PLAN_NAME))
            session.commit()


def sizes(url: str) -> dict[str, int]:
    """Bytes of the whole database and of each of BIG_TABLES (with indexes and TOAST)."""
    with make_session(url) as session:
        found = {"database": session.execute(text("SELECT pg_database_size(current_database())")).scalar_one()}
        for table in BIG_TABLES:
            found[table] = session.execute(text("SELECT pg_total_relation_size(:t)"), {"t": table}).scalar_one()
        found["households"] = session.execute(text("SELECT count(*) FROM household")).scalar_one()
        found["visits"] = session.execute(text("SELECT count(*) FROM visit")).scalar_one()
    return found


def _cell(value: float | None, unit: str, limit: float) -> str:
    if value is None:
        return f"did not finish in {limit:.0f} s"
    return f"{value:,} {unit}" if isinstance(value, int) else f"{value:,.2f} {unit}"


def _row(name: str, pair: dict, unit: str, limit: float, target: str = "", met: bool | None = None) -> str:
    """| name | county | city | city ÷ county | target | ."""
    county, city = pair["county"], pair["city"]
    ratio = f"{city / county:.2f}×" if county and city else "—"
    ok = "" if met is None else (" ✓" if met else " ✗")
    return f"| {name} | {_cell(county, unit, limit)} | {_cell(city, unit, limit)} | {ratio} | {target}{ok} |"


def paired(fn, limit_s: float, urls: dict, *args) -> dict:
    """FN(URLS, *ARGS) (a figure per database, measured in turns) in a fresh process."""
    return limited(fn, (urls, *args), limit_s) or dict.fromkeys(urls)


def cold(fn, limit_s: float, urls: dict, *args) -> dict:
    """The least of DASHBOARD_RUNS runs of FN(url, *ARGS) per database, each in a fresh process, in turns."""
    runs = [{scale: limited(fn, (url, *args), limit_s) for scale, url in urls.items()} for _ in range(DASHBOARD_RUNS)]
    return {scale: min((r[scale] for r in runs if r[scale] is not None), default=None) for scale in urls}


HEADER = "| 规模基准 | 县（20 镇） | 市（10 县 200 镇） | 市 ÷ 县 | 目标 |\n|---|---|---|---|---|"
GB = 1024**3
MB = 1024**2


def _stored_rows(urls: dict[str, str]) -> list[str]:
    """Rows, counts, the demo command's time and the sizes of both databases."""
    imports = json.loads(_imports_file().read_text())
    found = {scale: sizes(url) for scale, url in urls.items()}
    database = {s: found[s]["database"] / GB for s in urls}
    rows = [
        _row("农户数", {s: found[s]["households"] for s in urls}, "户", 0),
        _row("走访记录数", {s: found[s]["visits"] for s in urls}, "条", 0),
        _row("生成并导入（demo 命令）", {s: imports.get(s) for s in urls}, "s", max(DEMO_LIMIT_S.values())),
        _row("数据库大小", database, "GB", 0, "≤ 15 GB", database["city"] < 15),
    ]
    return rows + [_row(f"表 {t}（含索引）", {s: round(found[s][t] / MB) for s in urls}, "MB", 0) for t in BIG_TABLES]


def _timed_rows(urls: dict[str, str]) -> Iterator[str]:
    """Rows of the timed steps, one by one: tiles, compliance, the overview, the county's allocation."""
    for z in TILE_ZOOMS:
        pair = paired(tile_p95_ms, STEP_LIMIT_S, urls, z)
        yield _row(f"农户瓦片 z{z} p95（SQL）", pair, "ms", STEP_LIMIT_S, f"≤ {RATIO_TARGET}×", _within(pair))
    pair = paired(compliance_s, STEP_LIMIT_S, urls)
    yield _row(f"一个镇的走访合规（{TOWNSHIP}）", pair, "s", STEP_LIMIT_S, f"≤ {RATIO_TARGET}×", _within(pair))
    for stored, name in ((False, "从零计算（已存数字删去）"), (True, "服务器重启后（已存数字）")):
        pair = cold(dashboard_s, STEP_LIMIT_S, urls, stored)
        met = pair["city"] is not None and pair["city"] <= DASHBOARD_TARGET_S
        yield _row(f"县级总览 {COUNTY} {name}", pair, "s", STEP_LIMIT_S, f"≤ {DASHBOARD_TARGET_S:.0f} s", met)
    pair = {scale: allocate_county(scale) for scale in urls}
    met = pair["city"] is not None and pair["city"] <= ALLOCATE_TARGET_S
    name = f"全县网格划分 {COUNTY}（grids allocate --county）"
    yield _row(name, pair, "s", ALLOCATE_LIMIT_S, f"≤ {ALLOCATE_TARGET_S:.0f} s", met)


def scale_benchmarks() -> list[str]:
    """Every figure of both databases as table rows (printed as they come)."""
    urls = {scale: scale_database(scale) for scale in DATABASES}
    rows = []
    for row in itertools.chain(_stored_rows(urls), _timed_rows(urls)):
        rows.append(row)
        print(row, flush=True)
    return rows


def _within(pair: dict) -> bool:
    return None not in pair.values() and pair["city"] <= RATIO_TARGET * pair["county"]


def main() -> None:
    """Run the scale benchmark, print the table and write var/bench/scale.md."""
    rows = scale_benchmarks()
    report = "\n".join([HEADER, *rows]) + "\n"
    print(report)
    (get_settings().var_dir / "bench" / "scale.md").write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
