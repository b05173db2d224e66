"""Headless Debian Chromium (never a downloaded browser) against a live app server."""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from gridmgmt.config import PROJECT_ROOT
from tests.web.live import serving
from tests.web.people import PASSWORD, add_people
from tests.web.sample import add_small_township
from web import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = PROJECT_ROOT / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run, whose context routes see the service worker's requests too
    (the field app's worker sends the outbox: a test that loses an answer must lose its answers)."""
    if not CHROMIUM.exists():
        pytest.fail("没有找到 /usr/bin/chromium：请运行 apt-get install -y chromium", pytrace=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")  # read when the driver starts
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def live_server(db_url, session, request):
    """Base URL of the app, serving the sample township and its users from a thread on a free port.

    No basemap, unless a test passes a Tianditu key (or a dict of app settings) as the
    fixture's parameter (indirect=True).
    """
    add_small_township(session)
    add_people(session)
    given = getattr(request, "param", None)
    settings = given if isinstance(given, dict) else {"TIANDITU_KEY": given}
    with serving(create_app({"TESTING": True, "DATABASE_URL": db_url, **settings}), db_url) as url:
        yield url


@pytest.fixture
def screenshot_dir():
    """var/screenshots/, where browser tests leave their pictures to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def login_page(browser, live_server):
    """login_page(USERNAME, width, height): a new page logged in through the login form; closed
    with the test, so that its maps ask the server for nothing more while the tables are emptied."""
    pages = []

    def open_page(username: str, width: int = 1280, height: int = 800):
        page = browser.new_page(viewport={"width": width, "height": height})
        pages.append(page)
        page.goto(f"{live_server}/login")
        page.fill('input[name="username"]', username)
        page.fill('input[name="password"]', PASSWORD)
        with page.expect_navigation():
            page.click('button[type="submit"]')
        return page

    yield open_page
    for page in pages:
        page.context.close()
