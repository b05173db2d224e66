"""Scoped household reads and the audit log service on real PostGIS."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from gridmgmt.db.models import AppUser, AuditLog
from gridmgmt.domain.permissions import MASK, Forbidden
from gridmgmt.services.accounts.audit import PAGE_SIZE, Actor, AuditFilter, audit_page, export_audit, record
from gridmgmt.services.accounts.scopes import user_scope
from gridmgmt.services.mapdata.households import HouseholdNotFound, household_detail, household_list
from tests.integration.visit_fixtures import SETTINGS
from tests.web.people import IN_SCOPE, OUT_OF_SCOPE, add_people
from tests.web.sample import add_small_township

TODAY = SETTINGS.today()  # the local date postings go by
TZ = SETTINGS.timezone


@pytest.fixture
def ids(session):
    add_small_township(session)
    return add_people(session)


def _read(session, ids, username, code):
    user = session.get(AppUser, ids[username])
    return household_detail(
        session, code, user.role, user_scope(session, user, TODAY), Actor(username, user.id, "192.0.2.7")
    )


def test_grid_worker_reads_flags_in_scope_and_the_read_is_audited(session, ids):
    house = _read(session, ids, "grid_worker", IN_SCOPE[2])
    assert house.flags == {
        "hardship": False,
        "critically_ill": True,
        "empty_nest_elderly": True,
        "left_behind_children": True,
        "petitioner": False,
    }
    assert house.village_name == "东村" and house.grid_cell == "W1"
    row = session.scalars(select(AuditLog)).one()
    assert (row.actor, row.action, row.target, row.remote_addr) == (
        "grid_worker",
        "read_sensitive",
        f"household:{IN_SCOPE[2]}",
        "192.0.2.7",
    )
    assert row.user_id == ids["grid_worker"]
    assert "True" not in str(row.detail) and "true" not in str(row.detail)


def test_outside_the_scope_is_not_found_and_not_audited(session, ids):
    for code in OUT_OF_SCOPE + ("00000000000000000",):
        with pytest.raises(HouseholdNotFound):
            _read(session, ids, "grid_worker", code)
    with pytest.raises(HouseholdNotFound):
        _read(session, ids, "other_planner", IN_SCOPE[0])
    assert session.scalars(select(AuditLog)).all() == []


def test_leader_gets_masked_flags_and_no_audit_row(session, ids):
    house = _read(session, ids, "leader", IN_SCOPE[0])
    assert set(house.flags.values()) == {MASK}
    assert house.head == "张三"
    assert session.scalars(select(AuditLog)).all() == []


def test_reviewer_may_not_read_households(session, ids):
    with pytest.raises(Forbidden):
        _read(session, ids, "reviewer", IN_SCOPE[0])


def test_household_list_is_the_scope(session, ids):
    worker = session.get(AppUser, ids["grid_worker"])
    codes = [h.code for h in household_list(session, user_scope(session, worker, TODAY))]
    assert codes == sorted(IN_SCOPE)
    planner = session.get(AppUser, ids["planner"])
    assert len(household_list(session, user_scope(session, planner, TODAY))) == 5


def _fill(session, n):
    for i in range(n):
        record(session, Actor("zhang" if i % 2 else "li", None, "10.0.0.1"), "login" if i % 3 else "login_failed")
    session.commit()


def test_audit_page_filters_and_pages(session):
    _fill(session, PAGE_SIZE + 10)
    first = audit_page(session, AuditFilter(TZ))
    assert (first.total, first.pages, len(first.rows)) == (PAGE_SIZE + 10, 2, PAGE_SIZE)
    assert first.rows[0].id > first.rows[-1].id  # newest first
    assert len(audit_page(session, AuditFilter(TZ), page=2).rows) == 10
    assert audit_page(session, AuditFilter(TZ), page=99).page == 2
    li = audit_page(session, AuditFilter(TZ, actor="li", action="login_failed"))
    assert li.total == sum(1 for i in range(PAGE_SIZE + 10) if i % 2 == 0 and i % 3 == 0)
    assert {(r.actor, r.action) for r in li.rows} == {("li", "login_failed")}


def test_audit_exports_are_readable_and_audited(session):
    _fill(session, 3)
    admin = Actor("admin", None, "10.9.9.9")
    text = export_audit(session, AuditFilter(TZ), "csv", admin).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["时间", "用户", "操作", "对象", "来源地址", "说明"]
    assert [row[1:3] for row in table[1:]] == [["li", "登录失败"], ["zhang", "登录"], ["li", "登录"]]
    book = load_workbook(io.BytesIO(export_audit(session, AuditFilter(TZ, actor="zhang"), "xlsx", admin)))
    rows = list(book["审计日志"].values)
    assert rows[0][:3] == ("时间", "用户", "操作") and len(rows) == 2
    exports = session.scalars(select(AuditLog).where(AuditLog.action == "export_audit")).all()
    assert [(e.target, e.remote_addr) for e in exports] == [
        ("审计日志.csv", "10.9.9.9"),
        ("审计日志.xlsx", "10.9.9.9"),
    ]
    with pytest.raises(ValueError, match="不支持"):
        export_audit(session, AuditFilter(TZ), "pdf", admin)


def test_audit_times_and_date_filters_follow_the_configured_time_zone(session):
    """Issue 13: a row written at 14:36 UTC reads 22:36 in Beijing, on the page's filters and in the CSV."""
    record(session, Actor("li"), "login")
    session.execute(update(AuditLog).values(at=datetime(2026, 12, 6, 16, 36, tzinfo=UTC)))  # 00:36 on the 7th
    session.commit()
    text = export_audit(session, AuditFilter("Asia/Shanghai"), "csv", Actor("admin")).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1][0] == "2026-12-07 00:36:00"
    utc = export_audit(session, AuditFilter("UTC", actor="li"), "csv", Actor("admin")).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(utc)))[1][0] == "2026-12-06 16:36:00"
    on = audit_page(session, AuditFilter("Asia/Shanghai", since=date(2026, 12, 7), until=date(2026, 12, 7), actor="li"))
    before = audit_page(session, AuditFilter("Asia/Shanghai", until=date(2026, 12, 6), actor="li"))
    assert (on.total, before.total) == (1, 0)


def test_the_audit_csv_names_targets_and_details_in_chinese(session):
    """Issue 18: no Python list repr (fields=['hardship', …]) and no 'household:…' in the CSV."""
    record(
        session,
        Actor("li"),
        "read_sensitive",
        target="household:44150010020101001",
        detail={"fields": ["hardship", "petitioner"]},
    )
    record(session, Actor("li"), "import_layer", target="农户.csv", detail={"layer": "households", "update": False})
    session.commit()
    text = export_audit(session, AuditFilter(TZ), "csv", Actor("admin")).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert [row[3:] for row in rows[:2]] == [
        ["农户 44150010020101001", "", "敏感信息：困难家庭、信访户"],
        ["农户.csv", "", "图层：农户；更新已有记录：否"],
    ]
