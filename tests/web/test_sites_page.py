"""The demo-site review page on the hand-measured township: scores, selection, tour, review."""

import io
import json
import re
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, select

from gridmgmt.db.models import AppUser, AuditLog, DemoSite, OrgMeeting
from gridmgmt.domain.org_life import last_whole_quarter
from tests.integration.sites_fixture import TOWN, add_township
from tests.web.people import log_in

PAGE = f"/townships/{TOWN}/sites"


@pytest.fixture
def users(session):
    """The township, a reviewer and a planner of it: user ids by role."""
    add_township(session)
    ids = {}
    for role in ("reviewer", "planner"):
        user = AppUser(username=role, password_hash="x", role=role, township_id=1)
        session.add(user)
        session.flush()
        ids[role] = user.id
    session.commit()
    return ids


def client_as(app, user_id):
    client = app.test_client()
    log_in(client, user_id)
    return client


def csrf(client) -> str:
    html = client.get(PAGE).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def test_page_shows_breakdowns_exclusions_selection_and_tour(app, users):
    html = client_as(app, users["reviewer"]).get(f"{PAGE}?k=2&spacing_m=500&catchment_m=1000").get_data(as_text=True)
    assert "公路交通沿线" in html and "阵地标准" in html and "八有" in html
    assert "活动场所面积100 m²，低于120 m²" in html  # B is excluded, with the reason
    assert "选定示范点（2 个" in html and "已是得分最高的组合" in html
    assert "现场观摩路线" in html and "乡镇驻地" in html
    assert 'class="print-only">示范镇党建示范点现场观摩路线（' in html  # the printed tour's own title
    assert html.index("A党支部</td>", html.index("现场观摩路线")) < html.index(
        "C党支部</td>", html.index("现场观摩路线")
    )  # the tour visits A before C
    # Map layers, named in the map script as JSON.
    assert all(
        json.dumps(name)[1:-1] in html for name in ("国道、省道、县道两侧范围", "观摩路线", "候选示范点（按得分）")
    )


def test_bad_query_and_impossible_rules_are_explained(app, users):
    client = client_as(app, users["planner"])
    assert "选出示范点个数须为整数：abc" in client.get(f"{PAGE}?k=abc").get_data(as_text=True)
    html = client.get(f"{PAGE}?k=3").get_data(as_text=True)
    assert "只有2个合格候选，选不出3个示范点；现有条件下最多可选1个" in html


def test_the_site_count_suggested_is_feasible(app, users):
    """The k box suggests what the rules allow: the two eligible candidates (A, C) lie closer than
    the default 1500 m spacing, so one; with a 500 m spacing, two."""
    client = client_as(app, users["planner"])
    html = client.get(PAGE).get_data(as_text=True)
    assert 'placeholder="如 1"' in html and "当前条件下最多可选 1 个" in html
    html = client.get(f"{PAGE}?spacing_m=500").get_data(as_text=True)
    assert 'placeholder="如 2"' in html and "当前条件下最多可选 2 个" in html


def test_reviewer_moves_a_site_and_history_shows(app, users, session):
    client = client_as(app, users["reviewer"])
    token = csrf(client)
    for form in (
        {"step": "apply", "theme": "service", "highlight": "便民服务代办", "contact_point": "1"},
        {"step": "preliminary"},
        {"step": "award", "level": "county"},
    ):
        reply = client.post(f"{PAGE}/review", data={"org": "PA", "year": "2026", "csrf_token": token, **form})
        assert reply.status_code == 302
    html = client.get(PAGE).get_data(as_text=True)
    assert "需先完成：实地验收" in html  # no award without inspection
    assert "A党支部（PA）：初审，便民惠民，联系点" in html
    assert session.scalar(select(DemoSite.status)) == "preliminary"
    assert [a.detail["step"] for a in session.scalars(select(AuditLog).order_by(AuditLog.id))] == [
        "apply",
        "preliminary",
    ]


def test_planner_may_look_but_not_decide(app, users, session):
    client = client_as(app, users["planner"])
    token = csrf(client)
    reply = client.post(f"{PAGE}/review", data={"org": "PA", "step": "apply", "csrf_token": token})
    assert reply.status_code == 403
    assert session.scalar(select(DemoSite.id)) is None


def test_review_needs_the_csrf_token(app, users, session):
    reply = client_as(app, users["reviewer"]).post(f"{PAGE}/review", data={"org": "PA", "step": "apply"})
    assert reply.status_code == 400
    assert session.scalar(select(DemoSite.id)) is None


def test_sheet_download(app, users):
    reply = client_as(app, users["reviewer"]).get(f"{PAGE}.xlsx?k=2&spacing_m=500&catchment_m=1000")
    assert reply.status_code == 200 and reply.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(io.BytesIO(reply.data))["候选评分"].iter_rows(values_only=True))
    assert rows[0][:3] == ("党组织编码", "党组织名称", "领域")
    assert {r[0]: r[5] for r in rows[1:]} == {"PA": "是", "PB": None, "PC": "是"}


def test_map_download_buttons_and_no_household_tiles_for_the_reviewer(app, users):
    html = client_as(app, users["reviewer"]).get(PAGE).get_data(as_text=True)
    for fmt in ("png", "pdf"):
        assert f'formaction="/townships/{TOWN}/maps/sites.{fmt}"' in html
    # The reviewer may not see households: the page embeds none instead of asking tiles that answer 403.
    assert "/tiles/households/" not in html
    planner = client_as(app, users["planner"]).get(PAGE).get_data(as_text=True)
    assert "/tiles/households/" in planner


def test_reviewer_returns_a_step_with_a_reason_and_undoes_it(app, users, session):
    client = client_as(app, users["reviewer"])
    token = csrf(client)

    def post(**form):
        reply = client.post(f"{PAGE}/review", data={"org": "PA", "year": "2026", "csrf_token": token, **form})
        assert reply.status_code == 302
        return client.get(PAGE).get_data(as_text=True)

    assert "不能申报：未定示范主题；未写亮点（一支部一亮点）" in post(step="apply")
    post(step="apply", theme="industry", highlight="党员带头种辣椒")
    post(step="preliminary")
    assert "“退回整改”须写明原因" in post(step="return", comment=" ")
    html = post(step="return", comment="公开栏内容未更新")
    assert "PA：退回整改，现为“退回整改”" in html and "<td>公开栏内容未更新</td>" in html
    assert "亮点：党员带头种辣椒" in html and "创建标准：达标" in html
    assert session.scalar(select(DemoSite.status)) == "returned"
    html = post(step="undo", comment="退回有误")
    assert "PA：撤销上一步，现为“初审”" in html and "已撤销" in html
    assert session.scalar(select(DemoSite.status)) == "preliminary"
    steps = [(a.detail["step"], a.detail["reason"]) for a in session.scalars(select(AuditLog).order_by(AuditLog.id))]
    assert steps[-2:] == [("return", "公开栏内容未更新"), ("undo", "退回有误")]


def test_a_missed_theme_day_shows_on_the_page(app, users, session):
    """002 第一篇 二(三): A skipped last quarter's first 主题党日; the page excludes it, saying which."""
    start, _ = last_whole_quarter(date.today())
    session.execute(
        delete(OrgMeeting).where(OrgMeeting.meeting_type == "theme_day", OrgMeeting.held_on == start.replace(day=5))
    )
    session.commit()
    html = client_as(app, users["reviewer"]).get(PAGE).get_data(as_text=True)
    assert f"缺{start.year}年{start.month}月主题党日" in html and "组织生活未达标（" in html


def test_the_printed_tour_is_a_pdf_with_the_numbered_route_and_the_way_back(app, users, session, tmp_path):
    """issue 19: the tour as printed is a map (route numbered stop by stop, the way back to the
    seat) beside the table of stops; the download is audited."""
    reply = client_as(app, users["reviewer"]).get(f"{PAGE}/tour.pdf?k=2&spacing_m=500&catchment_m=1000")
    assert reply.status_code == 200 and reply.mimetype == "application/pdf"
    assert "%E7%A4%BA%E8%8C%83%E7%82%B9%E8%A7%82%E6%91%A9%E8%B7%AF%E7%BA%BF" in reply.headers["Content-Disposition"]
    path = tmp_path / "tour.pdf"
    path.write_bytes(reply.data)
    words = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "示范镇党建示范点现场观摩路线图" in words
    assert "①A党支部" in words and "②C党支部" in words  # the stops' labels on the map, in tour order
    assert "观摩路线（按编号顺序）" in words and "返回乡镇驻地" in words  # both lines in the legend
    assert "⓪ 乡镇驻地" in words and re.search(r"返回乡镇驻地\s+1\.9/", words)  # the table beside
    (row,) = session.scalars(select(AuditLog).where(AuditLog.action == "export_map")).all()
    assert row.detail["kind"] == "site_tour" and row.detail["stops"] == 2


def test_the_tour_pdf_without_a_chosen_set_says_what_to_do(app, users):
    reply = client_as(app, users["planner"]).get(f"{PAGE}/tour.pdf")
    assert reply.status_code == 409
    assert "先填写“选出示范点个数”并选定示范点，再打印观摩路线" in reply.get_data(as_text=True)
    reply = client_as(app, users["planner"]).get(f"{PAGE}/tour.pdf?k=3")
    assert reply.status_code == 409 and "只有2个合格候选" in reply.get_data(as_text=True)
