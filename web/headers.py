"""Security headers on every response, and long-lived caching of versioned static files.

Scripts run only from the app's own files or from inline blocks carrying this response's
nonce (`<script nonce="{{ csp_nonce() }}">`, and `{{ map.header|nonced }}` for folium's
head). Styles keep 'unsafe-inline': Leaflet, folium's popups and the legends write style
attributes, which no nonce can cover.

Templates link static files with `url_for`, which adds `?v=<hash of the file>`; a request
carrying the current hash is answered as immutable for a year, any other keeps the short
default, so a new file never hides behind an old URL.
"""

import hashlib
import re
import secrets
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, g, request
from markupsafe import Markup

YEAR_SECONDS = 365 * 24 * 3600
TIANDITU_IMAGES = "https://*.tianditu.gov.cn"
_SCRIPT_TAG = re.compile(r"<script(?=[\s>])")
FIXED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    # The field app needs the position and the camera; nothing needs the microphone.
    "Permissions-Policy": "geolocation=(self), camera=(self), microphone=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def csp_nonce() -> str:
    """This response's script nonce, made on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def nonced(html: str) -> Markup:
    """Trusted HTML (folium's rendered head) with this response's nonce on each script tag."""
    return Markup(_SCRIPT_TAG.sub(f'<script nonce="{csp_nonce()}"', html))


def content_security_policy() -> str:
    """The CSP of the current response: the nonce only when a template used one."""
    scripts = f"'self' 'nonce-{g.csp_nonce}'" if "csp_nonce" in g else "'self'"
    images = "'self' data: blob:"
    if current_app.config.get("TIANDITU_KEY"):
        images += f" {TIANDITU_IMAGES}"
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
        f"img-src {images}; font-src 'self' data:; connect-src 'self'; worker-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


def _static_path(endpoint: str, values: dict) -> Path | None:
    """The file behind a static or npm-asset URL's values, None for other endpoints."""
    filename = values.get("filename")
    if filename is None:
        return None
    if endpoint == "static":
        return Path(current_app.static_folder) / filename
    if endpoint == "assets.package_file":
        return Path(current_app.config["NODE_MODULES"]) / values["package"] / filename
    return None


@lru_cache(maxsize=1024)
def _digest(path: str, _mtime_ns: int, _size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def file_version(path: Path) -> str | None:
    """A short hash of PATH's content (cached until the file changes); None when it is missing."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _digest(str(path), stat.st_mtime_ns, stat.st_size)


def _add_version(endpoint: str, values: dict) -> None:
    path = _static_path(endpoint, values)
    version = path and file_version(path)
    if version:
        values.setdefault("v", version)


def _headers(response):
    response.headers.update(FIXED_HEADERS)
    response.headers["Content-Security-Policy"] = content_security_policy()
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = f"max-age={YEAR_SECONDS}"
    path = _static_path(request.endpoint or "", request.view_args or {})
    version = request.args.get("v")
    if response.status_code == 200 and path and version and version == file_version(path):
        response.headers["Cache-Control"] = f"public, max-age={YEAR_SECONDS}, immutable"
    return response


def init_app(app: Flask) -> None:
    """Add the headers to every response and the nonce helpers and file versions to templates."""
    app.after_request(_headers)
    app.url_defaults(_add_version)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.jinja_env.filters["nonced"] = nonced
