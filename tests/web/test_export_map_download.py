"""The map download route: files by role and township, paper options, refusals, audit."""

import subprocess
from io import BytesIO

import openpyxl
from sqlalchemy import text

from tests.web.sample import OTHER_TOWNSHIP_CODE, TOWNSHIP_CODE

URL = f"/townships/{TOWNSHIP_CODE}/maps"


def test_planner_downloads_an_a3_pdf_with_the_title_and_an_audit_row(as_user, session, tmp_path):
    response = as_user("planner").get(f"{URL}/overview.pdf?paper=A3&orientation=portrait")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "filename*=UTF-8''441500100000-%E4%B9%A1%E9%95%87" in response.headers["Content-Disposition"]
    path = tmp_path / "map.pdf"
    path.write_bytes(response.data)
    words = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "示范镇概况图" in words
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "(A3)" in info
    actor, action, detail = session.execute(
        text("SELECT actor, action, detail FROM audit_log WHERE action = 'export_map'")
    ).one()
    assert (actor, action) == ("planner", "export_map")
    assert detail["paper"] == "A3" and detail["orientation"] == "portrait" and detail["format"] == "pdf"


def test_leader_gets_the_offline_html(as_user):
    response = as_user("leader").get(f"{URL}/overview.html")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert b"<script src" not in response.data and b"L.map(" in response.data


def test_bad_paper_is_a_400_in_chinese(as_user):
    response = as_user("planner").get(f"{URL}/overview.png?paper=B5")
    assert response.status_code == 400
    assert "不支持的纸张“B5”" in response.get_data(as_text=True)


def test_html_of_another_kind_is_refused(as_user, session):
    response = as_user("planner").get(f"{URL}/coverage.html")
    assert response.status_code == 409
    assert "HTML 格式只支持" in response.get_data(as_text=True)
    assert session.execute(text("SELECT count(*) FROM audit_log WHERE action = 'export_map'")).scalar() == 0


def test_reviewer_gets_no_households_in_the_offline_map(as_user):
    planner = as_user("planner").get(f"{URL}/overview.html").get_data(as_text=True)
    reviewer = as_user("reviewer").get(f"{URL}/overview.html").get_data(as_text=True)
    household = "44150010020101001"
    assert household in planner
    assert household not in reviewer


def test_grid_roster_download(as_user, admin_client):
    response = as_user("leader").get(f"/townships/{TOWNSHIP_CODE}/grid-roster.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    rows = list(openpyxl.load_workbook(BytesIO(response.data))["网格花名册"].iter_rows(values_only=True))
    assert rows[1][1:3] == ("W1", "东村一格") and rows[1][5] == "网格员甲"
    missing = admin_client.get(f"/townships/{OTHER_TOWNSHIP_CODE}/grid-roster.xlsx")
    assert missing.status_code == 409 and "还没有网格方案" in missing.get_data(as_text=True)
    assert as_user("grid_worker").get(f"/townships/{TOWNSHIP_CODE}/grid-roster.xlsx").status_code == 403
