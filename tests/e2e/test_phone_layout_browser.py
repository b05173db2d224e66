"""Every role's pages on a 390×844 phone: nothing wider than the screen (no horizontal scroll),
the navigation folded into a working 菜单, maps the full width and over nothing else, tables inside
the screen."""

import pytest
from sqlalchemy import select

from gridmgmt.db.models import GridPlan
from tests.e2e.layout import CUT_OFF, MAPS, OVERLAPPED
from tests.web.people import IN_SCOPE
from tests.web.sample import TOWNSHIP_CODE

pytestmark = pytest.mark.e2e
WIDTH, HEIGHT = 390, 844
TOWN = f"/townships/{TOWNSHIP_CODE}"
# 东村: its page has the published cell's table and outlines too.
VILLAGE, HOUSEHOLD = "/villages/441500100202", f"/households/{IN_SCOPE[0]}"
PAGES = {
    "admin": [
        "/",
        TOWN,
        f"{TOWN}/coverage",
        f"{TOWN}/visits",
        f"{TOWN}/grids",
        "/grids/{plan}",
        f"{TOWN}/sites",
        "/duties",
        "/audit",
        VILLAGE,
        HOUSEHOLD,
    ],
    "planner": [
        TOWN,
        f"{TOWN}/coverage",
        f"{TOWN}/visits",
        f"{TOWN}/grids",
        "/grids/{plan}",
        f"{TOWN}/sites",
        "/duties",
        VILLAGE,
        HOUSEHOLD,
    ],
    "reviewer": [TOWN, f"{TOWN}/sites", VILLAGE],
    "leader": [TOWN, f"{TOWN}/coverage", f"{TOWN}/visits", VILLAGE, HOUSEHOLD],
    "grid_worker": ["/m", "/m/visits", VILLAGE, HOUSEHOLD],
}
# Boxes that stick out of the screen: the right edge of every map, table box and menu link.
OUTSIDE = """(selector) => [...document.querySelectorAll(selector)]
    .filter(el => el.offsetParent !== null && el.getBoundingClientRect().right > innerWidth + 1)
    .map(el => el.tagName + '#' + el.id + '.' + el.className)"""


@pytest.mark.parametrize("role", list(PAGES))
def test_every_page_fits_a_phone_with_a_menu(browser, live_server, session, screenshot_dir, role):
    plan = session.scalar(select(GridPlan.id))
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.fill('input[name="username"]', role)
    page.fill('input[name="password"]', "sample-pass-1")
    with page.expect_navigation():
        page.click('button[type="submit"]')
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # The listed pages, then every page the menu links to (组织生活, 驻村包村, 民情跟进, 数据导入, …).
    paths, seen = [path.format(plan=plan) for path in PAGES[role]], set()
    while paths:
        path = paths.pop(0)
        if path in seen:
            continue
        seen.add(path)
        assert page.goto(f"{live_server}{path}").status == 200, path
        page.wait_for_load_state("networkidle")
        where = f"{role} {path}"
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, where
        for width in page.locator(MAPS).evaluate_all("els => els.map(e => e.getBoundingClientRect().width)"):
            assert width >= WIDTH - 2, f"{where}: a map {width:.0f} px wide"
        assert page.evaluate(OUTSIDE, f"{MAPS}, table, .table-box") == [], where
        assert page.evaluate(OVERLAPPED, MAPS) == [], where
        assert page.evaluate(CUT_OFF) == [], where

        menu = page.locator(".topbar .menu-button")
        assert menu.is_visible() and not page.is_visible("#menu-panel"), where
        menu.click()
        assert page.is_visible("#menu-panel") and page.is_visible("#menu-panel button[type=submit]"), where
        assert page.evaluate(OUTSIDE, "#menu-panel a, #menu-panel button") == [], where
        links = page.locator("#menu-panel nav.pages a")
        if links.count():
            assert links.first.is_visible(), where
        paths += page.locator("#menu-panel a[href^='/']").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        page.screenshot(path=str(screenshot_dir / f"phone-{role}-{path.strip('/').replace('/', '-') or 'home'}.png"))
        menu.click()
        assert not page.is_visible("#menu-panel"), where
    # The menu works: its first link opens its page.
    page.locator(".topbar .menu-button").click()
    links = page.locator("#menu-panel nav.pages a")
    if links.count():
        href = links.first.get_attribute("href")
        with page.expect_navigation():
            links.first.click()
        assert page.url.endswith(href)
    assert errors == []
    context.close()
