"""The field app on a phone's link: Chromium as a 390×844 phone, throttled through CDP
(Network.emulateNetworkConditions) to 1 Mbps both ways and 300 ms latency, against the
production stack (`gridmgmt serve --production` behind Caddy's HTTPS and compression, the
browser trusting Caddy's root as a phone does) on the demo township.

Three figures, each beside the same figure for today's desk page (the township page of the
demo planner, households as vector tiles) in the same run:
- first load of /m (the demo 包村干部's, empty browser): compressed bytes and seconds until
  the working set is on the map; the baseline until the township page's households are painted;
- reopening /m with no signal, until the working set is on screen; the desk page does not
  open with no signal at all, so its figure is reopening it with signal (warm cache);
- 200 visits queued with no signal, flushed once the link is back, until the banner shows 0
  and the server holds all 200; the baseline posts the same 200 one by one to /api/visits
  (one request per visit, as the visit page did before the outbox).
Every run has a time limit; one that runs out is reported as "did not finish in N s".
"""

import os
import secrets
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright
from sqlalchemy import func, select

from bench.common import BIN, NotDone, demo_database
from bench.pages import PAINTED_AT
from bench.serving import Caddy, Figure, Server, trusting_home
from gridmgmt.config import get_settings
from gridmgmt.db.models import Township, Visit
from gridmgmt.db.session import make_session
from gridmgmt.services.accounts.audit import Actor
from gridmgmt.services.accounts.demo_users import DEMO_USERS, ensure_demo_users
from gridmgmt.services.accounts.users import set_password

DB = "gridmgmt_bench_field"
BENCH = Actor("bench")
HOST = "gridmgmt.test"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", f"--host-resolver-rules=MAP {HOST} 127.0.0.1"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LINK = {"offline": False, "latency": 300, "downloadThroughput": 1_000_000 / 8, "uploadThroughput": 1_000_000 / 8}
ITEMS = 200
LIMIT_S = {"first": 60, "offline": 60, "reopen": 30, "flush": 120, "one_by_one": 300}
TARGETS = {"first_kb": 300, "first_s": 3.0, "reopen_s": 1.0, "flush_s": 20.0}
WORKER, PLANNER = DEMO_USERS["grid_worker"], DEMO_USERS["planner"]
ON_MAP = "() => window.FIELD && FIELD.data && document.querySelector('.field-map .leaflet-overlay-pane canvas') && performance.now()"
QUEUE = """async ([n, note]) => {
    const homes = FIELD.data.households;
    for (let k = 0; k < n; k++) {
        await gridmgmtOutbox.add(FIELD.config.user, "visit", {household_id: homes[k % homes.length].id,
            kind: "routine", note: `${note} ${k}`, visited_at: new Date().toISOString()}, "基准");
    }
}"""
ONE_BY_ONE = """async ([n, note]) => {
    const session = await (await fetch(FIELD.config.session)).json();
    const homes = FIELD.data.households;
    for (let k = 0; k < n; k++) {
        const answer = await fetch("/api/visits", {method: "POST", headers: {"Content-Type": "application/json",
            "X-CSRFToken": session.csrf_token}, body: JSON.stringify({client_id: crypto.randomUUID(),
            household_id: homes[k % homes.length].id, kind: "routine", note: `${note} ${k}`})});
        if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
    }
}"""
DATA_PATH, OUTBOX_PATH = "/api/field/data", "/api/field/outbox"
# Seconds the server took over the page's requests to PATH: first byte after sending, less the link's latency.
SERVER_S = """([path, latency]) => performance.getEntriesByType("resource")
    .filter(e => new URL(e.name).pathname === path && e.responseStart > 0)
    .reduce((sum, e) => sum + Math.max(0, e.responseStart - e.requestStart - latency), 0) / 1000"""
LOG_IN = """async ([username, password]) => {
    const form = await (await fetch("/login")).text();
    const token = new DOMParser().parseFromString(form, "text/html").querySelector("[name=csrf_token]").value;
    const answer = await fetch("/login", {method: "POST", redirect: "manual",
        body: new URLSearchParams({csrf_token: token, username, password})});
    return answer.status;
}"""


class Unfinished(Exception):
    """A run that did not finish within its limit."""


def field_database() -> tuple[str, str]:
    """URL of the demo township database (filled once, then reused) and a fresh password of its
    demo grid worker (a 包村干部) and planner."""
    url = demo_database(DB)
    password = secrets.token_urlsafe(12)
    with make_session(url) as session:
        ensure_demo_users(session, get_settings().today(), actor=BENCH)
        for username in (WORKER, PLANNER):
            set_password(session, username, password, actor=BENCH)
    return url, password


def _limited(name: str, seconds: int, run):
    """RUN(timeout in ms), or Unfinished when it takes longer than SECONDS."""
    start = time.monotonic()
    try:
        return run(seconds * 1000)
    except PlaywrightError as error:
        if time.monotonic() - start < seconds:
            raise
        raise Unfinished(f"{name}：did not finish in {seconds} s（{seconds} 秒内未完成）") from error


def _log_in(context, username: str, password: str) -> None:
    """Log CONTEXT in through the login form, posted from the manifest (a page with no asset),
    so the first load stays cold; the browser's cache is emptied after."""
    page = context.new_page()
    page.goto("/manifest.webmanifest")
    status = page.evaluate(LOG_IN, [username, password])
    if status != 302 and status != 0:  # 0: the redirect, opaque to fetch
        raise SystemExit(f"基准测试账号 {username} 登录失败：HTTP {status}")
    context.new_cdp_session(page).send("Network.clearBrowserCache")
    page.close()


class Link:
    """A page's CDP session: the throttled link, and the compressed bytes it carried."""

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        self.bytes = 0
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.send("Network.enable")
        self.set(online=True)

    def _finished(self, event: dict) -> None:
        self.bytes += event["encodedDataLength"]

    def set(self, online: bool) -> None:
        """The phone's link: throttled, or no signal at all."""
        self.cdp.send("Network.emulateNetworkConditions", {**LINK, "offline": not online})


def _open(context, path: str, ready: str, arg=None, timeout: float = 60_000) -> tuple[float, int, object]:
    """Open PATH in a new throttled page of CONTEXT: seconds from navigation until READY (a
    function returning performance.now() when done), compressed bytes meanwhile, the page."""
    page = context.new_page()
    link = Link(page)
    page.goto(path, wait_until="commit", timeout=timeout)
    done_ms = page.wait_for_function(ready, arg=arg, polling=100, timeout=timeout).json_value()
    page.link = link
    return done_ms / 1000, link.bytes, page


def _stored(url: str, note: str) -> int:
    with make_session(url) as session:
        return session.scalar(select(func.count()).select_from(Visit).where(Visit.note.startswith(note)))


def _field_runs(browser, base: str, url: str, password: str) -> dict:
    """First load of /m, reopening it with no signal, and the outbox's 200 visits."""
    context = browser.new_context(base_url=base, **PHONE)
    _log_in(context, WORKER, password)
    first_s, first_bytes, page = _limited(
        "首次打开 /m", LIMIT_S["first"], lambda ms: _open(context, "/m", ON_MAP, timeout=ms)
    )
    data_wait_s = page.evaluate(SERVER_S, [DATA_PATH, LINK["latency"]])  # before the copy kept for offline
    _limited(
        "离线准备",
        LIMIT_S["offline"],
        lambda ms: page.wait_for_function("() => document.documentElement.dataset.offline === 'ready'", timeout=ms),
    )
    context.set_offline(True)
    reopen_s, _, reopened = _limited(
        "离线再次打开 /m", LIMIT_S["reopen"], lambda ms: _open(context, "/m", ON_MAP, timeout=ms)
    )
    reopened.close()
    context.set_offline(False)
    note = f"bench-outbox-{secrets.token_hex(4)}"
    page.link.set(online=False)
    page.evaluate(QUEUE, [ITEMS, note])
    start = time.perf_counter()
    page.link.set(online=True)  # the signal is back: the app sends on its own
    _limited(
        f"{ITEMS} 条待上传",
        LIMIT_S["flush"],
        lambda ms: page.wait_for_function(
            "() => document.getElementById('outbox-count').textContent === '0'", timeout=ms
        ),
    )
    flush_s = time.perf_counter() - start
    flush_server_s = page.evaluate(SERVER_S, [OUTBOX_PATH, LINK["latency"]])
    if _stored(url, note) != ITEMS:
        raise SystemExit(f"待上传记录未全部到达服务器：{_stored(url, note)} / {ITEMS}")
    one_note = f"bench-one-{secrets.token_hex(4)}"
    start = time.perf_counter()
    _limited("逐条上传", LIMIT_S["one_by_one"], lambda ms: page.evaluate(ONE_BY_ONE, [ITEMS, one_note]))
    one_s = time.perf_counter() - start
    context.close()
    return {
        "first_s": first_s,
        "first_kb": first_bytes / 1024,
        "reopen_s": reopen_s,
        "flush_s": flush_s,
        "one_s": one_s,
        "data_wait_s": data_wait_s,
        "flush_server_s": flush_server_s,
    }


def _desk_runs(browser, base: str, password: str, code: str) -> dict:
    """The township page: first load, and reopening it (with signal: with none it does not open)."""
    context = browser.new_context(base_url=base, **PHONE)
    _log_in(context, PLANNER, password)
    path, tiles = f"/townships/{code}", ".leaflet-households-pane canvas"
    first_s, first_bytes, page = _limited(
        "首次打开乡镇页", LIMIT_S["first"], lambda ms: _open(context, path, PAINTED_AT, tiles, ms)
    )
    page.close()
    reopen_s, _, page = _limited(
        "再次打开乡镇页", LIMIT_S["reopen"], lambda ms: _open(context, path, PAINTED_AT, tiles, ms)
    )
    context.close()
    return {"first_s": first_s, "first_kb": first_bytes / 1024, "reopen_s": reopen_s}


def _figures(ours: dict, desk: dict, code: str) -> list[Figure]:
    desk_name = f"乡镇页 /townships/{code}"
    load = "→".join(f"{x:.1f}" for x in (ours["load"], os.getloadavg()[0]))
    link = f"1 Mbps / 300 ms（CDP），390×844，Caddy HTTPS 压缩，负载 {load}"
    return [
        Figure("手机端首次打开 /m：传输（压缩后）", ours["first_kb"], desk_name, desk["first_kb"], "KB",
               f"≤ {TARGETS['first_kb']} KB", ours["first_kb"] <= TARGETS["first_kb"], f"{link}；到农户画上地图为止"),
        Figure("手机端首次打开 /m：时间", ours["first_s"], desk_name, desk["first_s"], "s",
               f"≤ {TARGETS['first_s']:g} s", ours["first_s"] <= TARGETS["first_s"],
               f"{link}；其中服务器生成工作集约 {ours['data_wait_s']:.1f} s（本人的走访职责）"),
        Figure("手机端无信号再次打开 /m", ours["reopen_s"], f"{desk_name}（有信号再次打开；无信号打不开）",
               desk["reopen_s"], "s", f"≤ {TARGETS['reopen_s']:g} s", ours["reopen_s"] <= TARGETS["reopen_s"],
               "离线：从手机上的副本打开，到农户画上地图为止"),
        Figure(f"恢复信号后上传 {ITEMS} 条走访", ours["flush_s"], "逐条 POST /api/visits（原走访页的做法）",
               ours["one_s"], "s", f"≤ {TARGETS['flush_s']:g} s", ours["flush_s"] <= TARGETS["flush_s"],
               f"{link}；服务器已存 {ITEMS} 条（核对），其中服务器处理约 {ours['flush_server_s']:.1f} s"),
    ]  # fmt: skip


def field_benchmarks() -> list:
    """The field app's figures beside the desk page's, or the runs that did not finish."""
    url, password = field_database()
    with make_session(url) as session:
        code = session.scalar(select(Township.code).order_by(Township.code))
    env = {
        "GRIDMGMT_DB_NAME": DB,
        "GRIDMGMT_TRUSTED_PROXIES": "127.0.0.1",
        "GRIDMGMT_SECURE_COOKIES": "true",
        "GRIDMGMT_SECRET_KEY": secrets.token_urlsafe(32),
    }
    command = [str(BIN / "gridmgmt"), "serve", "--production", "--port", "{port}"]
    with (
        tempfile.TemporaryDirectory() as folder,
        Server("gridmgmt serve --production", command, env) as app,
        Caddy(app.port, Path(folder), HOST) as caddy,
        sync_playwright() as playwright,
    ):
        home = trusting_home(caddy.root, Path(folder) / "browser-home")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, env={**os.environ, "HOME": str(home)}
        )
        base = f"https://{HOST}:{caddy.port}"
        try:
            load = os.getloadavg()[0]  # the machine is shared: times scale with its load
            desk = _desk_runs(browser, base, password, code)
            ours = {**_field_runs(browser, base, url, password), "load": load}
        except Unfinished as error:
            return [NotDone("手机端（/m）对比乡镇页", str(error))]
        finally:
            browser.close()
    return _figures(ours, desk, code)


if __name__ == "__main__":
    for row in field_benchmarks():
        print(row.line())
