"""The coverage page and its workbook on the sample township (no members, no routable roads)."""

import json
import re
from io import BytesIO
from urllib.parse import quote

import openpyxl
from sqlalchemy import text

from tests.web.sample import OTHER_TOWNSHIP_CODE, TOWNSHIP_CODE

URL = f"/townships/{TOWNSHIP_CODE}/coverage"


def test_planner_sees_the_gaps_on_the_map_and_in_the_table(as_user):
    page = as_user("planner").get(URL)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    # Layer names reach the map script \u-escaped.
    assert json.dumps("每百户党员数（村民小组）")[1:-1] in html
    # Four groups and two villages without a member; 东村 has nobody 包村 (西村 has the
    # grid worker's posting); each gap links to the map.
    assert html.count(">空白组（无党员的村民小组）</td>") == 4
    assert html.count(">空白村（无党员的行政村）</td>") == 2
    assert html.count(">行政村无镇干部包村/挂点</td><td>东村</td>") == 1
    # 西村党支部 has no 换届 date and held no 组织生活 last quarter: two more gaps at its venue.
    assert html.count(">党组织未登记换届时间</td><td>西村</td>") == 1
    assert html.count('class="locate"') == 9
    # The sample roads have no topology: road measures are skipped, and the page says so.
    assert "未计算道路可达性" in html
    for word in ("hardship", "petitioner", "困难家庭", "信访户"):
        assert word not in html
    # The briefing map of this page, to download; the legend names every overlay.
    assert f'formaction="/townships/{TOWNSHIP_CODE}/maps/coverage.pdf"' in html
    assert "距活动场所或党员户过远的农户" in html.split("每百户党员数：")[1]


def test_village_filter(as_user):
    html = as_user("leader").get(URL, query_string={"village": "西村"}).get_data(as_text=True)
    assert html.count(">空白组（无党员的村民小组）</td>") == 2 and "东村上组" not in html.split("问题清单")[1]
    # The map moves to 西村, the sample's western village (115.70–115.73°E × 23.88–23.92°N).
    assert re.search(r"\.fitBounds\(\s*\[\[23\.88, 115\.7\], \[23\.92, 115\.73\]\]", html)
    assert html.count(".fitBounds(") == 1


def test_workbook_download(as_user, session):
    response = as_user("planner").get(f"{URL}.xlsx")
    audit = session.execute(text("SELECT actor, action, target FROM audit_log")).one()
    assert tuple(audit) == ("planner", "export_workbook", f"覆盖情况-{TOWNSHIP_CODE}.xlsx")
    assert (
        response.status_code == 200 and quote("覆盖情况-441500100000.xlsx") in response.headers["Content-Disposition"]
    )
    book = openpyxl.load_workbook(BytesIO(response.data))
    assert book["空白组（无党员的村民小组）"].max_row == 5
    assert book["概况"]["A1"].value == "项目"


def test_empty_township_and_forbidden_roles(as_user, admin_client):
    assert admin_client.get(f"/townships/{OTHER_TOWNSHIP_CODE}/coverage").status_code == 200
    assert as_user("reviewer").get(URL).status_code == 403
    assert as_user("grid_worker").get(f"{URL}.xlsx").status_code == 403
