"""200 concurrent mixed GETs: the production stack versus today's single waitress process.

Each of 200 clients (threads, keep-alive connections, all released at once) fetches
10 paths drawn (fixed seed) from the mix a map page makes: pages (township
overview, village, household), JSON (OGC API items), vector tiles (households,
villages, roads) and static files, logged in as the bench admin, on the county
demo. The same lists go to `gridmgmt serve` (waitress, one process, 4 threads), to
`gridmgmt serve --production` (granian) behind Caddy over HTTPS (deploy/Caddyfile.intranet),
to granian directly, and to gunicorn (the candidate not chosen, as many workers and
threads); they take turns, ROUNDS rounds, so that they share the machine's load. Each
side has TIME_LIMIT_S per round; one that does not answer every request by then is
reported as not finished.
"""

import os
import random
import tempfile
from pathlib import Path

from sqlalchemy import text

from bench.load import Outcome, Target, run_load
from bench.serving import Caddy, Figure, county_database, log_in, other_candidate, ours, production
from bench.tiles import sample_tiles
from gridmgmt.db.session import make_session

CLIENTS = 200
REQUESTS_PER_CLIENT = 10
ROUNDS = 2
TIME_LIMIT_S = 180  # per side and round
SETTLE_S = 300
P95_TARGET = 5.0  # the production server's p95 at least this many times lower
SEED = 15
STATIC = [
    "/static/site.css",
    "/static/pages.css",
    "/static/vectortiles.js",
    "/assets/leaflet/dist/leaflet.js",
    "/assets/leaflet/dist/leaflet.css",
]
# Of every 10 requests: pages, JSON, tiles, static files.
MIX = {"pages": 2, "json": 2, "tiles": 4, "static": 2}


def _codes(url: str) -> dict[str, list[str]]:
    """Codes of the first township, its villages and a sample of its households."""
    with make_session(url) as session:
        township = session.scalar(text("SELECT code FROM township ORDER BY code LIMIT 1"))
        villages = list(
            session.scalars(
                text(
                    "SELECT v.code FROM village v JOIN township t ON t.id = v.township_id "
                    "WHERE t.code = :t ORDER BY v.code"
                ),
                {"t": township},
            )
        )
        session.execute(text("SELECT setseed(0.15)"))
        households = list(session.scalars(text("SELECT code FROM household ORDER BY random() LIMIT 200")))
    return {"township": [township], "villages": villages, "households": households}


def mixed_paths(url: str) -> list[list[str]]:
    """CLIENTS lists of REQUESTS_PER_CLIENT paths, in MIX proportions, shuffled (seeded)."""
    rng = random.Random(SEED)
    codes = _codes(url)
    tiles = [f"/tiles/households/{t.z}/{t.x}/{t.y}.pbf" for t in sample_tiles(url, 14, 100)]
    tiles += [
        f"/tiles/{layer}/{t.z}/{t.x}/{t.y}.pbf" for t in sample_tiles(url, 12, 20) for layer in ("villages", "roads")
    ]
    kinds = {
        "pages": lambda: rng.choice(
            [
                f"/townships/{codes['township'][0]}",
                f"/villages/{rng.choice(codes['villages'])}",
                f"/households/{rng.choice(codes['households'])}",
            ]
        ),
        "json": lambda: rng.choice(
            [
                f"/ogc/collections/villages/items?limit=50&offset={rng.randrange(350)}",
                f"/ogc/collections/households/items?limit=20&offset={rng.randrange(10000)}",
            ]
        ),
        "tiles": lambda: rng.choice(tiles),
        "static": lambda: rng.choice(STATIC),
    }
    per_client = []
    for _ in range(CLIENTS):
        paths = [kinds[kind]() for kind, count in MIX.items() for _ in range(count)]
        rng.shuffle(paths)
        per_client.append(paths)
    return per_client


def _settle(target: Target) -> None:
    """Wait until the server has worked off requests left queued by clients that gave up."""
    conn = target.connect(SETTLE_S)
    conn.request("GET", "/healthz")
    conn.getresponse().read()
    conn.close()


def _measure(targets: dict[str, Target], paths: list[list[str]]) -> dict[str, Outcome]:
    """Each target's outcome over ROUNDS rounds, the targets taking turns within each round."""
    for target in targets.values():
        run_load(target, [p[:4] for p in paths[:50]], TIME_LIMIT_S)  # warm-up: every worker
    outcomes = {name: Outcome(planned=0) for name in targets}
    for _ in range(ROUNDS):
        for name, target in targets.items():
            outcomes[name].add(run_load(target, paths, TIME_LIMIT_S))
            _settle(target)
    return outcomes


def concurrent_gets() -> list[Figure]:
    """p95 and throughput of 200 concurrent mixed GETs: the production stack versus waitress."""
    url, password = county_database()
    paths = mixed_paths(url)
    with (
        ours() as waitress,
        production() as granian,
        other_candidate() as gunicorn,
        tempfile.TemporaryDirectory() as folder,
        Caddy(granian.port, Path(folder), "localhost") as caddy,
    ):
        headers = {"Cookie": log_in(granian.port, password), "Accept-Encoding": "gzip"}
        load_before = os.getloadavg()[0]
        outcomes = _measure(
            {
                "waitress": Target(waitress.port, headers),
                "caddy": Target(caddy.port, headers, host="localhost", ca_file=str(caddy.root)),
                "granian": Target(granian.port, headers),
                "gunicorn": Target(gunicorn.port, headers),
            },
            paths,
        )
    return _figures(outcomes, (load_before, os.getloadavg()[0]))


def _describe(outcome: Outcome) -> str:
    if not outcome.finished:
        return f"未在 {TIME_LIMIT_S} s 内完成（完成 {len(outcome.latencies)}/{outcome.planned}）"
    failed = f"，失败 {outcome.failures}" if outcome.failures else ""
    return f"p95 {outcome.p95_s * 1000:,.0f} ms，{outcome.throughput:.0f} 次/秒{failed}"


def _figures(outcomes: dict[str, Outcome], load: tuple[float, float]) -> list[Figure]:
    mine, baseline = outcomes["caddy"], outcomes["waitress"]
    note = (
        f"{CLIENTS} 并发 × {REQUESTS_PER_CLIENT} 次（页面:JSON:瓦片:静态 = 2:2:4:2），{ROUNDS} 轮轮流，"
        f"负载 {load[0]:.1f} → {load[1]:.1f}；"
        f"Caddy HTTPS + granian {_describe(mine)}；granian 直连 {_describe(outcomes['granian'])}；"
        f"gunicorn gthread 直连 {_describe(outcomes['gunicorn'])}；waitress {_describe(baseline)}"
    )
    complete = mine.finished and baseline.finished and not (mine.failures or baseline.failures)
    ms = 1000
    p95 = Figure(
        "200 并发混合 GET p95（Caddy HTTPS + granian）",
        mine.p95_s * ms if mine.latencies else float("nan"),
        "waitress 单进程",
        baseline.p95_s * ms if baseline.latencies else float("nan"),
        "ms",
        f"低 ≥ {P95_TARGET:g} 倍",
        complete and baseline.p95_s >= P95_TARGET * mine.p95_s,
        note,
    )
    throughput = Figure(
        "200 并发混合 GET 吞吐（Caddy HTTPS + granian）",
        mine.throughput,
        "waitress 单进程",
        baseline.throughput,
        "次/秒",
        "高于基线",
        complete and mine.throughput > baseline.throughput,
    )
    return [p95, throughput]


if __name__ == "__main__":
    for figure in concurrent_gets():
        print(figure.line())
