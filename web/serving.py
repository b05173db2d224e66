"""Serving the app in production: the trusted proxy (web/proxies.py), request ids and the request
log, the body size limit, health checks, and (web/headers.py) security and cache headers.

`init_app(app)` installs all of it; the same app runs under waitress (`gridmgmt serve`) and
under the multi-process server behind Caddy (`gridmgmt serve --production`).
"""

import logging
import re
import time
import uuid

from flask import Flask, current_app, g, request
from werkzeug.exceptions import RequestEntityTooLarge

from gridmgmt.config import get_settings
from web import errors, headers, health
from web.proxies import TrustedProxies, parse_networks

request_log = logging.getLogger("gridmgmt.request")
# A request id from the proxy is kept only when it is short and plain (it goes into the log).
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Spaces and control characters in logged text: escaped, so that a line stays one record.
UNSAFE_IN_LOG = re.compile(r"[\x00-\x20\x7f]")
MEGABYTE = 1024 * 1024


def _begin() -> None:
    g.request_started = time.perf_counter()
    # ProxyFix leaves its mark only on requests from a trusted proxy (web/proxies.py).
    given = request.headers.get("X-Request-Id", "") if "werkzeug.proxy_fix.orig" in request.environ else ""
    g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    # Refused before any view reads the body: the server then never reads it either.
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()


def _finish(response):
    response.headers["X-Request-Id"] = g.get("request_id", "-")
    request_log.info("%s", log_line(response.status_code))
    return response


def log_line(status: int) -> str:
    """The request log line: request id, user, method, path (never the query), status, duration."""
    # The user as already loaded for this request: logging never queries the database.
    user = g.get("_login_user")
    who = f"{user.id}:{_escaped(user.username)}" if getattr(user, "is_authenticated", False) else "-"
    elapsed_ms = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
    return (
        f"id={g.get('request_id', '-')} user={who} {request.method} {_escaped(request.path)} "
        f"{status} {elapsed_ms:.1f}ms"
    )


def _escaped(text: str) -> str:
    return UNSAFE_IN_LOG.sub(lambda found: f"%{ord(found.group()):02X}", text)


def _too_large(_error):
    limit_mb = current_app.config["MAX_CONTENT_LENGTH"] / MEGABYTE
    too_large = errors.answer(413, f"提交的内容过大（上限 {limit_mb:g} MB）", code="payload_too_large")
    too_large.headers["Connection"] = "close"  # the server need not drain the unread body
    return too_large


def init_app(app: Flask) -> None:
    """Install the proxy handling, request ids, request log, size limit, headers and health checks."""
    settings = get_settings()
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default: no limit
        app.config["MAX_CONTENT_LENGTH"] = settings.max_request_mb * MEGABYTE
    app.config.setdefault("TRUSTED_PROXIES", settings.trusted_proxies)
    app.wsgi_app = TrustedProxies(app.wsgi_app, parse_networks(app.config["TRUSTED_PROXIES"]))
    # First of all before-request functions: a login redirect must not skip the id or the limit.
    app.before_request_funcs.setdefault(None, []).insert(0, _begin)
    app.after_request(_finish)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    headers.init_app(app)
    app.register_blueprint(health.bp)
