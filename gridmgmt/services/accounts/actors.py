"""Who acts, and the audit rows they leave: record(), audited files, named app users for the command line.

Core tables of the few columns used, not the ORM models: `gridmgmt import` audits its rows
without paying to load every model.
"""

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Boolean, column, insert, select, table
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from gridmgmt.domain.errors import UserError
from gridmgmt.domain.permissions import covers_code, may
from gridmgmt.domain.vocab import ROLES

# Every action the audit log holds, with the label the audit page shows.
ACTIONS = {
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出",
    "read_sensitive": "查看敏感信息",
    "export_sensitive": "导出敏感信息",
    "export_audit": "导出审计日志",
    "create_token": "创建访问令牌",
    "revoke_token": "吊销访问令牌",
    "export_map": "导出地图",
    "export_layers": "导出图层",
    "review_site": "示范点评审",
    "export_workbook": "导出表格",
    "import_layer": "导入图层",
    "import_grid_plan": "导入已有网格",
    "logout_all": "退出全部设备",
    "disable_user": "停用用户",
    "enable_user": "启用用户",
    "add_user": "添加用户",
    "set_password": "设置密码",
    "reset_password": "重置密码",
    "change_password": "修改本人密码",
    "change_password_failed": "修改本人密码失败",
    "change_role": "修改角色和范围",
    "allocate_plan": "生成网格方案",
    "edit_plan": "编辑网格方案",
    "rebalance_plan": "重新均衡网格方案",
    "redraw_plan": "按村民小组界线重画网格",
    "assign_plan": "分配网格员和联户党员",
    "publish_plan": "发布网格方案",
    "archive_plan": "归档网格方案",
    "add_posting": "添加驻村包村安排",
    "end_posting": "结束驻村包村安排",
    "raise_followup": "登记跟进事项",
    "move_followup": "办理跟进事项",
    "reassign_followup": "改派跟进事项",
    "upload_photo": "上传走访照片",
}
# Unset detail stays SQL NULL rather than JSON null.
AUDIT_LOG = table(
    "audit_log",
    column("actor"),
    column("action"),
    column("target"),
    column("user_id"),
    column("remote_addr"),
    column("detail", JSONB(none_as_null=True)),
)
APP_USER = table(
    "app_user",
    column("id"),
    column("username"),
    column("role"),
    column("township_id"),
    column("county_code"),
    column("active", Boolean),
)
TOWNSHIP = table("township", column("id"), column("code"))


@dataclass(frozen=True)
class Actor:
    """Who acts, and from where: the audit log's who and from-where (and their role, when known)."""

    username: str
    user_id: int | None = None
    remote_addr: str | None = None
    role: str | None = None


class ActorRefused(UserError, PermissionError):
    """The named user does not exist, is disabled, or may not do this; the message is Chinese."""

    status = 403


def record(session: Session, actor: Actor, action: str, target: str | None = None, detail: dict | None = None) -> None:
    """Write an audit row in SESSION's transaction; the caller commits with the work it audits."""
    if action not in ACTIONS:  # the audit page must be able to name every row
        raise ValueError(f"audit action without a label in ACTIONS: {action}")
    session.execute(
        insert(AUDIT_LOG).values(
            actor=actor.username[:64],
            action=action,
            target=target,
            user_id=actor.user_id,
            remote_addr=actor.remote_addr,
            detail=detail,
        )
    )


def audited_file(session: Session, path: Path, write, actor: Actor, detail: dict, action: str = "export_map") -> Path:
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


def named_actor(
    session: Session,
    username: str,
    permissions: tuple[str, ...],
    township: str | None = None,
    origin: str | None = None,
) -> Actor:
    """The active app user USERNAME as an Actor from ORIGIN, if their role has every one of PERMISSIONS
    and TOWNSHIP (a code; None: every township, which only an admin may) is theirs or of their county;
    else ActorRefused."""
    row = session.execute(
        select(APP_USER.c.id, APP_USER.c.role, TOWNSHIP.c.code, APP_USER.c.county_code)
        .outerjoin(TOWNSHIP, TOWNSHIP.c.id == APP_USER.c.township_id)
        .where(APP_USER.c.username == username, APP_USER.c.active)
    ).one_or_none()
    if row is None:
        raise ActorRefused(f"没有启用的用户“{username}”")
    user_id, role, home, county = row
    denied = [p for p in permissions if not may(role, p)]
    if denied:
        raise ActorRefused(f"用户“{username}”（{ROLES.get(role, role)}）无权执行此操作（{'、'.join(denied)}）")
    if role != "admin" and township is None:
        raise ActorRefused(f"用户“{username}”只能处理本乡镇（{home or county}）的数据：请用 --township 指定")
    if not covers_code(role, home, county, township or ""):
        raise ActorRefused(f"用户“{username}”不属于乡镇 {township}，不能导出或导入该乡镇的数据")
    return Actor(username, user_id, origin and origin[:64], role)
