"""The field app on plain HTTP from another host (a phone on the township's intranet without
the HTTPS address): the browser gives no service worker and no position, and the app says
clearly that offline use and GPS need the HTTPS address, while it still records visits with
signal. On http://127.0.0.1 (a secure context, as localhost) it says nothing of the kind."""

import time

import pytest
from sqlalchemy import select

from gridmgmt.db.models import Household, Visit
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.web.people import IN_SCOPE, PASSWORD

pytestmark = pytest.mark.e2e
HOST = "field.test"  # mapped to 127.0.0.1: another host, over plain HTTP
WAIT_MS = 20_000


@pytest.fixture
def named_browser(browser):
    """Chromium that resolves HOST to this machine."""
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {HOST} 127.0.0.1"]
    )
    yield chromium
    chromium.close()


def _field_page(chromium, base):
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, base_url=base
    )
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"longitude": 115.741, "latitude": 23.911, "accuracy": 20})
    page = context.new_page()
    page.goto("/login")
    page.fill('input[name="username"]', "grid_worker")
    page.fill('input[name="password"]', PASSWORD)
    with page.expect_navigation():
        page.click('button[type="submit"]')
    page.goto("/m/visits")
    page.wait_for_function("() => window.FIELD && FIELD.data && FIELD.data.households.length", timeout=WAIT_MS)
    return page


def _arrived(session) -> Visit:
    """The one visit the server holds, once it has arrived."""
    for _ in range(WAIT_MS // 200):
        session.expire_all()
        stored = session.scalars(select(Visit)).one_or_none()
        if stored is not None:
            return stored
        time.sleep(0.2)
    raise AssertionError("the visit never arrived")


def test_plain_http_from_another_host_says_https_is_needed(named_browser, live_server, session):
    port = live_server.rsplit(":", 1)[1]
    page = _field_page(named_browser, f"http://{HOST}:{port}")
    assert page.evaluate("() => window.isSecureContext") is False
    note = page.locator("#secure-note")
    assert note.is_visible()
    text = note.text_content()
    assert "离线使用和定位都需要用 HTTPS 地址" in text and f"https://{HOST}/m/visits" in text
    assert f"http://{HOST}/gridmgmt-ca.crt" in text
    assert page.evaluate("() => FIELD.worker") is None and page.evaluate("() => FIELD.position") is None

    home = session.scalar(select(Household.id).where(Household.code == IN_SCOPE[0]))
    page.evaluate("id => FIELD.record({household_id: id})", home)
    page.fill("#sheet-note", "HTTP 下也照常上传")
    page.click("#sheet-submit")
    stored = _arrived(session)
    page.wait_for_function("() => document.getElementById('outbox-count').textContent === '0'", timeout=WAIT_MS)
    assert stored.note == "HTTP 下也照常上传" and stored.household_id == home and stored.geom is None
    page.context.close()


def test_localhost_is_a_secure_context_with_no_warning(named_browser, live_server):
    page = _field_page(named_browser, live_server)
    assert page.evaluate("() => window.isSecureContext") is True
    assert not page.locator("#secure-note").is_visible()
    page.wait_for_function("() => document.documentElement.dataset.offline === 'ready'", timeout=WAIT_MS)
    page.wait_for_function("() => FIELD.position !== null", timeout=WAIT_MS)
    page.context.close()
