"""The coverage page and its workbook on the sample township (no members, no routable roads)."""

import json
import re
from io import BytesIO
from urllib.parse import quote

import openpyxl
from sqlalchemy import text

from tests.web.sample import OTHER_TOWNSHIP_CODE, TOWNSHIP_CODE

URL = f"/townships/{TOWNSHIP_CODE}/coverage"


COUNTS = re.compile(r'data-rule="(\w+)"[^>]*>([^<]+)<b>([\d,]+)</b>')
LISTED = re.compile(r'<h3 data-rule="(\w+)">')


def counts(html: str) -> dict[str, int]:
    """The rule counts of the page's panel, by rule code."""
    return {rule: int(n.replace(",", "")) for rule, _title, n in COUNTS.findall(html)}


def cards(html: str) -> dict[str, str]:
    """The summary cards, label to value."""
    block = html.split('<div class="cards">')[1].split("</div>\n  </div>")[0]
    return dict(re.findall(r"<div[^>]*>([^<]+)<b>([^<]+)</b>", block))


def test_planner_sees_the_gaps_counted_by_rule_on_the_map_and_in_lists(as_user):
    page = as_user("planner").get(URL)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    # Layer names reach the map script \u-escaped.
    assert json.dumps("每百户党员数（村民小组）")[1:-1] in html
    # Counts first, in the sections' order: four groups and two villages without a member;
    # 东村 has nobody 包村 (西村 has the grid worker's posting); 西村党支部 has no 换届 date and
    # held no 组织生活 last quarter. Rules without a finding are named, not linked.
    assert counts(html) == {
        "blank_group": 4,
        "blank_village": 2,
        "village_uncovered": 1,
        "election_unrecorded": 1,
        "org_life_missed": 1,
    }
    assert (
        html.index('data-rule="blank_group"') < html.index("支委会人数不在3至5人 0") < html.index('id="coverage-map"')
    )
    assert LISTED.findall(html) == list(counts(html))
    # Every gap links to the map.
    assert html.count('class="locate"') == 9
    assert html.count("<td>东村</td><td>东村</td>") == 2  # 空白村 and 无人包村, by village
    # The sample roads have no topology: road measures are skipped, and the page says so.
    assert "未计算道路可达性" in html
    for word in ("hardship", "petitioner", "困难家庭", "信访户"):
        assert word not in html
    # The briefing map of this page, to download; the legend names every overlay.
    assert f'formaction="/townships/{TOWNSHIP_CODE}/maps/coverage.pdf"' in html
    assert "距活动场所或党员户过远的农户" in html.split("每百户党员数：")[1]


def test_one_rule_listed_the_others_still_counted(as_user):
    html = as_user("planner").get(URL, query_string={"rule": "blank_village"}).get_data(as_text=True)
    assert LISTED.findall(html) == ["blank_village"]
    assert html.count('class="locate"') == 2 and len(counts(html)) == 5
    assert 'class="chosen">空白村' in html and "显示全部问题" in html
    none = as_user("planner").get(URL, query_string={"rule": "committee_size", "village": "西村"})
    assert LISTED.findall(none.get_data(as_text=True)) == [] and "西村没有此类问题。" in none.get_data(as_text=True)


def test_village_filter_cuts_the_lists_and_the_cards(as_user):
    client = as_user("leader")
    township = cards(client.get(URL).get_data(as_text=True))
    html = client.get(URL, query_string={"village": "西村"}).get_data(as_text=True)
    assert counts(html)["blank_group"] == 2 and "东村上组" not in html.split('id="problems"')[1]
    village = cards(html)
    assert township["乡镇"] == f"示范镇（{TOWNSHIP_CODE}）" and "乡镇" not in village
    assert village["行政村"] == "西村" and village["户数"] != township["户数"]
    assert int(village["问题合计"]) < int(township["问题合计"])
    # The map moves to 西村, the sample's western village (115.70–115.73°E × 23.88–23.92°N).
    assert re.search(r"\.fitBounds\(\s*\[\[23\.88, 115\.7\], \[23\.92, 115\.73\]\]", html)
    assert html.count(".fitBounds(") == 1


def test_unknown_village_or_rule_is_refused_in_chinese(as_user):
    client = as_user("planner")
    missing = client.get(URL, query_string={"village": "无此村"})
    assert missing.status_code == 404 and "本乡镇没有名为“无此村”的行政村" in missing.get_data(as_text=True)
    assert client.get(f"{URL}/far.geojson", query_string={"village": "无此村"}).status_code == 404
    bad = client.get(URL, query_string={"rule": "nonsense"})
    assert bad.status_code == 400 and "问题类别" in bad.get_data(as_text=True)


def test_far_households_come_on_demand(as_user):
    """The map fetches the households beyond reach from village zoom on; the sample has no
    road topology, so there are none."""
    html = as_user("planner").get(URL).get_data(as_text=True)
    assert f"{URL}/far.geojson" in html
    response = as_user("planner").get(f"{URL}/far.geojson")
    assert response.status_code == 200 and response.json == {"type": "FeatureCollection", "features": []}
    assert as_user("reviewer").get(f"{URL}/far.geojson").status_code == 403


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
