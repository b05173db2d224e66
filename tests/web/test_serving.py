"""web/serving.py and web/headers.py: security headers, proxy trust, request ids and log,
the body size limit, and long-lived caching of versioned static files."""

import logging
import re
from pathlib import Path

import pytest

from tests.web.sample import TOWNSHIP_CODE
from web import create_app

PROXY = {"REMOTE_ADDR": "10.0.0.5"}
STRANGER = {"REMOTE_ADDR": "10.9.9.9"}
TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"


@pytest.fixture
def proxied_app(db_url):
    """The app trusting the proxy at 10.0.0.5 only."""
    return create_app({"TESTING": True, "DATABASE_URL": db_url, "TIANDITU_KEY": None, "TRUSTED_PROXIES": "10.0.0.5"})


def test_every_response_carries_the_security_headers(client):
    for path in ("/login", "/healthz", "/static/site.css", "/no-such-page"):
        headers = client.get(path).headers
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "geolocation=(self)" in headers["Permissions-Policy"]
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert "Strict-Transport-Security" not in headers  # plain HTTP


def test_inline_scripts_of_a_map_page_carry_this_responses_nonce(as_user):
    response = as_user("planner").get(f"/townships/{TOWNSHIP_CODE}")
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    tags = re.findall(r"<script\b[^>]*>", response.get_data(as_text=True))
    inline = [tag for tag in tags if "src=" not in tag]
    assert inline, "the map page has inline scripts (folium)"
    assert all(f'nonce="{nonce}"' in tag for tag in inline), inline
    other = as_user("planner").get(f"/townships/{TOWNSHIP_CODE}").headers["Content-Security-Policy"]
    assert nonce not in other  # a fresh nonce per response


def test_templates_have_no_inline_event_handlers_or_unnonced_scripts():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"\son[a-z]+\s*=", text), template  # CSP blocks onclick= and the like
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or "csp_nonce()" in tag, (template, tag)


def test_tianditu_images_are_allowed_only_with_a_key(db_url):
    with_key = create_app({"TESTING": True, "DATABASE_URL": db_url, "TIANDITU_KEY": "k"})
    assert "tianditu.gov.cn" in with_key.test_client().get("/healthz").headers["Content-Security-Policy"]


def test_hsts_and_forwarded_address_only_from_the_trusted_proxy(proxied_app):
    client = proxied_app.test_client()
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.168.1.20"}
    trusted = client.get("/healthz", headers=forwarded, environ_base=PROXY)
    assert trusted.headers["Strict-Transport-Security"].startswith("max-age=")
    spoofed = client.get("/healthz", headers=forwarded, environ_base=STRANGER)
    assert "Strict-Transport-Security" not in spoofed.headers


def test_request_id_is_taken_from_the_proxy_only(proxied_app):
    client = proxied_app.test_client()
    given = {"X-Request-Id": "caddy-1234"}
    assert client.get("/healthz", headers=given, environ_base=PROXY).headers["X-Request-Id"] == "caddy-1234"
    own = client.get("/healthz", headers=given, environ_base=STRANGER).headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", own)
    odd = client.get("/healthz", headers={"X-Request-Id": 'a b;c="d"'}, environ_base=PROXY)
    assert re.fullmatch(r"[0-9a-f]{32}", odd.headers["X-Request-Id"])  # not plain: not logged as is


def test_request_log_line_has_id_user_method_path_status_duration(as_user, people, caplog):
    client = as_user("planner")
    with caplog.at_level(logging.INFO, logger="gridmgmt.request"):
        response = client.get(f"/townships/{TOWNSHIP_CODE}?secret=1")
    [line] = [r.getMessage() for r in caplog.records if r.name == "gridmgmt.request"]
    request_id = response.headers["X-Request-Id"]
    assert re.fullmatch(
        rf"id={request_id} user={people['planner']}:planner GET "
        rf"/townships/{TOWNSHIP_CODE} 200 \d+\.\dms",
        line,
    ), line
    assert "secret" not in line


def test_request_log_line_cannot_be_split_by_the_path(client, caplog):
    with caplog.at_level(logging.INFO, logger="gridmgmt.request"):
        client.get("/no%0Aid=forged user=1:admin GET /audit 200 1.0ms")
    line = caplog.records[-1].getMessage()
    assert "\n" not in line and " /no%0Aid=forged%20user=1:admin%20GET%20/audit%20200%201.0ms 404 " in line


def test_request_log_never_loads_the_user(client, caplog):
    with caplog.at_level(logging.INFO, logger="gridmgmt.request"):
        client.get("/healthz")
    assert " user=- GET /healthz 200 " in caplog.records[-1].getMessage()


class _Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *_args):
        raise AssertionError("the body was read")

    readline = read


def test_too_large_body_is_refused_unread(client):
    big = 21 * 1024 * 1024
    response = client.post(
        "/login",
        content_type="application/x-www-form-urlencoded",
        environ_overrides={"wsgi.input": _Unreadable(), "CONTENT_LENGTH": str(big)},
    )
    assert response.status_code == 413
    assert response.headers["Connection"] == "close"
    assert "提交的内容过大（上限 20 MB）" in response.get_data(as_text=True)


def test_too_large_body_is_refused_before_routing_and_login(client):
    """Routes that never read a body, and the login redirect, answer 413 too: nothing to drain."""
    for path in ("/healthz", f"/townships/{TOWNSHIP_CODE}"):
        response = client.post(path, environ_overrides={"wsgi.input": _Unreadable(), "CONTENT_LENGTH": str(10**9)})
        assert response.status_code == 413, path


def test_too_large_body_on_the_api_gets_json(client):
    response = client.post(
        "/api/visits",
        content_type="application/json",
        environ_overrides={"wsgi.input": _Unreadable(), "CONTENT_LENGTH": str(50 * 1024 * 1024)},
    )
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


def test_body_within_the_limit_is_read(client):
    response = client.post("/login", data={"username": "x" * 1000, "password": "y"})
    assert response.status_code != 413


def test_static_links_carry_a_content_hash_and_are_immutable(client):
    page = client.get("/login").get_data(as_text=True)
    url = re.search(r'href="(/static/site\.css\?v=[0-9a-f]{12})"', page).group(1)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    stale = client.get("/static/site.css?v=000000000000")
    assert "immutable" not in stale.headers.get("Cache-Control", "")  # not the file of that hash
    assert "immutable" not in client.get("/static/site.css").headers.get("Cache-Control", "")


def test_npm_asset_links_carry_a_content_hash(as_user):
    page = as_user("grid_worker").get("/m/visits").get_data(as_text=True)
    url = re.search(r'src="(/assets/leaflet/dist/leaflet\.js\?v=[0-9a-f]{12})"', page).group(1)
    assert "immutable" in as_user("grid_worker").get(url).headers["Cache-Control"]
