"""Logins, CSRF and access rules for every route.

Every route needs a logged-in user unless its view is marked `@public`. A
request may also carry a personal access token (`Authorization: Bearer …`):
then it is the token's user or no one, never the cookie's, and needs no CSRF
token (a cross-site form cannot send that header). A session cookie names a
login_session row; deleting the row (logout, password change, …) ends it.
Views add `@roles_required(...)` or `@permission_required(action)`; scope
checks (which township, village or household) use `current_scope()`.
"""

from dataclasses import dataclass
from functools import wraps

from flask import Flask, abort, current_app, g, jsonify, redirect, request, url_for
from flask_login import LoginManager, UserMixin, current_user, login_required
from flask_wtf.csrf import CSRFProtect

from gridmgmt.config import get_settings
from gridmgmt.domain.permissions import Forbidden, Scope, covers_code, covers_county, may
from gridmgmt.domain.vocab import ROLES
from gridmgmt.services.accounts.audit import Actor, record
from gridmgmt.services.accounts.logins import SESSION_LIFETIME, session_user
from gridmgmt.services.accounts.scopes import user_scope
from gridmgmt.services.accounts.users import user_for_token
from web.db import get_session

__all__ = [
    "audit",
    "current_actor",
    "current_scope",
    "home_url",
    "init_app",
    "json_error",
    "login_required",
    "permission_required",
    "public",
    "require_county",
    "require_township",
    "roles_required",
    "snapshot",
]

login_manager = LoginManager()
csrf = CSRFProtect()
# Paths whose clients read JSON: they get a JSON 401/403, never a redirect to the login page.
JSON_PREFIXES = ("/api/", "/ogc", "/tiles/")
# Endpoints of other modules that need no login: the site's CSS and the npm assets.
PUBLIC_ENDPOINTS = frozenset({"static", "assets.package_file"})
# Refusals of what was sent, not of when or by whom: never 401 or 403 (log in again), 429 or
# 5xx (wait), after which the same request may pass.
FINAL_STATUSES = frozenset({400, 404, 405, 409, 410, 413, 422})


@dataclass
class CurrentUser(UserMixin):
    """The logged-in user as the web layer sees it (a snapshot, not an ORM row)."""

    id: int
    username: str
    role: str
    township_id: int | None
    township_code: str | None
    county_code: str | None  # 县级 users: their county instead of a township
    cadre_id: int | None
    login_key: str | None = None  # the session cookie's key; None for a token's user

    def get_id(self) -> str:
        """What the session cookie stores: the user and their login session's key."""
        return cookie_id(self.id, self.login_key)


def cookie_id(user_id: int, login_key: str | None) -> str:
    """The session cookie's user id for USER_ID's login session LOGIN_KEY."""
    return f"{user_id}:{login_key}"


def session_config(secure_cookies: bool) -> dict:
    """Cookie, session and CSRF settings for app.config (tests may override them)."""
    return {
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "PERMANENT_SESSION_LIFETIME": SESSION_LIFETIME,
        # Send the cookie only when the session changes: a tile response still in flight
        # at logout must not put the old session cookie back.
        "SESSION_REFRESH_EACH_REQUEST": False,
        # Fetch calls send the token from <meta name="csrf-token"> in this header.
        "WTF_CSRF_HEADERS": ["X-CSRFToken", "X-CSRF-Token"],
        "WTF_CSRF_TIME_LIMIT": int(SESSION_LIFETIME.total_seconds()),
        # _check_csrf checks cookie sessions only: requests with a bearer token are exempt.
        "WTF_CSRF_CHECK_DEFAULT": False,
    }


def init_app(app: Flask) -> None:
    """Set up logins, CSRF and the login requirement on APP."""
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    csrf.init_app(app)
    app.before_request(_check_csrf)
    app.before_request(_require_login)
    app.context_processor(lambda: {"role_labels": ROLES})


def snapshot(user_id: int, login_key: str | None = None) -> CurrentUser | None:
    """The user USER_ID with their township's (or county's) code, read fresh; None when unknown or inactive.

    With LOGIN_KEY, also None unless that login session of theirs is open.
    """
    row = session_user(get_session(), user_id, login_key)
    return CurrentUser(*row, login_key=login_key) if row else None


def _bearer_secret() -> str | None:
    """The token of this request's `Authorization: Bearer` header, if it has one."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return secret.strip() or None


@login_manager.user_loader
def _load_user(cookie_user: str) -> CurrentUser | None:
    user_id, _, login_key = cookie_user.partition(":")
    # A request with a token is the token's user or no one: never the cookie's.
    if _bearer_secret() or not (user_id.isascii() and user_id.isdigit()) or not login_key:
        return None
    return snapshot(int(user_id), login_key)


@login_manager.request_loader
def _load_token_user(_request) -> CurrentUser | None:
    secret = _bearer_secret()
    user = user_for_token(get_session(), secret) if secret else None
    return snapshot(user.id) if user else None


def _check_csrf():
    """Flask-WTF's CSRF check, for requests without a bearer token (cookie sessions)."""
    if current_app.config["WTF_CSRF_ENABLED"] and request.endpoint and not _bearer_secret():
        csrf.protect()


def wants_json() -> bool:
    """True when the client reads JSON rather than pages."""
    return request.path.startswith(JSON_PREFIXES) or request.accept_mimetypes.best == "application/json"


def json_error(status: int, code: str, message: str, retryable: bool = False):
    """The API's error shape, {"error": {"code", "message", "final"}}, with STATUS.

    "final" is true for a refusal that resending can never turn into a success (FINAL_STATUSES,
    unless RETRYABLE): only then may a client such as the phone drop what it sent.
    """
    final = status in FINAL_STATUSES and not retryable
    return jsonify({"error": {"code": code, "message": message, "final": final}}), status


@login_manager.unauthorized_handler
def _unauthorized():
    if wants_json():
        return json_error(401, "unauthorized", "请先登录或提供有效的访问令牌")
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def public(view):
    """Mark VIEW as reachable without login."""
    view.is_public = True
    return view


def _require_login():
    view = current_app.view_functions.get(request.endpoint)
    if (
        view is None
        or request.endpoint in PUBLIC_ENDPOINTS
        or getattr(view, "is_public", False)
        or current_user.is_authenticated
    ):
        return None
    return login_manager.unauthorized()


def _guard(allowed):
    """A decorator letting through only logged-in users whose role passes ALLOWED."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not allowed(current_user.role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def roles_required(*roles: str):
    """Let only users with one of ROLES through (403 otherwise)."""
    return _guard(lambda role: role in roles)


def permission_required(action: str):
    """Let only roles allowed ACTION (gridmgmt.domain.permissions) through (403 otherwise)."""
    return _guard(lambda role: may(role, action))


def current_scope() -> Scope:
    """What the current user may see, computed once per request."""
    if "scope" not in g:
        # The snapshot was loaded from the database at the start of this request.
        g.scope = user_scope(get_session(), current_user, get_settings().today())
    return g.scope


def require_township(code: str) -> None:
    """Raise Forbidden unless the current user may see the township CODE (their own, or one of their county)."""
    if not covers_code(current_user.role, current_user.township_code, current_user.county_code, code):
        raise Forbidden(code)


def require_county(code: str) -> None:
    """Raise Forbidden unless the current user may open the county CODE's pages."""
    if not covers_county(current_user.role, current_user.county_code, code):
        raise Forbidden(code)


def home_url() -> str:
    """Where a user starts: grid workers their phone page, county users their county, others their township."""
    if current_user.role == "grid_worker":
        return url_for("mobile.index")
    if current_user.county_code and current_user.role != "admin":
        return url_for("county.show", county=current_user.county_code)
    if current_user.role == "admin" or not current_user.township_code:
        return url_for("townships.index")
    return url_for("townships.show", code=current_user.township_code)


def current_actor() -> Actor:
    """The current user and their address, for the audit log."""
    return Actor(current_user.username, current_user.id, request.remote_addr)


def audit(action: str, target: str | None = None, detail: dict | None = None) -> None:
    """Add an audit row for the current user and address; the caller commits."""
    record(get_session(), current_actor(), action, target=target, detail=detail)
