"""The map pages in Chromium: what each loads (raw and gzip bytes) and how soon its map is drawn.

The township overview at 1366×768 as the township's planner, the phone pages /m and
/m/visits at 390×844 as its grid worker, with the CPU slowed down 4× like a mid-range
phone; the county demo's first township, served by `gridmgmt serve`. Every load starts
with an empty cache. Bytes: every response, refetched with the same cookies (the browser
keeps no body of what fetch() read), and gzip -6 of it, what a compressing proxy would
send (the app itself compresses nothing). Times from navigation start: households drawn
(PAINTED_AT), and the arrival of the last tile.

Other checkouts of gridmgmt (e.g. an older commit, with its own node_modules) are served
side by side on the same database and loaded in turn, page by page:

    .venv/bin/python -m bench.mappages [NAME=DIR ...]
"""

import gzip
import statistics
import sys
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlalchemy import select

from bench.common import BIN
from bench.pages import ARGS, CHROMIUM
from bench.serving import DB, Server, county_database, log_in, ours
from gridmgmt.config import get_settings
from gridmgmt.db.models import Township
from gridmgmt.db.session import make_session
from gridmgmt.services.accounts.actors import Actor
from gridmgmt.services.accounts.demo_users import DEMO_PASSWORD, DEMO_USERS, ensure_demo_users

RUNS = 5
POLL_MS = 50
PHONE_BUDGET_KB = 300  # the field app over a slow link, compressed
SLOW_LINK_BPS = 1_600_000  # "slow 4G" of Lighthouse: 1.6 Mbit/s

# performance.now() once households are drawn, else false. Tiled maps: a pixel of their blue
# (#2f6fb5) on the households' tile canvases or on a WebGL map's canvas (copied to read it).
# Maps with nothing tiled (the phone pages): any pixel on the overlay canvas, or any SVG path.
PAINTED_AT = """() => {
    const tiled = typeof window.gridmgmtTiles === "function";
    const selector = tiled ? ".leaflet-households-pane canvas, canvas.maplibregl-canvas"
                           : ".leaflet-overlay-pane canvas, .leaflet-overlay-pane path";
    for (let element of document.querySelectorAll(selector)) {
        if (element.tagName !== "CANVAS") return performance.now();
        if (!element.width) continue;
        let context = element.getContext("2d");
        if (!context) {
            const copy = document.createElement("canvas");
            [copy.width, copy.height] = [element.width, element.height];
            context = copy.getContext("2d");
            context.drawImage(element, 0, 0);
            element = copy;
        }
        const data = context.getImageData(0, 0, element.width, element.height).data;
        for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3] > 0 && (!tiled || data[i + 2] - data[i] > 60)) return performance.now();
        }
    }
    return false;
}"""


@dataclass(frozen=True)
class MapPage:
    """A page to load: who, where, the window, the CPU slowdown."""

    name: str
    role: str
    path: str
    viewport: tuple[int, int]
    cpu_slowdown: int


PAGES = (
    MapPage("总览", "planner", "/townships/{code}", (1366, 768), 1),
    MapPage("/m", "grid_worker", "/m", (390, 844), 4),
    MapPage("/m/visits", "grid_worker", "/m/visits", (390, 844), 4),
)


@dataclass
class Load:
    """One page load: bytes by kind (raw, gzip), tile requests, times in ms."""

    assets: tuple[int, int]
    tiles: tuple[int, int]
    other: tuple[int, int]
    tile_requests: int
    painted_ms: float
    last_tile_ms: float


def checkout_server(name: str, root: Path, db: str = DB) -> Server:
    """`gridmgmt serve` of the checkout at ROOT (its code and node_modules) on the bench database DB."""
    env = {
        "GRIDMGMT_DB_NAME": db,
        "PYTHONPATH": str(root),
        "GRIDMGMT_NODE_MODULES": str(root / "node_modules"),
        "GRIDMGMT_VAR_DIR": str(get_settings().var_dir),
    }  # this checkout's cluster and secrets
    return Server(name, [str(BIN / "gridmgmt"), "serve", "--port", "{port}"], env)


def response_sizes(context, urls: list[str]) -> tuple[int, int]:
    """Raw and gzip -6 bytes of the bodies at URLS, refetched in CONTEXT (its cookies)."""
    bodies = [context.request.get(url).body() for url in urls]
    return sum(map(len, bodies)), sum(len(gzip.compress(body, 6)) for body in bodies)


def _last_tile_ms(page, responses) -> float:
    """When the last tile arrived, in ms from navigation start (0: none). Playwright's timing
    also covers what workers fetched (WebGL maps fetch their tiles there)."""
    ends = [
        response.request.timing["startTime"] + response.request.timing["responseEnd"]
        for response in responses
        if "/tiles/" in response.url
    ]
    return max(ends) - page.evaluate("performance.timeOrigin") if ends else 0


def _load(browser, base: str, cookie: str, page_spec: MapPage, code: str) -> Load:
    width, height = page_spec.viewport
    context = browser.new_context(viewport={"width": width, "height": height})
    name, value = cookie.split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": base}])
    page = context.new_page()
    if page_spec.cpu_slowdown > 1:
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": page_spec.cpu_slowdown})
    responses = []
    page.on("response", lambda r: r.status == 200 and r.url.startswith(base) and responses.append(r))
    page.goto(base + page_spec.path.format(code=code))
    painted = page.wait_for_function(PAINTED_AT, polling=POLL_MS, timeout=120_000)
    page.wait_for_load_state("networkidle")
    urls = [response.url for response in responses]
    tiles = [url for url in urls if "/tiles/" in url]
    assets = [url for url in urls if "/assets/" in url or "/static/" in url]
    other = [url for url in urls if url not in tiles and url not in assets]
    load = Load(
        response_sizes(context, assets),
        response_sizes(context, tiles),
        response_sizes(context, other),
        len(tiles),
        painted.json_value(),
        _last_tile_ms(page, responses),
    )
    context.close()
    return load


def measure(checkouts: dict[str, Path]) -> list[tuple[str, MapPage, list[Load]]]:
    """RUNS loads of every page of PAGES from this checkout ("ours") and CHECKOUTS, taking turns."""
    url, _password = county_database()
    with make_session(url) as session:
        code = session.scalar(select(Township.code).order_by(Township.code))
        ensure_demo_users(session, get_settings().today(), code, actor=Actor("bench"))
    servers = {"ours": ours(), **{name: checkout_server(name, root) for name, root in checkouts.items()}}
    loads = {(name, page.name): [] for name in servers for page in PAGES}
    with ExitStack() as stack, sync_playwright() as playwright:
        for server in servers.values():
            stack.enter_context(server)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for _ in range(RUNS):
            for page_spec in PAGES:
                for name, server in servers.items():
                    cookie = log_in(server.port, DEMO_PASSWORD, DEMO_USERS[page_spec.role])
                    loads[name, page_spec.name].append(
                        _load(browser, f"http://127.0.0.1:{server.port}", cookie, page_spec, code)
                    )
        browser.close()
    return [(name, page, loads[name, page.name]) for page in PAGES for name in servers]


def _kb(pair: tuple[int, int]) -> str:
    return f"{pair[0] / 1024:,.0f} / {pair[1] / 1024:,.0f}"


def _ms(value: float) -> str:
    return f"{value:,.0f} ms" if value else "—"


def table(results: list[tuple[str, MapPage, list[Load]]]) -> str:
    """The Markdown table of RESULTS: bytes of the run of median paint time, median times."""
    lines = [
        "| 页面 | 版本 | 窗口 | 脚本与样式 KB 原始 / gzip | 瓦片 KB（请求数） | 页面及其他 KB | 合计 KB | "
        f"gzip 合计在 {SLOW_LINK_BPS / 1e6:g} Mbit/s 下 | 绘出农户：中位（最快–最慢） | 最后一块瓦片到达 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, page_spec, loads in results:
        median = sorted(loads, key=lambda load: load.painted_ms)[len(loads) // 2]
        total = tuple(median.assets[i] + median.tiles[i] + median.other[i] for i in range(2))
        budget = (
            ""
            if page_spec.cpu_slowdown == 1
            else (" ✓" if total[1] <= PHONE_BUDGET_KB * 1024 else " ✗") + f" ≤ {PHONE_BUDGET_KB}"
        )
        width, height = page_spec.viewport
        lines.append(
            f"| {page_spec.name} | {name} | {width}×{height}，CPU {page_spec.cpu_slowdown}× "
            f"| {_kb(median.assets)} | {_kb(median.tiles)} ({median.tile_requests}) | {_kb(median.other)} "
            f"| {_kb(total)}{budget} | {total[1] * 8 / SLOW_LINK_BPS:.1f} s "
            f"| {_ms(statistics.median(load.painted_ms for load in loads))} "
            f"({min(load.painted_ms for load in loads):,.0f}–{max(load.painted_ms for load in loads):,.0f}) "
            f"| {_ms(statistics.median(load.last_tile_ms for load in loads))} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    others = dict(arg.split("=", 1) for arg in sys.argv[1:])
    print(table(measure({name: Path(root).resolve() for name, root in others.items()})))
