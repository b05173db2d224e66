"""The township overview page in Chromium: ours (households as vector tiles) versus a
folium page embedding all the township's households as GeoJSON.

Both pages come from our server on the county demo (its first township, ~10,000
households), loaded in Debian's Chromium after logging in as that township's
planner (whose household tiles hold their township's households only). We count the bytes
of every response and the time from navigation start until households are
painted (ours: their tile canvases; the baseline: its canvas, all layers at once).
"""

import json
import statistics
from dataclasses import replace
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlalchemy import select

from bench.serving import PLANNER, Figure, county_database, ours
from gridmgmt.db.models import Township, VillageGroup
from gridmgmt.db.session import make_session
from gridmgmt.domain.permissions import Scope
from gridmgmt.maps.township import township_map
from gridmgmt.services.mapdata.features import MAX_LIMIT, collection, items
from gridmgmt.services.mapdata.layers import township_layers

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
RUNS = 3
BYTES_TARGET = 10  # at least ten times fewer bytes
EMBEDDED_PATH = "/bench/embedded-households"

# performance.now() once the canvases under SELECTOR show a painted pixel, else false.
PAINTED_AT = """(selector) => {
    for (const canvas of document.querySelectorAll(selector)) {
        if (!canvas.width) continue;
        const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return performance.now();
    }
    return false;
}"""


def embedded_page(url: str, code: str) -> str:
    """The baseline: the township map with every household embedded as GeoJSON."""
    with make_session(url) as session:
        layers = township_layers(session, code)
        township_id = session.scalar(select(Township.id).where(Township.code == code))
        households, offset = [], 0
        while True:
            page = items(
                session,
                collection("households"),
                Scope(township_ids=frozenset({township_id})),
                limit=MAX_LIMIT,
                offset=offset,
            )
            households += page.features
            offset += MAX_LIMIT
            if offset >= page.number_matched:
                break
        group_names = dict(session.execute(select(VillageGroup.id, VillageGroup.name)).all())
    features = [json.loads(f) for f in households]
    for feature in features:  # the embedded page's tooltip shows the group's name
        feature["properties"]["group_name"] = group_names.get(feature["properties"]["group_id"])
    features = {"type": "FeatureCollection", "features": features}
    return township_map(replace(layers, households=features), "/assets").get_root().render()


def _log_in(page, base: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", PLANNER)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.close()


def _load(page, url: str, selector: str) -> tuple[int, float, float]:
    """Loading URL: bytes of every response, ms until SELECTOR's canvases are painted,
    and ms until the page's first byte."""
    responses, pending = [], set()
    page.on("response", lambda response: responses.append(response))
    page.on("request", lambda request: pending.add(request))
    page.on("requestfinished", lambda request: pending.discard(request))
    page.on("requestfailed", lambda request: pending.discard(request))
    page.goto(url)
    painted_ms = page.wait_for_function(PAINTED_AT, arg=selector, polling="raf", timeout=60_000).json_value()
    # Every tile in view: wait until no request is left (networkidle also waits for quiet).
    for _ in range(600):
        if not pending:
            break
        page.wait_for_timeout(100)
    first_byte_ms = page.evaluate("() => performance.getEntriesByType('navigation')[0].responseStart")
    # Playwright reads no body of responses consumed by fetch() (the tiles): use the header.
    size = sum(int(r.headers.get("content-length") or len(r.body())) for r in responses if r.status != 304)
    page.close()
    return size, painted_ms, first_byte_ms


def overview_page() -> list[Figure]:
    """Bytes and time to painted households: tiles versus embedded GeoJSON."""
    url, password = county_database()
    with make_session(url) as session:
        code = session.scalar(select(Township.code).order_by(Township.code))
    baseline_html = embedded_page(url, code)
    tiles_runs, embedded_runs = [], []
    with ours() as app, sync_playwright() as playwright:
        base = f"http://127.0.0.1:{app.port}"
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for _ in range(RUNS):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            _log_in(context.new_page(), base, password)
            context.route(
                f"{base}{EMBEDDED_PATH}", lambda route: route.fulfill(body=baseline_html, content_type="text/html")
            )
            tiles_runs.append(_load(context.new_page(), f"{base}/townships/{code}", ".leaflet-households-pane canvas"))
            embedded_runs.append(_load(context.new_page(), f"{base}{EMBEDDED_PATH}", ".leaflet-overlay-pane canvas"))
            context.close()
        browser.close()
    return _figures(code, tiles_runs, embedded_runs)


def _figures(code: str, tiles_runs: list, embedded_runs: list) -> list[Figure]:
    tile_bytes, tile_ms, tile_first_byte = (statistics.median(run[i] for run in tiles_runs) for i in range(3))
    embedded_bytes, embedded_ms, embedded_first_byte = (
        statistics.median(run[i] for run in embedded_runs) for i in range(3)
    )
    baseline = "内嵌全部农户 GeoJSON 的 folium 页"
    note = f"乡镇 {code}，Chromium 1280×800，{RUNS} 次取中位数"
    return [
        Figure(
            "总览页传输字节",
            tile_bytes / 1024,
            baseline,
            embedded_bytes / 1024,
            "KB",
            f"少 ≥ {BYTES_TARGET} 倍",
            embedded_bytes >= BYTES_TARGET * tile_bytes,
            f"{note}；少 {embedded_bytes / tile_bytes:.1f} 倍",
        ),
        Figure(
            "总览页首次绘出农户（自导航开始）",
            tile_ms,
            baseline,
            embedded_ms,
            "ms",
            "不慢于基线",
            tile_ms <= embedded_ms,
            f"含我方服务器生成页面 {tile_first_byte:.0f} ms；基线页面预先生成（{embedded_first_byte:.0f} ms 到达）",
        ),
        Figure(
            "总览页首次绘出农户（自页面首字节）",
            tile_ms - tile_first_byte,
            baseline,
            embedded_ms - embedded_first_byte,
            "ms",
            "不慢于基线",
            tile_ms - tile_first_byte <= embedded_ms - embedded_first_byte,
            "只计浏览器端：脚本、瓦片请求与绘制",
        ),
    ]


if __name__ == "__main__":
    for figure in overview_page():
        print(figure.line())
