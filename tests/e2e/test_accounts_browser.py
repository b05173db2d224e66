"""账号管理 and 驻村包村 in Chromium: an admin adds a user, resets their password (shown once), and the
new user logs in with it; a planner ends a posting and its village turns red."""

import re

import pytest

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "lantern-river-7"


def _refusals(page) -> list[str]:
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    page.on("console", lambda message: "Content Security Policy" in message.text and failed.append(message.text))
    return failed


def test_admin_adds_a_user_resets_the_password_and_the_user_logs_in(browser, login_page, live_server, screenshot_dir):
    page = login_page("admin")
    failed = _refusals(page)
    page.click("text=账号管理")
    page.fill('input[name="username"]', "wang")
    page.select_option('select[name="role"]', "leader")
    page.select_option('select[name="township"]', "441500100000")
    page.fill('input[name="password"]', NEW_PASSWORD)
    with page.expect_navigation():
        page.click('main form button[type="submit"]')
    assert "已添加用户 wang" in page.inner_text("main")
    with page.expect_navigation():
        page.click("#reset-password")
    password = page.inner_text("#new-password").strip()
    assert re.fullmatch(r"[A-Za-z2-9]{14}", password)
    page.screenshot(path=screenshot_dir / "accounts_reset.png", full_page=True)
    page.goto(f"{live_server}/audit")
    audit = page.inner_text("table.audit")
    assert "重置密码" in audit and "添加用户" in audit and password not in audit
    assert failed == []
    page.close()
    other = browser.new_page()
    other.goto(f"{live_server}/login")
    other.fill('input[name="username"]', "wang")
    other.fill('input[name="password"]', password)
    with other.expect_navigation():
        other.click('button[type="submit"]')
    assert other.url.endswith("/townships/441500100000")
    other.close()


def test_planner_ends_a_posting_on_the_overview(login_page, live_server, screenshot_dir):
    page = login_page("planner")
    failed = _refusals(page)
    page.goto(f"{live_server}/townships/441500100000/postings")
    west = page.locator('tr[data-village="441500100201"]')
    assert "网格员甲" in west.inner_text() and west.get_attribute("class") is None
    west.locator('input[name="end"]').fill("2020-01-01")  # before it began? it has no start: allowed
    with page.expect_navigation():
        west.locator('button[type="submit"]').click()
    assert "已结束" in page.inner_text("main")
    assert page.locator('tr[data-village="441500100201"]').get_attribute("class") == "lacking"
    assert page.inner_text("#lacking-count") == "2"
    page.screenshot(path=screenshot_dir / "postings_page.png", full_page=True)
    assert failed == []
    page.close()
