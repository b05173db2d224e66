"""Health checks for the service manager and the proxy: /healthz (the process) and /readyz
(the database reachable and at the newest schema). Neither needs a login."""

from flask import Blueprint, current_app, jsonify
from sqlalchemy.exc import OperationalError

from gridmgmt.db.migrate import database_revision, head_revision
from web.auth import public
from web.db import get_session, read_only

RETRY_AFTER_S = 5

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz():
    """200 while the process answers; touches no database."""
    return jsonify(status="ok")


@bp.get("/readyz")
@public
@read_only
def readyz():
    """200 when the database answers and is migrated to the newest revision, else 503."""
    try:
        revision = database_revision(get_session().connection())
    except OperationalError as error:
        current_app.logger.warning("readyz: database unavailable: %s", error.orig)
        return _not_ready("数据库无法连接")
    if revision != head_revision():
        return _not_ready(f"数据库结构版本为 {revision}，应为 {head_revision()}：请运行 gridmgmt db migrate")
    return jsonify(status="ready", revision=revision)


def _not_ready(reason: str):
    return jsonify(status="unavailable", reason=reason), 503, {"Retry-After": str(RETRY_AFTER_S)}
