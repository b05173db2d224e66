"""The audit log: list who read or exported what, with filters, and export it.

Rows are written by gridmgmt.services.accounts.actors (record, re-exported here with Actor and ACTIONS).
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from geodata.layers import LAYERS
from gridmgmt.db.models import AuditLog
from gridmgmt.domain.clock import SECONDS, local_text
from gridmgmt.domain.wording import detail_text, file_name, target_text
from gridmgmt.reports.sheets import add_sheet, new_book
from gridmgmt.services.accounts.actors import ACTIONS, Actor, record

__all__ = ["ACTIONS", "Actor", "AuditFilter", "AuditPage", "audit_page", "export_audit", "record"]

PAGE_SIZE = 50
# Codes of the detail that the glossary does not hold: layers by their labels.
DETAIL_WORDS = {"layer": {name: layer.label for name, layer in LAYERS.items()}}
DETAIL_WORDS["layers"] = DETAIL_WORDS["layer"]
# Column key → Chinese heading, for the page and both exports.
COLUMNS = {
    "at": "时间",
    "actor": "用户",
    "action": "操作",
    "target": "对象",
    "remote_addr": "来源地址",
    "detail": "说明",
}


@dataclass(frozen=True)
class AuditFilter:
    """Filters of the audit page: user, action, and an inclusive range of dates in the time zone TZ
    (which the times are shown in too)."""

    tz: str
    actor: str | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class AuditPage:
    """One page of audit rows, newest first."""

    rows: list[AuditLog]
    page: int
    pages: int
    total: int


def _filtered(query: Select, filters: AuditFilter) -> Select:
    if filters.actor:
        query = query.where(AuditLog.actor == filters.actor)
    if filters.action:
        query = query.where(AuditLog.action == filters.action)
    if filters.since:
        query = query.where(AuditLog.at >= _midnight(filters.since, filters.tz))
    if filters.until:
        query = query.where(AuditLog.at < _midnight(filters.until + timedelta(days=1), filters.tz))
    return query


def _midnight(day: date, tz: str) -> datetime:
    """The start of DAY in the time zone TZ."""
    return datetime.combine(day, time(), ZoneInfo(tz))


def audit_page(session: Session, filters: AuditFilter, page: int = 1) -> AuditPage:
    """Page PAGE (from 1) of the rows matching FILTERS."""
    total = session.scalar(_filtered(select(func.count()).select_from(AuditLog), filters))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = session.scalars(
        _filtered(select(AuditLog), filters)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return AuditPage(list(rows), page, pages, total)


def _table(session: Session, filters: AuditFilter) -> list[list]:
    rows = session.scalars(_filtered(select(AuditLog), filters).order_by(AuditLog.at, AuditLog.id))
    return [[_cell(row, key, filters.tz) for key in COLUMNS] for row in rows]


def _cell(row: AuditLog, key: str, tz: str):
    value = getattr(row, key)
    if key == "at":
        return local_text(value, tz, SECONDS)
    if key == "action":
        return ACTIONS.get(value, value)
    if key == "target":
        return target_text(value)
    if key == "detail":
        return detail_text(value, DETAIL_WORDS)
    return value or ""


def export_audit(session: Session, filters: AuditFilter, fmt: str, actor: Actor) -> bytes:
    """The rows matching FILTERS as CSV (UTF-8 with BOM, for Excel) or XLSX, times in FILTERS.tz; audited."""
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"不支持的导出格式：{fmt}")
    table = _table(session, filters)
    record(session, actor, "export_audit", target=file_name("audit_log", ext=fmt), detail={"rows": len(table)})
    session.commit()
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS.values())
        writer.writerows(table)
        return out.getvalue().encode("utf-8-sig")
    book = new_book()
    add_sheet(book, "审计日志", list(COLUMNS.values()), table)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
