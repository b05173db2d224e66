"""The 县级总览 and county users (issue 17): a county leader or planner sees every township of
their county and nothing outside it; township-scoped users get 403 on the county pages."""

from io import BytesIO

import openpyxl
import pytest
from sqlalchemy import select

from gridmgmt.db.models import AuditLog
from gridmgmt.services.accounts.audit import Actor
from gridmgmt.services.accounts.users import AccountError, add_user, set_access
from tests.web.people import OUT_OF_SCOPE, PASSWORD, log_in
from tests.web.sample import OTHER_TOWNSHIP_CODE, TOWNSHIP_CODE

COUNTY = TOWNSHIP_CODE[:6]
ACTOR = Actor("test", None, None)


@pytest.fixture
def county_user(app, session, people):
    """county_user(ROLE): a client logged in as a new ROLE of the sample county 441500."""

    def client_for(role: str, county: str = COUNTY):
        user = add_user(session, f"county_{role}", role, PASSWORD, actor=ACTOR, county_code=county)
        client = app.test_client()
        log_in(client, user.id)
        return client

    return client_for


def test_a_county_leader_sees_the_townships_ranked_with_links(county_user):
    page = county_user("leader").get(f"/counties/{COUNTY}?sort=visits_overdue")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "示范县县级总览" in html and "按「走访逾期」排序" in html
    assert html.count('<tr data-code="') == 2
    # Figures link to the township pages a leader may open (走访, 组织覆盖), not to the planners' 网格 pages.
    assert f'href="/townships/{OTHER_TOWNSHIP_CODE}/visits"' in html
    assert f'href="/townships/{TOWNSHIP_CODE}/coverage"' in html
    assert f"/townships/{TOWNSHIP_CODE}/grids" not in html
    assert '<script type="application/json" id="county-data" nonce=' in html
    assert '<a href="/counties/441500"' in html  # the 县级总览 menu entry


def test_a_county_planner_gets_the_grid_links(county_user):
    html = county_user("planner").get(f"/counties/{COUNTY}").get_data(as_text=True)
    assert f"/townships/{TOWNSHIP_CODE}/grids" in html


@pytest.mark.parametrize("who", ["leader", "planner", "reviewer", "grid_worker", "other_planner"])
def test_township_users_get_403(as_user, who):
    assert as_user(who).get(f"/counties/{COUNTY}").status_code == 403
    assert as_user(who).get(f"/counties/{COUNTY}.xlsx").status_code == 403


def test_a_county_user_sees_every_township_of_the_county_and_nothing_else(county_user, client):
    leader = county_user("leader")
    for code in (TOWNSHIP_CODE, OTHER_TOWNSHIP_CODE):
        assert leader.get(f"/townships/{code}").status_code == 200
        assert leader.get(f"/townships/{code}/visits").status_code == 200
    assert leader.get(f"/households/{OUT_OF_SCOPE[0]}").status_code == 200
    assert leader.get("/counties/441600").status_code == 403
    assert leader.get("/townships/441600100000").status_code in (403, 404)


def test_a_county_user_starts_on_the_county_page(county_user):
    assert county_user("leader").get("/").headers["Location"].endswith(f"/counties/{COUNTY}")


def test_the_admin_opens_any_county_and_an_empty_one_is_404(admin_client):
    assert admin_client.get(f"/counties/{COUNTY}").status_code == 200
    assert admin_client.get("/counties/999999").status_code == 404


def test_an_unknown_sort_is_refused_in_chinese(county_user):
    answer = county_user("leader").get(f"/counties/{COUNTY}?sort=nope")
    assert answer.status_code == 400
    assert "排序" in answer.get_data(as_text=True)


def test_the_workbook_is_the_table_in_the_page_order_and_audited(county_user, session):
    answer = county_user("planner").get(f"/counties/{COUNTY}.xlsx?sort=members_per_100")
    assert answer.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(answer.data)).active
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["排名", "乡镇", "乡镇编码", "农户", "网格方案"] and "走访完成率" in header
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in rows] and {r[2] for r in rows} == {TOWNSHIP_CODE, OTHER_TOWNSHIP_CODE}
    per_100 = [r[header.index("每百户党员")] for r in rows]
    assert per_100 == sorted(per_100, key=lambda v: (v is not None, v))  # fewest members first
    audit = session.scalars(select(AuditLog).where(AuditLog.action == "export_workbook")).all()
    assert [a.detail for a in audit] == [{"workbook": "county", "county": COUNTY, "sort": "members_per_100"}]


def test_the_accounts_page_sets_a_county(admin_client, app, session, people):
    app.config["WTF_CSRF_ENABLED"] = False
    page = admin_client.get("/users").get_data(as_text=True)
    assert '<option value="441500">示范县（441500，县级领导、规划员）</option>' in page
    answer = admin_client.post(
        "/users", data={"username": "zhang", "role": "leader", "county": COUNTY, "password": "Hp-county-2026x"}
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert "已添加用户 zhang" in admin_client.get(answer.headers["Location"]).get_data(as_text=True)
    listing = admin_client.get("/users").get_data(as_text=True)
    assert "县 441500（全县）" in listing


@pytest.mark.parametrize(
    ("role", "town", "county", "message"),
    [
        ("reviewer", None, COUNTY, "只有"),
        ("admin", None, COUNTY, "只有"),
        ("leader", TOWNSHIP_CODE, COUNTY, "只能选一个"),
        ("leader", None, "441600", "没有编码以 441600 开头的乡镇"),
        ("leader", None, "44150", "6 位数字"),
        ("leader", None, None, "一个县"),
    ],
)
def test_county_access_is_refused_with_a_reason(session, people, role, town, county, message):
    with pytest.raises(AccountError, match=message):
        add_user(session, "x", role, PASSWORD, town, actor=ACTOR, county_code=county)
    with pytest.raises(AccountError, match=message):
        set_access(session, "leader", role, town, None, actor=ACTOR, county_code=county)


def test_a_county_code_is_six_digits(admin_client):
    answer = admin_client.get("/counties/4415x0")
    assert answer.status_code == 400
    assert "县编码" in answer.get_data(as_text=True)


def test_the_a3_briefing_map_is_a_pdf_and_audited(county_user, session):
    leader = county_user("leader")
    assert 'href="/counties/441500/map.pdf?figure=blank_groups&amp;paper=A3"' in leader.get(
        f"/counties/{COUNTY}"
    ).get_data(as_text=True)
    answer = leader.get(f"/counties/{COUNTY}/map.pdf?figure=visit_rate")
    assert answer.status_code == 200 and answer.data.startswith(b"%PDF")
    audit = session.scalars(select(AuditLog).where(AuditLog.action == "export_map")).one()
    assert audit.detail == {"kind": "county", "county": COUNTY, "figure": "visit_rate", "format": "pdf", "paper": "A3"}
    assert leader.get(f"/counties/{COUNTY}/map.pdf?figure=nope").status_code == 400


def test_counts_stay_whole_numbers_beside_a_township_without_households(county_user):
    """The neighbouring township has no household: its blank figures must not turn 5 households into 5.0."""
    html = county_user("leader").get(f"/counties/{COUNTY}").get_data(as_text=True)
    row = html[html.index(f'<tr data-code="{TOWNSHIP_CODE}"') :]
    row = row[: row.index("</tr>")]
    assert "<td>5</td>" in row  # households
    assert 'data-key="cells_without_worker">0<' in row
    blank_groups = row[row.index('data-key="blank_groups"') :]
    assert blank_groups[blank_groups.index(">", blank_groups.index("<a ")) + 1 :].split("<")[0].isdigit()
