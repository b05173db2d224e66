"""The production stack: `gridmgmt serve --production` behind Caddy with deploy/Caddyfile.intranet
(`tls internal`), and Chromium trusting Caddy's local root CA through an NSS database, as a
phone does once its user installs the root certificate. The field app needs what only a
secure context gives: a service worker, the position and the camera.

The site is reached by a name (gridmgmt.test, mapped to 127.0.0.1), never as localhost,
which Chromium treats as secure even over plain HTTP.
"""

import http.client
import os
import secrets
import subprocess
from pathlib import Path

import pytest

from bench.serving import BIN, CADDY, Caddy, Server, trusting_home
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.web.people import PASSWORD, add_people
from tests.web.sample import add_small_township

pytestmark = pytest.mark.e2e

HOST = "gridmgmt.test"
# A service worker of the smallest kind, served to the browser at SW_PATH by the test.
SW_PATH = "/sw-probe.js"
SW_SOURCE = "self.addEventListener('fetch', () => {});"
FEATURES = """async () => {
    const position = await new Promise(resolve => navigator.geolocation.getCurrentPosition(
        p => resolve([p.coords.latitude, p.coords.longitude]), e => resolve(e.message)));
    return {secure: window.isSecureContext, serviceWorker: 'serviceWorker' in navigator,
            geolocation: 'geolocation' in navigator, position,
            camera: !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)};
}"""
REGISTER = f"""async () => {{
    const registration = await navigator.serviceWorker.register('{SW_PATH}');
    await navigator.serviceWorker.ready;
    return registration.scope;
}}"""


@pytest.fixture
def app_server(db_url, session):
    """`gridmgmt serve --production` on the sample township, trusting the proxy on 127.0.0.1."""
    add_small_township(session)
    add_people(session)
    env = {
        "GRIDMGMT_DATABASE_URL": db_url,
        "GRIDMGMT_TRUSTED_PROXIES": "127.0.0.1",
        "GRIDMGMT_SECURE_COOKIES": "true",
        "GRIDMGMT_SECRET_KEY": secrets.token_urlsafe(32),
    }
    with Server(
        "gridmgmt serve --production",
        [str(BIN / "gridmgmt"), "serve", "--production", "--workers", "2", "--port", "{port}"],
        env,
    ) as server:
        yield server.port


@pytest.fixture
def caddy(app_server, tmp_path):
    """Caddy on deploy/Caddyfile.intranet in front of APP_SERVER, serving HOST."""
    if not CADDY.exists():
        pytest.fail("没有找到 /usr/bin/caddy：请运行 scripts/install-debs.sh", pytrace=False)
    with Caddy(app_server, tmp_path, HOST) as server:
        yield server


@pytest.fixture
def trusting_browser(browser, caddy, tmp_path):
    """Chromium whose NSS database (in a HOME of its own) trusts Caddy's root CA."""
    home = trusting_home(caddy.root, tmp_path / "browser-home")
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        env={**os.environ, "HOME": str(home)},
        args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {HOST} 127.0.0.1"],
    )
    yield chromium
    chromium.close()


def _context(chromium, base: str):
    """A browser context that knows a position, and gets the probe service worker from the test."""
    context = chromium.new_context(
        geolocation={"latitude": 23.9, "longitude": 115.7}, permissions=["geolocation"], base_url=base
    )
    context.route(f"**{SW_PATH}", lambda route: route.fulfill(body=SW_SOURCE, content_type="text/javascript"))
    return context


def test_field_app_features_over_https_through_caddy(trusting_browser, caddy):
    port = caddy.port
    context = _context(trusting_browser, f"https://{HOST}:{port}")
    page = context.new_page()
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    login = page.goto("/login")
    assert login.ok and login.headers["strict-transport-security"].startswith("max-age=")
    assert page.evaluate(FEATURES) == {
        "secure": True,
        "serviceWorker": True,
        "geolocation": True,
        "position": [23.9, 115.7],
        "camera": True,
    }
    page.fill('input[name="username"]', "grid_worker")
    page.fill('input[name="password"]', PASSWORD)
    with page.expect_navigation():
        page.click('button[type="submit"]')
    assert page.goto("/m").ok  # the field app: its service worker keeps it for use with no signal
    page.wait_for_function("() => document.documentElement.dataset.offline === 'ready'", timeout=30_000)
    assert not page.is_visible("#secure-note")
    visits = page.goto("/m/visits")
    assert visits.ok and page.url.endswith("/m/visits")  # logged in, not sent back to /login
    assert visits.headers["content-encoding"] in ("zstd", "gzip")
    assert page.evaluate(FEATURES)["secure"] and page.evaluate(FEATURES)["camera"]
    assert page.evaluate(REGISTER) == f"https://{HOST}:{port}/"
    session_cookie = next(c for c in context.cookies() if c["name"] == "session")
    assert session_cookie["secure"]
    assert refused == []  # every inline script carried the nonce
    context.close()


def test_the_same_app_over_plain_http_is_not_a_secure_context(trusting_browser, app_server):
    """The control: without HTTPS a phone gets none of it (so the checks above can fail)."""
    context = _context(trusting_browser, f"http://{HOST}:{app_server}")
    page = context.new_page()
    assert page.goto("/login").ok
    features = page.evaluate(FEATURES)
    assert features["secure"] is False and features["serviceWorker"] is False
    assert features["camera"] is False and features["position"] != [23.9, 115.7]
    context.close()


def test_root_certificate_is_offered_over_plain_http(caddy):
    """Phones fetch the root certificate from http://NAME/gridmgmt-ca.crt; all else goes to HTTPS."""
    conn = http.client.HTTPConnection("127.0.0.1", caddy.http_port, timeout=10)
    conn.request("GET", "/gridmgmt-ca.crt", headers={"Host": HOST})
    response = conn.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/x-x509-ca-cert"
    assert response.read() == caddy.root.read_bytes()
    conn.request("GET", "/login", headers={"Host": HOST})
    response = conn.getresponse()
    response.read()
    assert response.status in (301, 302, 308) and response.getheader("Location").startswith("https://")
