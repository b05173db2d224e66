"""Household vector tiles on the county demo: our endpoint versus tipg, and versus raw SQL.

The same tiles (around randomly chosen households, fixed seed) are fetched from
both servers by 8 concurrent clients (threads with keep-alive `http.client`
connections); both get one warm-up pass first, then they take turns, round by
round. The overhead is our endpoint's time over the time of the same ST_AsMVT
statement run directly, one tile at a time, for the same tiles, in turns too.
"""

import http.client
import statistics
import threading
import time

import psycopg
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from bench.serving import Figure, county_database, log_in, ours, tipg
from gridmgmt.db.session import make_session
from gridmgmt.domain.permissions import Scope
from gridmgmt.services.mapdata.tiles import TileAddress, tile_at, tile_layer, tile_statement

ZOOMS = (14, 16)
TILES_PER_ZOOM = 150
CLIENTS = 8
ROUNDS = 5
P95_TARGET_MS = 50
OVERHEAD_TARGET = 1.3
# The same content as ours: each household's point and id.
TIPG_PATH = "/collections/public.household/tiles/WebMercatorQuad/{z}/{x}/{y}?properties=id"


def sample_tiles(url: str, z: int, count: int) -> list[TileAddress]:
    """COUNT distinct tiles at zoom Z, each holding at least one household (seeded)."""
    with make_session(url) as session:
        session.execute(text("SELECT setseed(0.42)"))
        points = session.execute(
            text("SELECT ST_X(geom), ST_Y(geom) FROM household ORDER BY random() LIMIT :n"), {"n": count * 4}
        ).all()
    tiles = dict.fromkeys(tile_at(lon, lat, z) for lon, lat in points)
    return list(tiles)[:count]


def _client(port: int, paths, headers: dict, latencies: list[float], statuses: set) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for path in paths:
        start = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - start)
        statuses.add(response.status)
    conn.close()


def fetch(port: int, paths: list[str], headers: dict, clients: int) -> tuple[list[float], float]:
    """Fetch PATHS with CLIENTS concurrent connections: (latencies in s, wall-clock s)."""
    shared = iter(paths)
    lock = threading.Lock()

    def next_paths():
        while True:
            with lock:
                path = next(shared, None)
            if path is None:
                return
            yield path

    latencies: list[float] = []
    statuses: set[int] = set()
    threads = [
        threading.Thread(target=_client, args=(port, next_paths(), headers, latencies, statuses))
        for _ in range(clients)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    if statuses - {200, 204}:
        raise SystemExit(f"瓦片请求失败：HTTP {sorted(statuses)}")
    return latencies, wall


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def raw_sql_seconds(url: str, tiles: list[TileAddress]) -> list[float]:
    """Time of our ST_AsMVT statement for each tile, run directly with psycopg."""
    dialect = postgresql.psycopg.dialect()
    everything = Scope(township_ids=None)
    sqls = [
        str(
            tile_statement(tile_layer("households"), tile, everything).compile(
                dialect=dialect, compile_kwargs={"literal_binds": True}
            )
        )
        for tile in tiles
    ]
    times = []
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        for sql in sqls:
            start = time.perf_counter()
            conn.execute(sql).fetchone()
            times.append(time.perf_counter() - start)
    return times


def index_used(url: str, tile: TileAddress) -> bool:
    """True when PostgreSQL plans the household tile with the GiST index on geom."""
    sql = tile_statement(tile_layer("households"), tile, Scope(township_ids=None)).compile(
        dialect=postgresql.psycopg.dialect(), compile_kwargs={"literal_binds": True}
    )
    with make_session(url) as session:
        plan = "\n".join(session.execute(text(f"EXPLAIN {sql}")).scalars())
    return "idx_household_geom" in plan


def _paths(template: str, tiles: list[TileAddress]) -> list[str]:
    return [template.format(z=t.z, x=t.x, y=t.y) for t in tiles]


def _measure(servers: dict[str, tuple[int, list[str], dict]], raw_sql) -> dict[str, dict]:
    """Per server (name → port, paths, headers): latencies, throughput and sequential time.

    The servers take turns round by round, and the sequential passes alternate with
    RAW_SQL (a callable timing the raw statements): on a shared machine the load
    drifts, and what is compared should see the same load.
    """
    for port, paths, headers in servers.values():
        fetch(port, paths, headers, CLIENTS)  # warm-up: caches of the server and PostgreSQL
    latencies = {name: [] for name in servers}
    walls = dict.fromkeys(servers, 0.0)
    sequential = dict.fromkeys([*servers, "raw"], 0.0)
    for _ in range(ROUNDS):
        for name, (port, paths, headers) in servers.items():
            times, wall = fetch(port, paths, headers, CLIENTS)
            latencies[name] += times
            walls[name] += wall
            sequential[name] += sum(fetch(port, paths, headers, 1)[0])
        sequential["raw"] += sum(raw_sql())
    results = {
        name: {
            "median": statistics.median(times),
            "p95": _p95(times),
            "rps": len(times) / walls[name],
            "sequential": sequential[name] / ROUNDS,
        }
        for name, times in latencies.items()
    }
    results["raw"] = sequential["raw"] / ROUNDS
    return results


def household_tiles() -> list[Figure]:
    """Latency, throughput and overhead of household tiles at z14 and z16."""
    url, password = county_database()
    figures = []
    with ours() as app, tipg(url) as baseline:
        cookie = {"Cookie": log_in(app.port, password)}
        for z in ZOOMS:
            tiles = sample_tiles(url, z, TILES_PER_ZOOM)
            results = _measure(
                {
                    "ours": (app.port, _paths("/tiles/households/{z}/{x}/{y}.pbf", tiles), cookie),
                    "tipg": (baseline.port, _paths(TIPG_PATH, tiles), {}),
                },
                lambda tiles=tiles: raw_sql_seconds(url, tiles),
            )
            figures += _figures(z, len(tiles), results["ours"], results["tipg"], results["raw"])
        indexed = index_used(url, tiles[0])
    figures[0].note += f"；EXPLAIN 使用 GiST 索引：{'是' if indexed else '否'}"
    return figures


def _figures(z: int, count: int, mine: dict, theirs: dict, raw_s: float) -> list[Figure]:
    ms = 1000
    note = (
        f"{count} 个瓦片×{ROUNDS} 轮，{CLIENTS} 并发；中位数 {mine['median'] * ms:.1f} ms"
        f"（tipg {theirs['median'] * ms:.1f} ms）"
    )
    return [
        Figure(
            f"农户瓦片 z{z} p95 延迟",
            mine["p95"] * ms,
            "tipg",
            theirs["p95"] * ms,
            "ms",
            f"≤ {P95_TARGET_MS} ms",
            mine["p95"] * ms <= P95_TARGET_MS,
            note,
        ),
        Figure(
            f"农户瓦片 z{z} 吞吐",
            mine["rps"],
            "tipg",
            theirs["rps"],
            "次/秒",
            "≥ tipg",
            mine["rps"] >= theirs["rps"],
            f"{CLIENTS} 并发客户端",
        ),
        Figure(
            f"农户瓦片 z{z} 端点耗时 ÷ SQL 耗时",
            mine["sequential"] * ms / count,
            "直接执行 ST_AsMVT",
            raw_s * ms / count,
            "ms/瓦片",
            f"≤ {OVERHEAD_TARGET}×",
            mine["sequential"] / raw_s <= OVERHEAD_TARGET,
            f"逐个请求，同一批瓦片；tipg 逐个请求 {theirs['sequential'] * ms / count:.1f} ms/瓦片",
        ),
    ]


if __name__ == "__main__":
    for figure in household_tiles():
        print(figure.line())
