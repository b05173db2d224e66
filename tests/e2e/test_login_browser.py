"""Logging in as each role in Chromium; the grid worker's phone page at 390×844."""

import pytest

from tests.web.people import IN_SCOPE, OUT_OF_SCOPE

pytestmark = pytest.mark.e2e

HOMES = {
    "admin": "/",
    "planner": "/townships/441500100000",
    "reviewer": "/townships/441500100000",
    "leader": "/townships/441500100000",
    "grid_worker": "/m",
}
MAP_DRAWN = "() => window.L && document.querySelector('.leaflet-overlay-pane canvas')"


def _watch(page):
    """Lists that fill with the page's request URLs and its console errors."""
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return requests, errors


def test_wrong_password_stays_on_the_login_page(browser, live_server, screenshot_dir):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server}/villages/441500100201")
    assert page.url == f"{live_server}/login?next=/villages/441500100201"
    page.fill('input[name="username"]', "planner")
    page.fill('input[name="password"]', "wrong-password")
    page.click('button[type="submit"]')
    assert page.locator(".error").inner_text() == "用户名或密码错误"
    page.screenshot(path=screenshot_dir / "login_error_phone.png")
    page.close()


@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_lands_on_its_home(login_page, live_server, role):
    page = login_page(role)
    assert page.url == f"{live_server}{HOMES[role]}"
    assert role in page.locator(".user-name").inner_text()
    requests, errors = _watch(page)
    page.reload()
    page.wait_for_load_state("networkidle")
    assert errors == []  # no refused tile or other failed request, whatever the role
    assert [url for url in requests if not url.startswith((live_server, "data:"))] == []
    page.close()


def test_logout_button_ends_the_session(login_page, live_server):
    page = login_page("leader")
    with page.expect_navigation():
        page.click(".user-menu button")
    assert page.url == f"{live_server}/login"
    page.goto(f"{live_server}/villages/441500100201")
    assert "/login" in page.url
    page.close()


def test_grid_worker_phone_page(login_page, live_server, screenshot_dir):
    page = login_page("grid_worker", 390, 844)
    requests, errors = _watch(page)
    page.reload()
    page.wait_for_function(MAP_DRAWN)
    page.wait_for_load_state("networkidle")
    map_box = page.locator("#field-map").bounding_box()
    assert map_box["width"] == 390 and map_box["height"] > 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    assert [url for url in requests if not url.startswith((live_server, "data:"))] == []
    assert errors == []
    page.screenshot(path=screenshot_dir / "grid_worker_phone.png")
    page.screenshot(path=screenshot_dir / "grid_worker_phone_full.png", full_page=True)
    page.goto(f"{live_server}/households/{IN_SCOPE[2]}")  # the field app's search and lists: test_field_*
    assert page.locator(".flag-yes").count() == 3
    page.screenshot(path=screenshot_dir / "grid_worker_household_phone.png", full_page=True)
    response = page.goto(f"{live_server}/households/{OUT_OF_SCOPE[0]}")
    assert response.status == 404 and "张三" not in page.content()
    page.close()


def test_leader_sees_masked_flags_and_the_village_map(login_page, live_server, screenshot_dir):
    page = login_page("leader")
    page.goto(f"{live_server}/households/{IN_SCOPE[2]}")
    assert page.locator(".masked").count() == 5 and page.locator(".flag-yes").count() == 0
    page.screenshot(path=screenshot_dir / "leader_household.png", full_page=True)
    page.goto(f"{live_server}/villages/441500100201")
    page.wait_for_function(MAP_DRAWN)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=screenshot_dir / "village_page.png", full_page=True)
    page.close()


def test_admin_audit_page(login_page, live_server, screenshot_dir):
    page = login_page("admin")
    page.goto(f"{live_server}/households/{IN_SCOPE[0]}")
    page.goto(f"{live_server}/audit")
    assert "查看敏感信息" in page.locator("table.audit").inner_text()
    with page.expect_download() as download:
        page.click("text=导出 Excel")
    assert download.value.suggested_filename == "审计日志.xlsx"
    page.screenshot(path=screenshot_dir / "audit_page.png", full_page=True)
    page.close()
