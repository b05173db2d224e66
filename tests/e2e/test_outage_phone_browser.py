"""The phone (Chromium at 390×844) keeps a visit the server could not take: the database was
stopped (503), the login was lost (cookies cleared), the phone was offline. The visit waits in
localStorage and arrives exactly once when the page opens again or the phone is back online."""

import psycopg
import pytest

from tests.web.people import PASSWORD

pytestmark = pytest.mark.e2e
PENDING = "JSON.parse(localStorage.getItem('gridmgmt-pending-visits') || '{}')"


@pytest.fixture
def live_server(scratch_server):
    """The browser's server: here the app on the scratch database, which these tests stop."""
    return scratch_server.base


def _stored(url: str, note: str) -> int:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        return conn.execute("SELECT count(*) FROM visit WHERE note = %s", (note,)).fetchone()[0]


def _submit(page, note: str) -> dict:
    """Record a visit at the first household on the list; the answer's status and error."""
    index = next(k for k, item in enumerate(page.evaluate("VISITS.items")) if item["household_id"])
    page.click(f"#due-list li[data-index='{index}']")
    page.fill("#sheet-note", note)
    with page.expect_response("**/api/visits") as answer:
        page.click("#sheet-submit")
    return {"status": answer.value.status, **answer.value.json()["error"]}


def _phone(login_page, base):
    page = login_page("grid_worker", 390, 844)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/m/visits")
    return page, errors


def test_a_visit_made_while_the_database_is_down_arrives_once(login_page, scratch_server, screenshot_dir):
    page, errors = _phone(login_page, scratch_server.base)
    scratch_server.cluster.down("immediate")
    answer = _submit(page, "停库时走访")
    assert answer["status"] == 503 and answer["final"] is False
    page.wait_for_function("() => document.getElementById('sheet-submit').textContent.includes('服务器暂不可用')")
    assert list(page.evaluate(PENDING).values())[0]["note"] == "停库时走访"
    # Opening the page meanwhile: the Chinese 503 page, which reloads itself every 5 s.
    assert page.goto(f"{scratch_server.base}/m/visits").status == 503
    assert "数据库暂时无法连接" in page.text_content("h1") and page.is_visible("text=返回首页")
    page.screenshot(path=str(screenshot_dir / "outage-phone-503.png"))

    scratch_server.cluster.up()
    page.wait_for_selector("#due-list", timeout=15_000)  # reloaded by itself; the page resends what waits
    page.wait_for_function(f"() => Object.keys({PENDING}).length === 0")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert _stored(scratch_server.url, "停库时走访") == 1
    assert errors == []


def test_a_visit_kept_through_a_lost_login_and_a_lost_network(login_page, scratch_server):
    page, errors = _phone(login_page, scratch_server.base)
    page.context.clear_cookies()  # the session expired: refused before the view, and not for good
    answer = _submit(page, "掉登录时走访")
    assert answer["status"] in (400, 401) and answer["final"] is False, answer  # CSRF runs before login
    page.wait_for_function("() => document.getElementById('sheet-submit').textContent.includes('登录已过期')")
    assert _stored(scratch_server.url, "掉登录时走访") == 0

    page.goto(f"{scratch_server.base}/login")  # log in again, offline when the page opens
    page.fill('input[name="username"]', "grid_worker")
    page.fill('input[name="password"]', PASSWORD)
    with page.expect_navigation():
        page.click('button[type="submit"]')
    page.route("**/api/visits", lambda route: route.abort("internetdisconnected"))
    page.goto(f"{scratch_server.base}/m/visits")
    assert len(page.evaluate(PENDING)) == 1 and _stored(scratch_server.url, "掉登录时走访") == 0

    page.unroute("**/api/visits")
    page.context.set_offline(True)
    with page.expect_response("**/api/visits"):
        page.context.set_offline(False)  # the browser fires 'online'
    page.wait_for_function(f"() => Object.keys({PENDING}).length === 0")
    assert _stored(scratch_server.url, "掉登录时走访") == 1
    assert errors == []
