"""账号管理 for admins (/users): list, add, disable, reset a password, role and scope, tokens; and
every user's own password (/account/password). The same services as `gridmgmt user`, all audited."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from gridmgmt.domain.vocab import ROLES
from gridmgmt.services.accounts import users
from gridmgmt.services.accounts.directory import account, accounts, counties, townships
from gridmgmt.services.accounts.resets import change_own_password, reset_password
from gridmgmt.services.accounts.users import AccountError
from web.auth import current_actor, permission_required
from web.db import get_session
from web.inputs import AccessForm, ActiveForm, NewUserForm, OwnPasswordForm
from web.params import accepts

bp = Blueprint("users", __name__)
# A page showing a new password must not stay in any cache.
NO_STORE = {"Cache-Control": "no-store"}


def _checked(form) -> None:
    """AccountError listing what the form refused."""
    if form.problems:
        raise AccountError("；".join(form.problems))


@bp.get("/users")
@permission_required("manage_users")
def index():
    """Every account, and a form to add one."""
    session = get_session()
    return render_template("users/index.html", users=accounts(session), **_places(session))


@bp.post("/users")
@permission_required("manage_users")
@accepts(form=NewUserForm)
def add(form: NewUserForm):
    """Add a user; refused with the reason (nothing written) when a rule is broken."""
    try:
        _checked(form)
        user = users.add_user(
            get_session(),
            form.username.strip(),
            form.role,
            form.password,
            form.township or None,
            form.cadre.strip() or None,
            actor=current_actor(),
            county_code=form.county or None,
        )
    except AccountError as exc:
        flash(f"未添加：{exc}", "error")
        return redirect(url_for("users.index"))
    flash(f"已添加用户 {user.username}（{ROLES[user.role]}）", "info")
    return redirect(url_for("users.show", user_id=user.id))


@bp.get("/users/<int:user_id>")
@permission_required("manage_users")
def show(user_id: int):
    """One account: role and scope, enable or disable, reset the password, tokens."""
    session = get_session()
    return render_template("users/show.html", user=account(session, user_id), **_places(session))


def _places(session) -> dict:
    """The roles and the townships and counties a user may be given, for the access fields."""
    return {"roles": ROLES, "townships": townships(session), "counties": counties(session)}


def _back(user_id: int, action, message: str):
    """Run ACTION(username); flash MESSAGE or the refusal, and go back to the user's page."""
    username = account(get_session(), user_id).username
    try:
        action(username)
        flash(message.format(username=username), "info")
    except AccountError as exc:
        flash(f"未修改：{exc}", "error")
    return redirect(url_for("users.show", user_id=user_id))


@bp.post("/users/<int:user_id>/access")
@permission_required("manage_users")
@accepts(form=AccessForm)
def change_access(user_id: int, form: AccessForm):
    """Change the user's role and scope; their sessions end."""

    def change(username: str) -> None:
        _checked(form)
        township, cadre = form.township or None, form.cadre.strip() or None
        county = form.county or None
        users.set_access(get_session(), username, form.role, township, cadre, actor=current_actor(), county_code=county)

    return _back(user_id, change, "已修改 {username} 的角色和范围，其登录已失效")


@bp.post("/users/<int:user_id>/active")
@permission_required("manage_users")
@accepts(form=ActiveForm)
def set_active(user_id: int, form: ActiveForm):
    """Enable or disable the user (the last active admin cannot be disabled)."""
    state = "启用" if form.active else "停用"
    return _back(
        user_id,
        lambda username: users.set_active(get_session(), username, form.active, current_actor()),
        f"已{state}用户 {{username}}",
    )


@bp.post("/users/<int:user_id>/tokens/<int:token_id>/revoke")
@permission_required("manage_users")
def revoke(user_id: int, token_id: int):
    """Revoke one of the user's access tokens."""
    return _back(
        user_id,
        lambda username: users.revoke_tokens(get_session(), username, token_id=token_id, actor=current_actor()),
        "已吊销 {username} 的访问令牌",
    )


@bp.post("/users/<int:user_id>/password")
@permission_required("manage_users")
def reset(user_id: int):
    """Give the user a new random password, shown on this page once (never stored in clear)."""
    user = account(get_session(), user_id)
    password = reset_password(get_session(), user.username, current_actor())
    return render_template("users/reset.html", user=user, password=password), 200, NO_STORE


@bp.get("/account/password")
def own_password():
    """The form to change one's own password."""
    return render_template("users/own_password.html")


@bp.post("/account/password")
@accepts(form=OwnPasswordForm)
def change_password(form: OwnPasswordForm):
    """Change one's own password; every session ends, so the user logs in again with it."""
    try:
        _checked(form)
        if form.new != form.again:
            raise AccountError("两次输入的新密码不一致")
        change_own_password(get_session(), current_user.username, form.current, form.new, current_actor())
    except AccountError as exc:
        flash(f"未修改：{exc}", "error")
        return redirect(url_for("users.own_password"))
    flash("密码已修改，请用新密码重新登录", "info")
    return redirect(url_for("accounts.login"))
