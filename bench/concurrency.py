"""200 concurrent mixed GETs: the production server versus today's single waitress process.

Each of 200 clients (threads, keep-alive connections, all released at once) fetches
10 paths drawn (fixed seed) from the mix a map page makes: pages (township
overview, village, household), JSON (OGC API items), vector tiles (households,
villages, roads) and static files, logged in as the bench admin, on the county
demo. The same lists go to `gridmgmt serve` (waitress, one process, 4 threads) and
to `gridmgmt serve --production`; in the same run the other multi-process candidate
gets them too, with as many workers. Each side has TIME_LIMIT_S; one that does not
answer every request by then is reported as not finished.
"""
import random

from sqlalchemy import text

from bench.load import Outcome, Target, run_load
from bench.serving import Figure, county_database, log_in, ours, production, other_candidate
from bench.tiles import sample_tiles
from gridmgmt.db.session import make_session

CLIENTS = 200
REQUESTS_PER_CLIENT = 10
TIME_LIMIT_S = 240
P95_TARGET = 5.0  # the production server's p95 at least this many times lower
SEED = 15
STATIC = ["/static/site.css", "/static/pages.css", "/static/vectortiles.js",
          "/assets/leaflet/dist/leaflet.js", "/assets/leaflet/dist/leaflet.css"]
# Of every 10 requests: pages, JSON, tiles, static files.
MIX = {"pages": 2, "json": 2, "tiles": 4, "static": 2}


def _codes(url: str) -> dict[str, list[str]]:
    """Codes of the first township, its villages and a sample of its households."""
    with make_session(url) as session:
        township = session.scalar(text("SELECT code FROM township ORDER BY code LIMIT 1"))
        villages = list(session.scalars(text(
            "SELECT v.code FROM village v JOIN township t ON t.id = v.township_id "
            "WHERE t.code = :t ORDER BY v.code"), {"t": township}))
        session.execute(text("SELECT setseed(0.15)"))
        households = list(session.scalars(text(
            "SELECT code FROM household ORDER BY random() LIMIT 200")))
    return {"township": [township], "villages": villages, "households": households}


def mixed_paths(url: str) -> list[list[str]]:
    """CLIENTS lists of REQUESTS_PER_CLIENT paths, in MIX proportions, shuffled (seeded)."""
    rng = random.Random(SEED)
    codes = _codes(url)
    tiles = [f"/tiles/households/{t.z}/{t.x}/{t.y}.pbf" for t in sample_tiles(url, 14, 100)]
    tiles += [f"/tiles/{layer}/{t.z}/{t.x}/{t.y}.pbf" for t in sample_tiles(url, 12, 20)
              for layer in ("villages", "roads")]
    kinds = {
        "pages": lambda: rng.choice([f"/townships/{codes['township'][0]}",
                                     f"/villages/{rng.choice(codes['villages'])}",
                                     f"/households/{rng.choice(codes['households'])}"]),
        "json": lambda: rng.choice([f"/ogc/collections/villages/items?limit=50&offset={rng.randrange(350)}",
                                    f"/ogc/collections/households/items?limit=20&offset={rng.randrange(10000)}"]),
        "tiles": lambda: rng.choice(tiles),
        "static": lambda: rng.choice(STATIC),
    }
    per_client = []
    for _ in range(CLIENTS):
        paths = [kinds[kind]() for kind, count in MIX.items() for _ in range(count)]
        rng.shuffle(paths)
        per_client.append(paths)
    return per_client


def _run(server, password: str, paths: list[list[str]]) -> Outcome:
    with server as app:
        target = Target(app.port, {"Cookie": log_in(app.port, password),
                                    "Accept-Encoding": "gzip"})
        run_load(target, [p[:2] for p in paths[:20]], TIME_LIMIT_S)  # warm-up: pools, caches
        return run_load(target, paths, TIME_LIMIT_S)


def concurrent_gets() -> list[Figure]:
    """p95 and throughput of 200 concurrent mixed GETs, production server versus waitress."""
    url, password = county_database()
    paths = mixed_paths(url)
    baseline = _run(ours(), password, paths)
    mine = _run(production(), password, paths)
    other = _run(other_candidate(), password, paths)
    return _figures(mine, baseline, other)


def _describe(outcome: Outcome) -> str:
    if not outcome.finished:
        return f"未在 {TIME_LIMIT_S} s 内完成（完成 {len(outcome.latencies)}/{outcome.planned}）"
    failed = f"，失败 {outcome.failures}" if outcome.failures else ""
    return f"p95 {outcome.p95_s * 1000:.0f} ms，{outcome.throughput:.0f} 次/秒{failed}"


def _figures(mine: Outcome, baseline: Outcome, other: Outcome) -> list[Figure]:
    ms = 1000
    note = (f"{CLIENTS} 并发 × {REQUESTS_PER_CLIENT} 次（页面:JSON:瓦片:静态 = 2:2:4:2）；"
            f"waitress {_describe(baseline)}；生产 {_describe(mine)}；另一候选 {_describe(other)}")
    if not (mine.finished and baseline.finished) or mine.failures or baseline.failures:
        # No ratio from an unfinished or failing side: report it as missed with the reason.
        return [Figure("200 并发混合 GET p95", mine.p95_s * ms if mine.latencies else 0.0,
                       "waitress 单进程", baseline.p95_s * ms if baseline.latencies else 1.0,
                       "ms", f"低 ≥ {P95_TARGET:g} 倍", False, note)]
    return [
        Figure("200 并发混合 GET p95", mine.p95_s * ms, "waitress 单进程", baseline.p95_s * ms, "ms",
               f"低 ≥ {P95_TARGET:g} 倍", baseline.p95_s >= P95_TARGET * mine.p95_s, note),
        Figure("200 并发混合 GET 吞吐", mine.throughput, "waitress 单进程", baseline.throughput,
               "次/秒", "高于基线", mine.throughput > baseline.throughput),
    ]


if __name__ == "__main__":
    for figure in concurrent_gets():
        print(figure.line())
