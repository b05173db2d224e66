"""Plumbing of the JSON routes (tiles, OGC API): errors as JSON, and who may read a layer.

Every error of these routes has one shape, `{"error": {"code", "message", "final"}}`,
with a Chinese message (web.errors answers them); internal details go to the log only.
"""

from functools import partial

from flask import Blueprint, abort, current_app, g
from flask_login import current_user
from werkzeug.exceptions import NotFound

from gridmgmt.domain.permissions import Scope
from gridmgmt.services.accounts.scopes import public_scope
from web.auth import current_scope, json_error, public
from web.db import get_session

# HTTP status → (error code, default Chinese message).
ERRORS = {
    400: ("bad_request", "请求参数有误"),
    401: ("unauthorized", "请先登录或提供有效的访问令牌"),
    403: ("forbidden", "没有权限访问"),
    404: ("not_found", "请求的资源不存在"),
    405: ("method_not_allowed", "不支持该请求方法"),
    409: ("conflict", "数据已被他人修改，请刷新后重试"),
    413: ("too_large", "提交的内容过大"),
    429: ("too_many_requests", "请求过于频繁，请稍后再试"),
    500: ("internal_error", "服务器内部错误，请稍后再试"),
    503: ("unavailable", "数据库暂时无法连接，请稍后再试"),
}


def error_response(status: int, message: str | None = None, code: str | None = None, retryable: bool = False):
    """The JSON error for STATUS, with MESSAGE and CODE or the defaults of ERRORS;
    RETRYABLE: a refusal that may pass when resent later (see auth.json_error)."""
    default_code, default = ERRORS.get(status, ERRORS[500] if status >= 500 else ERRORS[400])
    body, status = json_error(status, code or default_code, message or default, retryable)
    if status == 401:
        body.headers["WWW-Authenticate"] = 'Bearer realm="gridmgmt"'
    return body, status


def _domain_error(status: int, error: Exception):
    # Domain errors carry a Chinese message meant for the user.
    return error_response(status, str(error))


@public
def _unknown_path(_path: str):
    raise NotFound()


def json_errors(bp: Blueprint, domain_errors: dict[type[Exception], int] | None = None) -> None:
    """Answer unknown paths under BP's prefix with a JSON 404, and BP's DOMAIN_ERRORS (exception →
    status; a UserError needs none) as JSON (web.errors answers every other error of a JSON path as JSON)."""
    for exception, status in (domain_errors or {}).items():
        bp.register_error_handler(exception, partial(_domain_error, status))
    bp.add_url_rule("/<path:_path>", "unknown_path", _unknown_path)


def public_layers() -> bool:
    """True when the non-personal layers are readable without login (GRIDMGMT_PUBLIC_LAYERS)."""
    return bool(current_app.config.get("PUBLIC_LAYERS"))


def _scope() -> Scope:
    """The requester's scope; anonymous: the public townships (GRIDMGMT_PUBLIC_TOWNSHIPS)."""
    if current_user.is_authenticated:
        return current_scope()
    if "public_scope" not in g:
        g.public_scope = public_scope(get_session(), tuple(current_app.config.get("PUBLIC_TOWNSHIPS") or ()))
    return g.public_scope


def can_read(personal: bool) -> bool:
    """True when the requester may read a layer (PERSONAL: households)."""
    if not current_user.is_authenticated:
        return not personal and public_layers()
    return not personal or _scope().households


def reader_scope(personal: bool) -> Scope:
    """The scope to read a layer in; 401/403 when it may not be read."""
    if not can_read(personal):
        abort(403 if current_user.is_authenticated else 401)
    return _scope()
