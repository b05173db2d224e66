"""County households: `gridmgmt import` versus `ogr2ogr -f PostgreSQL` on the same GeoPackage."""

import os
import subprocess
import time
from pathlib import Path

import pyogrio
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench.common import BENCH_ACTOR, BIN, Result, bench_actor, fresh_database, gridmgmt, timed
from gridmgmt.config import get_settings
from gridmgmt.db.bulk import REBUILD_MAINTENANCE_KB
from gridmgmt.db.cluster import ensure_database
from gridmgmt.db.migrate import upgrade
from gridmgmt.db.session import make_session
from gridmgmt.services.accounts.actors import Actor
from gridmgmt.services.imports import import_layer

SOURCE_DB = "gridmgmt_bench_source"
TARGET_DB = "gridmgmt_bench_target"
OGR_TABLE = "ogr_household"
RUNS = 3
# What household has and ogr2ogr's table lacks, built on its table after its load as our import rebuilds it
# (with the same maintenance_work_mem): the UNIQUE code, three B-trees and three foreign keys. Its table has
# the village's and group's codes where ours has their ids (both keys into UNIQUE columns), and no grid cell
# column: one is added, NULL as ours is after an import. Ours also has CHECK (ST_IsValid(geom)), left out.
LIKE_FOR_LIKE = "ogr2ogr + 同样的索引和外键"
OGR_INTEGRITY = f"""
SET LOCAL maintenance_work_mem = '{REBUILD_MAINTENANCE_KB}kB';
ALTER TABLE {OGR_TABLE}
    ADD COLUMN grid_cell_id integer,
    ADD UNIQUE (code),
    ADD FOREIGN KEY (village_code) REFERENCES village (code),
    ADD FOREIGN KEY (group_code) REFERENCES village_group (code),
    ADD FOREIGN KEY (grid_cell_id) REFERENCES grid_cell (id) ON DELETE SET NULL;
CREATE INDEX ON {OGR_TABLE} (village_code);
CREATE INDEX ON {OGR_TABLE} (group_code);
CREATE INDEX ON {OGR_TABLE} (grid_cell_id);
"""
# The county demo has ~200,000 households; fewer means the source holds something else.
COUNTY_MIN_HOUSEHOLDS = 150_000


def _count(url: str, sql: str) -> int:
    with make_session(url) as session:
        return session.execute(text(sql)).scalar()


def county_files(folder: Path) -> dict[str, Path]:
    """GeoPackages of the county demo: townships, villages per township, groups, households.

    The source database gets the county demo once (`demo --if-empty` does nothing when it has
    townships); files already exported are reused.
    """
    settings = get_settings()
    ensure_database(settings, SOURCE_DB)
    url = settings.url_for(SOURCE_DB)
    upgrade(url)
    bench_actor(url)
    gridmgmt(SOURCE_DB, "demo", "--scale", "county", "--if-empty")
    if _count(url, "SELECT count(*) FROM household") < COUNTY_MIN_HOUSEHOLDS:
        raise SystemExit(f"数据库 {SOURCE_DB} 中不是县级演示数据：请删除该数据库后重跑")
    folder.mkdir(parents=True, exist_ok=True)
    files = {layer: folder / f"{layer}.gpkg" for layer in ("townships", "groups", "households")}
    with make_session(url) as session:
        codes = session.execute(text("SELECT code FROM township ORDER BY code")).scalars().all()
    files |= {f"villages {code}": folder / f"villages-{code}.gpkg" for code in codes}
    for key, path in files.items():
        if not path.exists():
            layer, *township = key.split()
            gridmgmt(
                SOURCE_DB,
                "export",
                layer,
                "--format",
                "gpkg",
                "-o",
                str(path),
                *(("--township", *township) if township else ()),
            )
    return files


def prepare_target(files: dict[str, Path]) -> str:
    """A fresh target database holding the county's townships, villages and groups; returns its URL."""
    url = fresh_database(TARGET_DB)
    bench_actor(url)
    actor = Actor(BENCH_ACTOR)
    with make_session(url) as session:
        import_layer(session, "townships", files["townships"], actor=actor)
        for key, path in files.items():
            if key.startswith("villages "):
                import_layer(session, "villages", path, township=key.split()[1], actor=actor)
        import_layer(session, "groups", files["groups"], actor=actor)
    return url


def ogr_connection(url: str) -> str:
    """The GDAL PostgreSQL connection string of a SQLAlchemy URL, without its password."""
    u = make_url(url)
    parts = {"host": u.host, "port": u.port, "user": u.username, "dbname": u.database}
    return "PG:" + " ".join(f"{k}={v}" for k, v in parts.items() if v is not None)


def _run(*command: str, password: str | None = None) -> None:
    # The password goes in the environment: a command line is visible to every local account.
    env = {**os.environ, "PGPASSWORD": password} if password else None
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)


def _execute(url: str, sql: str) -> None:
    with make_session(url) as session:
        session.execute(text(sql))
        session.commit()


def _empty_households(url: str) -> None:
    _execute(url, "TRUNCATE household CASCADE")
    bench_actor(url)  # the cascade reaches app_user through cadre


def run_ours(url: str, path: Path) -> float:
    """Seconds the whole `gridmgmt import households` process takes, into an empty household table."""
    _empty_households(url)
    return timed(gridmgmt, TARGET_DB, "import", "households", str(path))


def run_in_process(url: str, path: Path) -> float:
    """Seconds `import_layer` takes in this process, whose modules are loaded (the 数据导入 page's path: the
    web server runs it in a thread), from the call to its return, into an empty household table."""
    _empty_households(url)
    with make_session(url) as session:
        start = time.perf_counter()
        import_layer(session, "households", path, actor=Actor(BENCH_ACTOR))
        return time.perf_counter() - start


def _ogr2ogr(url: str, path: Path) -> None:
    """ogr2ogr loads PATH into a new table (COPY, GiST index on, its default)."""
    command = (
        "ogr2ogr",
        "-f",
        "PostgreSQL",
        ogr_connection(url),
        str(path),
        "-nln",
        OGR_TABLE,
        "-lco",
        "GEOMETRY_NAME=geom",
        "--config",
        "PG_USE_COPY",
        "YES",
    )
    _run(*command, password=make_url(url).password)


def run_ogr2ogr(url: str, path: Path) -> float:
    """Seconds ogr2ogr takes to load PATH into a new table (COPY, GiST index on, its default)."""
    _execute(url, f"DROP TABLE IF EXISTS {OGR_TABLE}")
    return timed(_ogr2ogr, url, path)


def run_ogr2ogr_integrity(url: str, path: Path) -> float:
    """Seconds ogr2ogr's load of PATH and then, in one transaction, OGR_INTEGRITY on its table take together."""
    _execute(url, f"DROP TABLE IF EXISTS {OGR_TABLE}")
    return timed(lambda: (_ogr2ogr(url, path), _execute(url, OGR_INTEGRITY)))


def cli_startup() -> float:
    """Seconds a Python process takes to start and load what `gridmgmt import` runs on (its command line
    and the import service with their libraries): the part of the command's time before it reads a row.
    (`import --help` alone is not it: the command loads those libraries only when it runs.)"""
    return timed(_run, str(BIN / "python"), "-c", "import gridmgmt.cli, gridmgmt.services.imports")


def household_import(folder: Path) -> list[Result]:
    """Best of RUNS runs of each, taken in turns: the CLI process and the in-process call (the web page's path),
    each beside ogr2ogr and ogr2ogr followed by OGR_INTEGRITY in the same run; every run must load every
    household of the file."""
    files = county_files(folder / "county")
    url = prepare_target(files)
    path = files["households"]
    ours, inside, theirs, like, startup = [], [], [], [], []
    for _ in range(RUNS):
        ours.append(run_ours(url, path))
        inside.append(run_in_process(url, path))
        like.append(run_ogr2ogr_integrity(url, path))
        theirs.append(run_ogr2ogr(url, path))
        startup.append(cli_startup())
    counts = {
        "GeoPackage": pyogrio.read_info(path)["features"],
        "gridmgmt": _count(url, "SELECT count(*) FROM household"),
        "ogr2ogr": _count(url, f"SELECT count(*) FROM {OGR_TABLE}"),
    }
    if len(set(counts.values())) != 1:
        raise SystemExit(f"行数不一致：{counts}")
    runs = "、".join(f"{a:.1f}/{b:.1f}/{c:.1f}/{d:.1f}" for a, b, c, d in zip(inside, ours, theirs, like))
    name = f"农户导入 {counts['gridmgmt']:,} 户（GeoPackage）"
    note = (
        f"各取 {RUNS} 次中最快；各次 进程内/命令行/ogr2ogr/ogr2ogr+索引外键 秒数：{runs}；负载 {os.getloadavg()[0]:.1f}"
    )
    cli_note = f"整个 gridmgmt import 进程；其中启动 Python 并载入导入所需的库 {min(startup):.1f} s"
    return [
        Result(f"{name}，网页导入（进程内）", min(inside), "ogr2ogr", min(theirs), 1.0, note),
        Result(f"{name}，命令行", min(ours), "ogr2ogr", min(theirs), 1.0, cli_note),
        Result(f"{name}，网页导入（进程内）", min(inside), LIKE_FOR_LIKE, min(like), 1.0, "同一次运行"),
        Result(f"{name}，命令行", min(ours), LIKE_FOR_LIKE, min(like), 1.0, "同一次运行"),
    ]


def summary(results: list[Result]) -> str:
    """One line: both of our times beside both baselines, and the four ratios."""
    inside, cli, inside_like, cli_like = results
    return (
        f"网页导入（进程内）{inside.ours_s:.1f} s，命令行 {cli.ours_s:.1f} s；ogr2ogr {inside.baseline_s:.1f} s："
        f"{inside.ratio:.2f}× / {cli.ratio:.2f}×；{LIKE_FOR_LIKE} {inside_like.baseline_s:.1f} s："
        f"{inside_like.ratio:.2f}× / {cli_like.ratio:.2f}×"
    )


if __name__ == "__main__":
    found = household_import(get_settings().var_dir / "bench")
    print(*(r.line() for r in found), summary(found), sep="\n")
