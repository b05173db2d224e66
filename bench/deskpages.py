"""The desk pages' weight: the coverage page and the township visits page in Chromium.

Each page is loaded at 1366×768 as the demo leader on the demo township (`gridmgmt demo`,
about 10,000 households, in its own database), with an empty cache, until the network is
idle; RUNS times in turn, the median load reported. Bytes: every response, refetched with
the same cookies, raw and gzip -6 (what a compressing proxy sends; bench/mappages.py). Beside ours, in the same run and on the same
database: the pages served from the commit before the desk work (BASELINE_COMMIT, checked
out with `git worktree add --detach` and removed afterwards), or from the checkouts given:

    .venv/bin/python -m bench.deskpages [NAME=DIR ...]

Target: each page under TARGET_KB compressed. A side that does not finish a page within
LOAD_TIMEOUT_S is reported as such instead of waiting.
"""

import subprocess
import sys
import tempfile
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright
from sqlalchemy import select

from bench.common import demo_database
from bench.mappages import checkout_server, response_sizes
from bench.pages import ARGS, CHROMIUM
from bench.serving import Server, log_in
from gridmgmt.config import PROJECT_ROOT, get_settings
from gridmgmt.db.models import Township
from gridmgmt.db.session import make_session
from gridmgmt.services.accounts.actors import Actor
from gridmgmt.services.accounts.demo_users import DEMO_PASSWORD, DEMO_USERS, ensure_demo_users

DB = "gridmgmt_bench_desk"
BASELINE_COMMIT = "ce223c6"  # main before the coverage and visits pages were slimmed (issue 19)
TARGET_KB = 500
LOAD_TIMEOUT_S = 120
RUNS = 3
PAGES = {"组织覆盖": "/townships/{code}/coverage", "走访": "/townships/{code}/visits"}
VIEWPORT = {"width": 1366, "height": 768}


@dataclass(frozen=True)
class Weight:
    """What one side's load of one page weighed (raw, gzip bytes), or None when it did not finish."""

    page: str
    side: str
    raw: int | None
    gzipped: int | None
    requests: int = 0


@dataclass(frozen=True)
class PageRow:
    """Ours beside the baseline for one page: a row of `make bench`'s table."""

    ours: Weight
    baseline: Weight

    def line(self) -> str:
        """| name | ours | baseline | ratio | target | note |, in KB compressed."""
        ours, base = self.ours, self.baseline
        ratio = f"{ours.gzipped / base.gzipped:.2f}×" if ours.gzipped and base.gzipped else "—"
        met = "✓" if ours.gzipped is not None and ours.gzipped < TARGET_KB * 1024 else "✗"
        return (
            f"| {ours.page}页重量（gzip） | {_kb(ours)} | {base.side}: {_kb(base)} | {ratio} "
            f"| < {TARGET_KB} KB {met} | 1366×768，演示领导账号，演示乡镇；原始字节 {_raw(ours)}（基线 {_raw(base)}） |"
        )


def _kb(weight: Weight) -> str:
    if weight.gzipped is None:
        return f"{LOAD_TIMEOUT_S} 秒内未完成"
    return f"{weight.gzipped / 1024:,.0f} KB（{weight.requests} 个请求）"


def _raw(weight: Weight) -> str:
    return "—" if weight.raw is None else f"{weight.raw / 1024:,.0f} KB"


def demo_township() -> str:
    """The code of the demo township in DB (loaded once, then reused), its demo users created."""
    with make_session(demo_database(DB)) as session:
        code = session.scalar(select(Township.code).order_by(Township.code))
        ensure_demo_users(session, get_settings().today(), code, actor=Actor("bench"))
    return code


@contextmanager
def baseline_checkout(commit: str = BASELINE_COMMIT):
    """A detached worktree of COMMIT with our node_modules, removed on leaving."""
    with tempfile.TemporaryDirectory(prefix="gridmgmt-baseline-") as folder:
        root = Path(folder) / "checkout"
        git = ["git", "-C", str(PROJECT_ROOT)]
        subprocess.run([*git, "worktree", "add", "--detach", str(root), commit], check=True, capture_output=True)
        try:
            (root / "node_modules").symlink_to(PROJECT_ROOT / "node_modules")
            yield root
        finally:
            subprocess.run([*git, "worktree", "remove", "--force", str(root)], check=True, capture_output=True)


def load(browser, server: Server, page: str, code: str) -> Weight:
    """The bytes of PAGE of township CODE from SERVER as the demo leader, or None past LOAD_TIMEOUT_S."""
    base = f"http://127.0.0.1:{server.port}"
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(LOAD_TIMEOUT_S * 1000)
    name, value = log_in(server.port, DEMO_PASSWORD, DEMO_USERS["leader"]).split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": base}])
    tab = context.new_page()
    urls = []
    tab.on("response", lambda r: r.status == 200 and r.url.startswith(base) and urls.append(r.url))
    try:
        tab.goto(base + PAGES[page].format(code=code))
        tab.wait_for_load_state("networkidle")
    except PlaywrightTimeout:
        context.close()
        return Weight(page, server.name, None, None)
    raw, gzipped = response_sizes(context, urls)
    context.close()
    return Weight(page, server.name, raw, gzipped, len(urls))


def measure(checkouts: dict[str, Path]) -> list[PageRow]:
    """Every page of PAGES from ours and from the first of CHECKOUTS, in turn, on one database."""
    code = demo_township()
    with ExitStack() as stack, sync_playwright() as playwright:
        if not checkouts:
            checkouts = {BASELINE_COMMIT: stack.enter_context(baseline_checkout())}
        (baseline_name, baseline_root), *_ = checkouts.items()
        ours = stack.enter_context(checkout_server("gridmgmt", PROJECT_ROOT, DB))
        baseline = stack.enter_context(checkout_server(baseline_name, baseline_root, DB))
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        rows = [PageRow(*_medians(browser, (ours, baseline), page, code)) for page in PAGES]
        browser.close()
    return rows


def _medians(browser, servers: tuple[Server, ...], page: str, code: str) -> list[Weight]:
    """Per server, the load of median gzip bytes of RUNS loads of PAGE, the servers taking turns
    (how many tiles arrive before the network is idle varies); unfinished loads count as heaviest."""
    loads = [[] for _ in servers]
    for _ in range(RUNS):
        for server, done in zip(servers, loads):
            done.append(load(browser, server, page, code))
    heaviest = float("inf")
    return [sorted(done, key=lambda w: heaviest if w.gzipped is None else w.gzipped)[RUNS // 2] for done in loads]


def desk_pages() -> list[PageRow]:
    """The desk pages' weight beside BASELINE_COMMIT's, for `make bench`."""
    return measure({})


if __name__ == "__main__":
    others = dict(arg.split("=", 1) for arg in sys.argv[1:])
    for row in measure({name: Path(root).resolve() for name, root in others.items()}):
        print(row.line())
