"""Login and logout pages."""

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from gridmgmt.services.accounts.logins import (
    LoginFailed,
    TooManyAttempts,
    authenticate,
    end_all_sessions,
    end_session,
    start_session,
)
from web.auth import current_actor, home_url, public, snapshot
from web.db import get_session

bp = Blueprint("accounts", __name__)
MAX_NEXT = 2000


def _safe_next(target: str | None) -> str | None:
    """TARGET when it is a path on this site, else None (no open redirects).

    Browsers drop tabs and newlines inside a URL and read a backslash as a slash,
    so "/<TAB>/evil.example" or "/\\evil.example" would leave the site: anything
    with a control character or a backslash is refused before the URL is parsed.
    """
    if not target or len(target) > MAX_NEXT or "\\" in target or not target.isprintable():
        return None
    # "///x" parses as the path "/x" but a browser goes to the host x: check the raw text too.
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def _form(next_url: str | None, status: int = 200, headers: dict | None = None, **page):
    return render_template("accounts/login.html", next=next_url, **page), status, headers or {}


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """The login form; a good login goes to ?next= or the user's home page."""
    next_url = _safe_next(request.values.get("next"))
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(next_url or home_url())
        return _form(next_url)
    username = request.form.get("username", "").strip()
    try:
        user = authenticate(get_session(), username, request.form.get("password", ""), request.remote_addr)
    except TooManyAttempts as exc:
        return _form(next_url, 429, {"Retry-After": str(exc.retry_after)}, error=str(exc), username=username)
    except LoginFailed as exc:
        return _form(next_url, 401, error=str(exc), username=username)
    key = start_session(get_session(), user.id)
    session.clear()  # a fresh session (and CSRF token) for the new user
    session.permanent = True
    login_user(snapshot(user.id, key))
    return redirect(next_url or home_url())


@bp.post("/logout")
def logout():
    """End this session (POST with the CSRF token): a copy of its cookie stops working too."""
    end_session(get_session(), current_user.login_key, current_actor())
    return _logged_out()


@bp.post("/logout/everywhere")
def logout_everywhere():
    """End every session of the current user, in every browser and on every phone."""
    end_all_sessions(get_session(), current_user.id, current_actor())
    return _logged_out()


def _logged_out():
    logout_user()
    session.clear()
    return redirect(url_for("accounts.login"))
