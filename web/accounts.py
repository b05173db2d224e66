"""Login and logout pages."""
from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from gridmgmt.services.accounts import LoginFailed, TooManyAttempts, authenticate
from web.auth import audit, home_url, public, snapshot
from web.db import get_session

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str | None:
    """TARGET when it is a path on this site, else None (no open redirects)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """The login form; a good login goes to ?next= or the user's home page."""
    next_url = _safe_next(request.values.get("next"))
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(next_url or home_url())
        return render_template("accounts/login.html", next=next_url)
    username = request.form.get("username", "").strip()
    try:
        user = authenticate(get_session(), username, request.form.get("password", ""),
                            request.remote_addr)
    except TooManyAttempts as exc:
        return render_template("accounts/login.html", next=next_url, error=str(exc),
                               username=username), 429
    except LoginFailed as exc:
        return render_template("accounts/login.html", next=next_url, error=str(exc),
                               username=username), 401
    session.clear()  # a fresh session (and CSRF token) for the new user
    session.permanent = True
    login_user(snapshot(user.id))
    return redirect(next_url or home_url())


@bp.post("/logout")
def logout():
    """End the session (POST with the CSRF token) and go back to the login page."""
    audit("logout")
    get_session().commit()
    logout_user()
    session.clear()
    return redirect(url_for("accounts.login"))
