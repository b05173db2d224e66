"""Who acts, and the audit rows they leave: record(), audited files, named app users for the command line.

Plain SQL, no ORM models: `gridmgmt import` audits its rows without paying to load every model.
"""
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from gridmgmt.domain.permissions import may
from gridmgmt.domain.vocab import ROLES

# Every action the audit log holds, with the label the audit page shows.
ACTIONS = {
    "login": "登录", "login_failed": "登录失败", "logout": "退出",
    "read_sensitive": "查看敏感信息", "export_sensitive": "导出敏感信息",
    "export_audit": "导出审计日志", "create_token": "创建访问令牌",
    "revoke_token": "吊销访问令牌", "export_map": "导出地图", "export_layers": "导出图层",
    "review_site": "示范点评审", "export_workbook": "导出表格", "import_layer": "导入图层",
    "logout_all": "退出全部设备", "disable_user": "停用用户", "enable_user": "启用用户",
}
INSERT = text("INSERT INTO audit_log (actor, action, target, user_id, remote_addr, detail) "
              "VALUES (:actor, :action, :target, :user_id, :remote_addr, CAST(:detail AS jsonb))")
USER = text("SELECT u.id, u.role, t.code FROM app_user u LEFT JOIN township t ON t.id = u.township_id "
            "WHERE u.username = :u AND u.active")


@dataclass(frozen=True)
class Actor:
    """Who acts, and from where: the audit log's who and from-where (and their role, when known)."""

    username: str
    user_id: int | None = None
    remote_addr: str | None = None
    role: str | None = None


class ActorRefused(PermissionError):
    """The named user does not exist, is disabled, or may not do this; the message is Chinese."""


def record(session: Session, actor: Actor, action: str, target: str | None = None,
           detail: dict | None = None) -> None:
    """Write an audit row in SESSION's transaction; the caller commits with the work it audits."""
    if action not in ACTIONS:  # the audit page must be able to name every row
        raise ValueError(f"audit action without a label in ACTIONS: {action}")
    session.execute(INSERT, {
        "actor": actor.username[:64], "action": action, "target": target, "user_id": actor.user_id,
        "remote_addr": actor.remote_addr,
        # Unset stays SQL NULL rather than JSON null.
        "detail": None if detail is None else json.dumps(detail, ensure_ascii=False)})


def audited_file(session: Session, path: Path, write, actor: Actor, detail: dict,
                 action: str = "export_map") -> Path:
    """WRITE to a temporary file beside PATH, audit ACTION, then move the file into place and commit.

    A failed export leaves neither a file nor an audit row. DETAIL is read after WRITE, so WRITE may fill it in.
    """
    path = Path(path)
    partial = path.with_name(f".{path.stem}.partial{path.suffix}")
    try:
        write(partial)
        record(session, actor, action, target=path.name, detail=detail)
        partial.replace(path)
        session.commit()
    except BaseException:
        session.rollback()
        partial.unlink(missing_ok=True)
        raise
    return path


def named_actor(session: Session, username: str, permissions: tuple[str, ...], township: str | None = None,
                origin: str | None = None) -> Actor:
    """The active app user USERNAME as an Actor from ORIGIN, if their role has every one of PERMISSIONS
    and TOWNSHIP (a code; None: every township, which only an admin may) is theirs; else ActorRefused."""
    row = session.execute(USER, {"u": username}).one_or_none()
    if row is None:
        raise ActorRefused(f"没有启用的用户「{username}」")
    user_id, role, home = row
    denied = [p for p in permissions if not may(role, p)]
    if denied:
        raise ActorRefused(f"用户「{username}」（{ROLES.get(role, role)}）无权执行此操作（{'、'.join(denied)}）")
    if role != "admin" and township is None:
        raise ActorRefused(f"用户「{username}」只能处理本乡镇（{home}）的数据：请用 --township 指定")
    if role != "admin" and home != township:
        raise ActorRefused(f"用户「{username}」不属于乡镇 {township}，不能导出或导入该乡镇的数据")
    return Actor(username, user_id, origin and origin[:64], role)
