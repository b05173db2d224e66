"""Every page a role's navigation bar offers opens in Chromium without a refused request
or a script the Content-Security-Policy refused, nothing past the screen's edge and no map over
other content."""

import pytest

from tests.e2e.layout import CUT_OFF, MAPS, OVERLAPPED

pytestmark = pytest.mark.e2e

ROLES = ["admin", "planner", "reviewer", "leader"]


@pytest.mark.parametrize("role", ROLES)
def test_every_nav_page_loads_cleanly(login_page, live_server, screenshot_dir, role):
    page = login_page(role)
    page.goto(f"{live_server}/townships/441500100000")
    links = page.locator("nav.pages a")
    pages = links.evaluate_all("els => els.map(e => [e.textContent, e.getAttribute('href')])")
    assert len(pages) >= 2
    failed, errors = [], []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: "Content Security Policy" in message.text and errors.append(message.text))
    for label, href in pages:
        page.goto(f"{live_server}{href}")
        page.wait_for_load_state("networkidle")
        assert page.locator("nav.pages a.active").inner_text() == label
        assert (failed, errors) == ([], []), f"{role} {href}"
        assert (page.evaluate(CUT_OFF), page.evaluate(OVERLAPPED, MAPS)) == ([], []), f"{role} {href}"
    page.screenshot(path=screenshot_dir / f"nav_{role}_last.png")
    page.close()


@pytest.mark.parametrize("width", [1280, 1440])
def test_no_page_link_is_cut_off_under_the_admins_links(login_page, live_server, width):
    """Issue 18: at 1280 px the admin's bar clipped its last page link, which read as a stray separator
    before 账号管理; every page link now shows whole beside the user's links."""
    page = login_page("admin", width, 800)
    page.goto(f"{live_server}/townships/441500100000/coverage")
    scroll, client = page.locator("nav.pages").evaluate("n => [n.scrollWidth, n.clientWidth]")
    assert scroll <= client
    page.close()
