"""Postings as data on real PostGIS (issue 13): added and ended through the service, they drive the
驻村包村一览, the cadre's scope and their visit duties; every change is audited."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from gridmgmt.db.models import AuditLog, CadreVillage, Village
from gridmgmt.domain.errors import NotFound
from gridmgmt.domain.postings import PostingError
from gridmgmt.services.accounts.actors import Actor
from gridmgmt.services.accounts.scopes import answers_for
from gridmgmt.services.postings.changes import NewPosting, add_posting, end_posting
from gridmgmt.services.postings.overview import postings_overview
from gridmgmt.services.visits.duties import seed_default_duties
from gridmgmt.services.visits.work import cadre_work
from tests.integration.visit_fixtures import SETTINGS, TOWN, build

DAY = date(2025, 5, 15)
PLANNER = Actor("planner_li", None, "10.0.0.7")
VILLAGE = "441624100201"


@pytest.fixture
def town(session):
    town = build(session)
    seed_default_duties(session)
    return town


def _bao_cun(session) -> CadreVillage:
    return session.scalars(select(CadreVillage).where(CadreVillage.assignment == "bao_cun")).one()


def _needs(session, day=DAY) -> list[str]:
    (village,) = postings_overview(session, TOWN, day).villages
    return village.needs


def test_ending_the_bao_cun_posting_leaves_the_village_lacking_and_the_cadre_without_duties(session, town):
    cadre, home = town["cadres"]["township_cadre"], town["households"][3].id
    assert _needs(session) == []
    assert len(cadre_work(session, "C0", DAY, SETTINGS).work) == 19  # every household of their 包村 village
    assert answers_for(session, cadre, home, DAY)
    end_posting(session, TOWN, _bao_cun(session).id, DAY - timedelta(days=1), actor=PLANNER)
    assert _needs(session) == ["无包村干部"]
    assert _needs(session, DAY - timedelta(days=1)) == []  # its last day still counts
    assert cadre_work(session, "C0", DAY, SETTINGS).work.empty
    assert not answers_for(session, cadre, home, DAY)


def test_a_designated_village_needs_a_first_secretary_until_one_is_posted(session, town):
    session.execute(Village.__table__.update().values(is_weak_org=True))
    session.commit()
    assert _needs(session) == ["重点村未派第一书记"]
    start = DAY - timedelta(days=10)
    posting = add_posting(session, TOWN, NewPosting("C3", VILLAGE, "first_secretary", start), actor=PLANNER)
    assert posting.code == f"C3-{VILLAGE}-first_secretary-{start}"
    assert _needs(session) == []
    assert _needs(session, start - timedelta(days=1)) == ["重点村未派第一书记"]  # before it began
    (village,) = postings_overview(session, TOWN, DAY).villages
    assert [p.cadre_name for p in village.postings["first_secretary"]] == ["干部3"]
    assert len(cadre_work(session, "C3", DAY, SETTINGS).mine) > 0  # 第一书记: every household, every quarter
    end_posting(session, TOWN, posting.id, DAY - timedelta(days=1), actor=PLANNER)
    assert _needs(session) == ["重点村未派第一书记"]
    assert cadre_work(session, "C3", DAY, SETTINGS).mine.empty


def test_a_posting_to_begin_later_is_listed_but_does_not_cover_yet(session, town):
    later = DAY + timedelta(days=5)
    end_posting(session, TOWN, _bao_cun(session).id, DAY - timedelta(days=1), actor=PLANNER)
    add_posting(session, TOWN, NewPosting("C2", VILLAGE, "bao_cun", later), actor=PLANNER)
    (village,) = postings_overview(session, TOWN, DAY).villages
    assert [(p.cadre_code, p.upcoming) for p in village.postings["bao_cun"]] == [("C2", True)]
    assert village.needs == ["无包村干部"]
    assert _needs(session, later) == []


def test_refusals_write_nothing(session, town):
    cases = [
        (NewPosting("C9", VILLAGE, "bao_cun"), "没有编码为 C9 的干部"),
        (NewPosting("C0", "441624100299", "bao_cun"), "没有编码为 441624100299 的行政村"),
        (NewPosting("C0", VILLAGE, "boss"), "未知安排类型"),
        (NewPosting("C0", VILLAGE, "gua_dian", DAY, DAY - timedelta(days=1)), "早于开始日期"),
    ]
    for new, message in cases:
        with pytest.raises(PostingError, match=message):
            add_posting(session, TOWN, new, actor=PLANNER)
        session.rollback()
    add_posting(session, TOWN, NewPosting("C0", VILLAGE, "gua_dian", DAY), actor=PLANNER)
    with pytest.raises(PostingError, match="已有同一干部"):
        add_posting(session, TOWN, NewPosting("C0", VILLAGE, "gua_dian", DAY), actor=PLANNER)
    session.rollback()
    posting = _bao_cun(session)
    with pytest.raises(PostingError, match="早于开始日期"):
        end_posting(session, TOWN, posting.id, date(2019, 1, 1), actor=PLANNER)
    session.rollback()
    end_posting(session, TOWN, posting.id, DAY, actor=PLANNER)
    with pytest.raises(PostingError, match="已于 2025-05-15 结束"):
        end_posting(session, TOWN, posting.id, DAY + timedelta(days=1), actor=PLANNER)
    session.rollback()
    with pytest.raises(NotFound, match="没有编号为 999"):
        end_posting(session, TOWN, 999, DAY, actor=PLANNER)
    session.rollback()
    rows = session.execute(select(AuditLog.action, AuditLog.actor, AuditLog.detail).order_by(AuditLog.id)).all()
    assert rows == [
        ("add_posting", "planner_li", {"kind": "gua_dian", "start": "2025-05-15", "end": None}),
        ("end_posting", "planner_li", {"kind": "bao_cun", "start": "2020-01-01", "end": "2025-05-15"}),
    ]
