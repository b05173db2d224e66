"""The phone (Chromium at 390×844) keeps a visit the server could not take while its database
was stopped (503): the visit waits in the phone's outbox, the app still opens from the phone's
copy, and the visit arrives exactly once when the database is back, with no tap."""

import psycopg
import pytest

pytestmark = pytest.mark.e2e
WAIT_MS = 60_000


@pytest.fixture
def live_server(scratch_server):
    """The browser's server: here the app on the scratch database, which these tests stop."""
    return scratch_server.base


def _stored(url: str, note: str) -> int:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        return conn.execute("SELECT count(*) FROM visit WHERE note = %s", (note,)).fetchone()[0]


def test_a_visit_made_while_the_database_is_down_arrives_once(login_page, scratch_server, screenshot_dir):
    page = login_page("grid_worker", 390, 844)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{scratch_server.base}/m/visits")
    page.wait_for_function("() => document.documentElement.dataset.offline === 'ready'", timeout=WAIT_MS)
    home = next(item["household_id"] for item in page.evaluate("FIELD.data.due") if item["household_id"])
    scratch_server.cluster.down("immediate")

    page.evaluate("id => FIELD.record({household_id: id})", home)
    page.fill("#sheet-note", "停库时走访")
    page.click("#sheet-submit")
    page.wait_for_function(
        "() => document.getElementById('outbox-status').textContent.includes('服务器暂不可用')", timeout=WAIT_MS
    )
    assert page.evaluate("gridmgmtOutbox.items()")[0]["body"]["note"] == "停库时走访"
    page.reload()  # the server answers 503: the app opens from the phone's copy
    page.wait_for_function("() => window.FIELD && FIELD.data", timeout=WAIT_MS)
    assert page.text_content("#outbox-count") == "1" and "离线" in page.text_content("#data-status")
    page.screenshot(path=str(screenshot_dir / "outage-phone-503.png"))

    scratch_server.cluster.up()  # sent by the page's next round, no tap needed
    page.wait_for_function("() => document.getElementById('outbox-count').textContent === '0'", timeout=WAIT_MS)
    assert _stored(scratch_server.url, "停库时走访") == 1
    assert errors == []
