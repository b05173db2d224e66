"""Every error answer of the app: JSON for JSON clients, a Chinese page with a way back otherwise.

No error answer touches the database, so they still work while it is unreachable; then
every route answers 503 with Retry-After, whether the failure came in the view, in the
session or token loader (before the view) or at the pool's checkout.
"""

import psycopg
from flask import Flask, Response, current_app, request
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa
from werkzeug.exceptions import HTTPException

from gridmgmt.db.sqlstates import BUSY, SCHEMA_BEHIND, sqlstate
from gridmgmt.domain.errors import UserError
from gridmgmt.domain.permissions import Forbidden
from web.api import error_response
from web.auth import wants_json

RETRY_AFTER_S = 5
# What an unreachable database raises: refused or dropped connections, an administrator's or
# a crash shutdown, a server still starting (psycopg's errors, and SQLAlchemy's wrappers of
# them), and the pool's timeout when every connection waits on a stuck server.
UNREACHABLE = (
    sa.OperationalError,
    sa.InterfaceError,
    sa.TimeoutError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)
# Refusals of a database that is there but busy (gridmgmt.db.sqlstates.BUSY; psycopg raises them as
# OperationalError too). The same 503 and Retry-After, since trying again is right, but said as what it is,
# to the user and in the log.
BUSY_MESSAGE = "服务器繁忙，请稍后再试"
# A database this version's migrations have not reached (code upgraded, `gridmgmt db migrate` not yet run):
# every page would fail until an administrator migrates, so 503 and a line saying so in the log, not a 500.
UPGRADING_MESSAGE = "系统正在升级，请稍后再试"
# Page titles by status; the JSON messages are web.api.ERRORS.
PAGES = {
    400: "请求有误，请返回后重试",
    401: "请先登录",
    403: "没有权限访问此页面",
    404: "页面不存在",
    405: "不支持该操作",
    409: "数据已被他人修改，请刷新后重试",
    413: "提交的内容过大",
    429: "操作过于频繁，请稍后再试",
    500: "服务器出错了，请稍后再试",
    503: "数据库暂时无法连接，请稍后再试",
}
CSRF_MESSAGE = "页面已过期，请刷新后重试"


def init_app(app: Flask) -> None:
    """Answer every HTTP error, refusal and database outage of APP here."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Forbidden, lambda _error: answer(403))
    app.register_error_handler(UserError, lambda error: answer(error.status, str(error)))
    for error in UNREACHABLE:
        app.register_error_handler(error, _unreachable)
    app.register_error_handler(sa.ProgrammingError, _schema_behind)


def _chain(error: BaseException | None):
    """ERROR, then each error it was raised from or while handling."""
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


def unreachable(error: BaseException | None) -> bool:
    """True when ERROR, or an error it was raised from or while handling, means no database."""
    return any(isinstance(e, UNREACHABLE) or getattr(e, "connection_invalidated", False) for e in _chain(error))


def _states(error: BaseException | None) -> list[str]:
    """The SQLSTATEs of ERROR and of every error it wraps or was raised from."""
    return [state for e in _chain(error) if (state := sqlstate(e))]


def _busy(error: BaseException | None) -> bool:
    """True when ERROR, or an error it wraps or was raised from, is a busy database's refusal (sqlstates.BUSY)."""
    return any(state.startswith(BUSY) for state in _states(error))


def _http_error(error: HTTPException) -> Response:
    if error.code == 500 and unreachable(getattr(error, "original_exception", None)):
        return _unreachable(error.original_exception)
    if isinstance(error, CSRFError):
        current_app.logger.warning("CSRF refused: %s %s", request.method, request.path)
        refusal = answer(400, CSRF_MESSAGE, code="csrf", retryable=True)
    else:
        # abort(404, "没有这个网格方案"): a view's own message, not Werkzeug's English default.
        own = error.description if error.description != type(error).description else None
        refusal = answer(error.code or 500, own)
    for name, value in error.get_headers():  # Allow of a 405, Retry-After of a 429, …
        if name != "Content-Type":
            refusal.headers[name] = value
    return refusal


def _schema_behind(error: sa.ProgrammingError) -> Response:
    if not any(state in SCHEMA_BEHIND for state in _states(error)):
        raise error  # any other programming error is ours: the 500 it has always been
    first_line = str(getattr(error, "orig", error)).strip().partition("\n")[0]
    current_app.logger.error("database schema behind this version: run gridmgmt db migrate (%s)", first_line)
    upgrading = answer(503, UPGRADING_MESSAGE, code="upgrading")
    upgrading.headers["Retry-After"] = str(RETRY_AFTER_S)
    return upgrading


def _unreachable(error: BaseException) -> Response:
    first_line = str(error).strip().partition("\n")[0] or type(error).__name__
    busy = _busy(error)
    state = "busy" if busy else "unreachable"
    current_app.logger.error("database %s: %s %s: %s", state, request.method, request.path, first_line)
    unavailable = answer(503, BUSY_MESSAGE if busy else None, code="busy" if busy else None)
    unavailable.headers["Retry-After"] = str(RETRY_AFTER_S)
    return unavailable


def answer(status: int, message: str | None = None, code: str | None = None, retryable: bool = False) -> Response:
    """The error answer for STATUS: JSON (web.api's shape) or a page, with MESSAGE when given."""
    if wants_json():
        body, status = error_response(status, message, code=code, retryable=retryable)
        body.status_code = status
        return body
    return current_app.response_class(_page(status, message or _title(status)), status=status, mimetype="text/html")


def _title(status: int) -> str:
    return PAGES.get(status) or PAGES[500 if status >= 500 else 400]


def _page(status: int, message: str) -> str:
    # Not render_template: its context processors (flask-login's) load the logged-in user
    # from the database, which may be the very thing that is down.
    again = status == 503 and request.method == "GET"
    return current_app.jinja_env.get_template("error.html").render(
        message=message,
        back=_referrer(),
        again=request.url if again else None,
        refresh_s=RETRY_AFTER_S if again else None,
    )


def _referrer() -> str | None:
    """The page the user came from, when it is one of ours and not this one."""
    came_from = request.referrer
    if came_from and came_from.startswith(request.host_url) and came_from != request.url:
        return came_from
    return None
