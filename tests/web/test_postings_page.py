"""驻村包村一览 (issue 13): villages lacking a 包村 cadre highlighted; planners add and end postings on the page,
leaders only read it."""

import re

import pytest
from sqlalchemy import select

from gridmgmt.config import get_settings
from gridmgmt.db.models import AuditLog, CadreVillage
from tests.web.sample import TOWNSHIP_CODE

PAGE = f"/townships/{TOWNSHIP_CODE}/postings"
WEST, EAST = "441500100201", "441500100202"


@pytest.fixture
def planner(app, as_user):
    app.config["WTF_CSRF_ENABLED"] = False
    return as_user("planner")


def _lacking(client) -> list[str]:
    html = client.get(PAGE).get_data(as_text=True)
    return re.findall(r'<tr data-village="(\d+)" class="lacking">', html)


def test_the_village_without_a_bao_cun_cadre_is_highlighted(planner):
    html = planner.get(PAGE).get_data(as_text=True)
    assert "网格员甲（网格员）" in html and "无包村干部" in html
    assert _lacking(planner) == [EAST]
    assert '<b id="lacking-count">1</b>' in html


def test_adding_then_ending_a_posting_changes_the_overview_and_is_audited(planner, session):
    today = get_settings().today()
    answer = planner.post(PAGE, data={"cadre": "G001", "village": EAST, "kind": "bao_cun", "start": str(today)})
    assert answer.status_code == 302
    assert "已添加：G001-441500100202-bao_cun" in planner.get(PAGE).get_data(as_text=True)
    assert _lacking(planner) == []
    posting = session.scalars(select(CadreVillage).where(CadreVillage.code.like("G001-441500100202-%"))).one()
    yesterday = today.fromordinal(today.toordinal() - 1)
    refused = planner.post(f"{PAGE}/{posting.id}/end", data={"end": str(yesterday)}, follow_redirects=True)
    assert "早于开始日期" in refused.get_data(as_text=True)
    planner.post(f"{PAGE}/{posting.id}/end", data={"end": str(today)})
    assert _lacking(planner) == []  # its last day still counts
    session.expire_all()
    assert session.get(CadreVillage, posting.id).end_date == today
    actions = session.scalars(select(AuditLog.action).where(AuditLog.actor == "planner").order_by(AuditLog.id)).all()
    assert actions == ["add_posting", "end_posting"]


def test_a_bad_form_is_refused_with_its_reason(planner, session):
    page = planner.post(PAGE, data={"cadre": "G001", "village": EAST, "kind": "bao_cun", "start": "2026-13-01"})
    assert "开始日期须写成 年-月-日，如 2026-05-15" in planner.get(page.location).get_data(as_text=True)
    unknown = planner.post(PAGE, data={"cadre": "NOPE", "village": EAST, "kind": "bao_cun"}, follow_redirects=True)
    assert "本乡镇没有编码为 NOPE 的干部" in unknown.get_data(as_text=True)
    assert session.scalars(select(CadreVillage).where(CadreVillage.code.isnot(None))).all() == []


def test_leaders_read_the_overview_without_the_forms(app, as_user):
    html = as_user("leader").get(PAGE).get_data(as_text=True)
    assert "无包村干部" in html and "添加安排" not in html and "结束</button>" not in html
