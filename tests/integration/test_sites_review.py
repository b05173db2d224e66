"""The review record on PostGIS: reviewers only, no skipped steps, history and audit kept."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from gridmgmt.analysis.siting import Rules
from gridmgmt.db.models import AuditLog, DemoSiteReview
from gridmgmt.domain.permissions import Forbidden
from gridmgmt.domain.site_criteria import SiteConfig
from gridmgmt.domain.site_review import ReviewError
from gridmgmt.services.accounts.audit import Actor
from gridmgmt.services.sites.review import history, review, township_reminders
from gridmgmt.services.sites.selection import score_sites, select_sites
from gridmgmt.services.sites.sheet import review_sheet
from tests.integration.sites_fixture import TOWN, add_township, add_user, site_of


@pytest.fixture
def town(session):
    return add_township(session)


def counts(session):
    return (
        session.scalar(select(func.count()).select_from(DemoSiteReview)),
        session.scalar(select(func.count()).select_from(AuditLog)),
    )


def test_site_moves_through_inspection_to_award_with_history(session, town):
    judge = add_user(session, "judge", "reviewer")
    review(session, judge, "PA", "apply", 2026, theme="industry", comment="村里申报")
    review(session, judge, "PA", "preliminary", 2026)
    review(session, judge, "PA", "inspect", 2026, comment="场所规范")
    site = review(session, judge, "PA", "award", 2026, level="county")
    assert (site.status, site.level, site.award_year, site.theme) == ("awarded", "county", 2026, "industry")
    review(session, judge, "PA", "rectify", 2027, comment="公开栏未更新")
    assert site_of(session, town["A"]).status == "rectifying"
    steps = history(session, site.id)
    assert [(h.step, h.from_status, h.to_status, h.year) for h in steps] == [
        ("apply", None, "applied", 2026),
        ("preliminary", "applied", "preliminary", 2026),
        ("inspect", "preliminary", "inspected", 2026),
        ("award", "inspected", "awarded", 2026),
        ("rectify", "awarded", "rectifying", 2027),
    ]
    assert steps[0].decided_by == "judge" and steps[0].comment == "村里申报"
    assert steps[3].level == "county"
    audit = session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
    assert [a.detail["step"] for a in audit] == ["apply", "preliminary", "inspect", "award", "rectify"]
    assert audit[3].actor == "judge" and audit[3].target == f"demo_site:{site.id}"


def test_no_award_without_inspection_and_nothing_changes(session, town):
    judge = add_user(session, "judge", "reviewer")
    review(session, judge, "PA", "apply", 2026)
    review(session, judge, "PA", "preliminary", 2026)
    before = counts(session)
    with pytest.raises(ReviewError, match="需先完成：实地验收"):
        review(session, judge, "PA", "award", 2026, level="city")
    with pytest.raises(ReviewError, match="未申报"):
        review(session, judge, "PC", "inspect", 2026)
    session.rollback()
    assert counts(session) == before
    assert site_of(session, town["A"]).status == "preliminary"
    assert site_of(session, town["C"]) is None


def test_only_reviewers_change_status(session, town):
    for role in ("admin", "planner", "leader", "grid_worker"):
        user = add_user(session, f"u_{role}", role)
        with pytest.raises(Forbidden, match="只有示范点评审人员"):
            review(session, user, "PA", "apply", 2026)
    assert site_of(session, town["A"]) is None and counts(session) == (0, 0)


def test_re_review_once_a_year(session, town):
    judge = add_user(session, "judge", "reviewer")
    for step in ("apply", "preliminary", "inspect"):
        review(session, judge, "PA", step, 2025)
    review(session, judge, "PA", "award", 2025, level="township")
    review(session, judge, "PA", "keep", 2026)
    with pytest.raises(ReviewError, match="2026年已复审"):
        review(session, judge, "PA", "revoke", 2026)
    review(session, judge, "PA", "revoke", 2027, comment="工作滑坡")
    assert site_of(session, town["A"]).status == "revoked"


def test_reminders_follow_site_status(session, town):
    judge = add_user(session, "judge", "reviewer")
    review(session, judge, "PA", "apply", 2026)
    found = township_reminders(session, 1, date(2026, 7, 20))
    assert [(r.kind, r.phase, r.site_ids) for r in found] == [("overdue", "验收", (site_of(session, town["A"]).id,))]


def test_awarded_site_is_locked_in_even_when_it_now_fails_a_requirement(session, town):
    judge = add_user(session, "judge", "reviewer")
    for step in ("apply", "preliminary", "inspect"):
        review(session, judge, "PB", step, 2025)
    review(session, judge, "PB", "award", 2025, level="township")
    scored = score_sites(session, TOWN, SiteConfig(catchment_m=1000))
    assert select_sites(scored, Rules(k=1), time_limit_s=5, workers=1).ids == (town["B"],)
    greedy = select_sites(scored, Rules(k=2), exact=False).ids
    assert len(greedy) == 2 and town["B"] in greedy


def test_review_sheet_has_chinese_headers_and_history(session, town):
    judge = add_user(session, "judge", "reviewer")
    review(session, judge, "PB", "apply", 2026, comment="试申报")
    config = SiteConfig(catchment_m=1000)
    before = counts(session)[1]
    data = review_sheet(session, TOWN, score_sites(session, TOWN, config), config, {town["A"]}, Actor("judge"))
    last = session.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert counts(session)[1] == before + 1 and (last.actor, last.action) == ("judge", "export_workbook")
    book = load_workbook(io.BytesIO(data))
    scores, record = book["候选评分"], book["评审记录"]
    header = [c.value for c in scores[1]]
    assert header[:8] == ["党组织编码", "党组织名称", "领域", "示范主题", "状态", "入选", "合格", "总分"]
    rows = {r[0]: r for r in scores.iter_rows(min_row=2, values_only=True)}
    assert rows["PA"][5] == "是" and rows["PB"][6] == "否"
    assert rows["PB"][header.index("不合格原因")] == "活动场所面积100 m²，低于120 m²"
    assert rows["PB"][4] == "申报"
    assert [c.value for c in record[2]][:5] == ["PB", "B党支部", "申报", "未申报", "申报"]
    # Frozen headers and columns as wide as their Chinese contents (two columns a character).
    assert scores.freeze_panes == record.freeze_panes == "A2"
    assert scores.column_dimensions["B"].width == 2 + 2 * len("党组织名称")


def test_application_states_the_contact_point_and_it_scores(session, town):
    judge = add_user(session, "judge", "reviewer")
    config = SiteConfig(catchment_m=1000)
    before = {s.candidate.code: s.score.breakdown["contact_point"] for s in score_sites(session, TOWN, config)}
    review(session, judge, "PA", "apply", 2026, contact_point=True)
    review(session, judge, "PC", "apply", 2026, secretary_model=True)
    after = {s.candidate.code: s.score.breakdown["contact_point"] for s in score_sites(session, TOWN, config)}
    assert before == {"PA": 0.0, "PB": 0.0, "PC": 0.0} and after == {"PA": 15.0, "PB": 0.0, "PC": 15.0}
    review(session, judge, "PA", "preliminary", 2026)  # None keeps what the application said
    assert site_of(session, town["A"]).is_contact_point and not site_of(session, town["A"]).is_secretary_model
