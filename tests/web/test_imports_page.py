"""The 数据导入 page through the Flask client: who may use it, the dry run, the confirm, the error sheet,
and uploads refused at the edge; nothing is written before the confirm."""

import re
import time
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from geodata.layers import LAYERS
from tests.web.sample import OTHER_TOWNSHIP_CODE, TOWNSHIP_CODE

GOOD = "户编码,户主,人口,经度,纬度,备注\n44150010020101901,新户甲,3,115.71,23.89,x\n44150010020201902,新户乙,2,115.74,23.89,y\n"
BAD = "户编码,户主,经度,纬度\n44150010020101903,,115.71,23.89\n44150010020101904,坏户,23.89,115.71\n"


@pytest.fixture
def uploads(app, tmp_path):
    """Uploads go to a folder of the test's own."""
    app.config["WTF_CSRF_ENABLED"] = False
    app.config["IMPORT_DIR"] = str(tmp_path / "imports")
    return tmp_path / "imports"


def _check(client, body: str | bytes, name: str = "h.csv", **form):
    data = body.encode("utf-8") if isinstance(body, str) else body
    fields = {"layer": "households", "township": TOWNSHIP_CODE, **form, "file": (BytesIO(data), name)}
    return client.post("/imports/check", data=fields, content_type="multipart/form-data")


def _token(page: str) -> str:
    """The upload's token, from its confirm or error-sheet link."""
    return re.search(r"/imports/([A-Za-z0-9_-]{22,})/", page).group(1)


def _wait(client, token: str) -> dict:
    for _ in range(300):
        status = client.get(f"/imports/{token}/status").get_json()
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.1)
    raise AssertionError("the import did not end in 30 s")


def _households(session) -> int:
    return session.execute(text("SELECT count(*) FROM household")).scalar_one()


@pytest.mark.parametrize("role", ["reviewer", "grid_worker", "leader"])
def test_only_admins_and_planners_may_import(as_user, uploads, role):
    client = as_user(role)
    assert client.get("/imports").status_code == 403
    assert _check(client, GOOD).status_code == 403
    assert client.get("/imports/templates/households.xlsx").status_code == 403


def test_a_dry_run_shows_mapping_counts_and_rows_and_writes_nothing(as_user, uploads, session, row_counts):
    client = as_user("planner")
    assert "数据导入" in client.get("/imports").get_data(as_text=True)
    before = row_counts()
    page = _check(client, GOOD).get_data(as_text=True)
    assert row_counts() == before
    assert '新增 <b id="new">2</b> 条，更新 <b id="updated">0</b> 条' in page
    assert "<td>户主</td><td>户主</td>" in page and "将忽略的列：备注" in page
    assert "preview-features" in page and "新户甲" in page and "确认导入" in page
    assert 'name="update" value="on">' in page  # not asked to update: the box stays unticked


def test_confirm_imports_in_the_background_audited_with_file_layer_and_counts(as_user, uploads, session):
    client = as_user("planner")
    token = _token(_check(client, GOOD, name="新户.csv").get_data(as_text=True))
    before = _households(session)
    response = client.post(f"/imports/{token}/confirm")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/imports/{token}")
    status = _wait(client, token)
    assert (status["state"], status["inserted"], status["updated"]) == ("done", 2, 0)
    assert _households(session) == before + 2
    audit = session.execute(text("SELECT actor, target, detail FROM audit_log WHERE action = 'import_layer'")).one()
    assert audit.actor == "planner" and audit.target == "新户.csv"
    assert {k: audit.detail[k] for k in ("layer", "township", "inserted", "updated")} == {
        "layer": "households",
        "township": TOWNSHIP_CODE,
        "inserted": 2,
        "updated": 0,
    }
    assert "导入完成：新增 2 条，更新 0 条" in client.get(f"/imports/{token}").get_data(as_text=True)
    assert not list((uploads / token).glob("data.*"))  # the upload itself is gone
    assert client.post(f"/imports/{token}/confirm").status_code == 404  # and cannot be imported twice


def test_a_bad_file_lists_its_errors_offers_the_sheet_and_cannot_be_confirmed(as_user, uploads, row_counts):
    client = as_user("admin")
    before = row_counts()
    page = _check(client, BAD).get_data(as_text=True)
    assert "发现 2 处错误" in page and "缺少必填项“户主”" in page and "经纬度可能写反了" in page
    assert "确认导入" not in page
    token = _token(page)
    sheet = client.get(f"/imports/{token}/errors.xlsx")
    assert sheet.status_code == 200
    rows = list(load_workbook(BytesIO(sheet.data))["错误"].iter_rows(values_only=True))
    assert rows[0] == ("第几条记录", "列", "问题") and [r[:2] for r in rows[1:]] == [(1, "户主"), (2, "几何")]
    assert client.post(f"/imports/{token}/confirm").status_code == 404
    assert row_counts() == before


def test_uploads_are_checked_at_the_edge_in_chinese(as_user, uploads):
    client = as_user("admin")
    assert "不支持的文件类型“.exe”" in _check(client, b"MZ", name="x.exe").get_data(as_text=True)
    assert "是空的" in _check(client, b"").get_data(as_text=True)
    response = client.post("/imports/check", data={"layer": "households"}, content_type="multipart/form-data")
    assert response.status_code == 400 and "请选择要导入的文件" in response.get_data(as_text=True)
    response = _check(client, GOOD, layer="planets")
    assert response.status_code == 400 and "图层须为可导入的图层之一" in response.get_data(as_text=True)


def test_a_planner_imports_only_into_their_own_township(as_user, uploads):
    client = as_user("planner")
    assert _check(client, GOOD, township=OTHER_TOWNSHIP_CODE).status_code == 403
    assert _check(client, GOOD, layer="townships", township="").status_code == 403


def test_an_upload_is_its_uploaders_only(as_user, uploads):
    token = _token(_check(as_user("admin"), GOOD).get_data(as_text=True))
    other = as_user("planner")
    assert other.get(f"/imports/{token}/status").status_code == 404
    assert other.post(f"/imports/{token}/confirm").status_code == 404
    assert as_user("admin").get("/imports/not-a-token-at-all/status").status_code == 404


def test_every_layer_has_a_template_download(as_user, uploads):
    client = as_user("planner")
    for name in LAYERS:
        response = client.get(f"/imports/templates/{name}.xlsx")
        assert response.status_code == 200, name
        assert load_workbook(BytesIO(response.data)).sheetnames[1] == "说明"
    assert client.get("/imports/templates/planets.xlsx").status_code == 404


def test_existing_grids_become_a_draft_plan_with_its_check(as_user, uploads, session):
    client = as_user("planner")
    listed = "户编码,网格编码,网格名称\n44150010020101001,XC-1,西村一格\n44150010020201001,DC-1,东村一格\n"
    fields = {"township": TOWNSHIP_CODE, "name": "清单网格", "file": (BytesIO(listed.encode()), "list.csv")}
    page = client.post("/imports/grids", data=fields, content_type="multipart/form-data").get_data(as_text=True)
    assert "已导入为草稿方案" in page and "去编辑、发布" in page
    assert "44150010020102001" in page  # listed by no row: in no cell, which publishing would refuse
    plan = session.execute(text("SELECT status, name FROM grid_plan WHERE name = '清单网格'")).one()
    assert plan.status == "draft"
    bad = {"township": TOWNSHIP_CODE, "name": "坏", "file": (BytesIO("户编码,网格编码\n1,X\n".encode()), "bad.csv")}
    response = client.post("/imports/grids", data=bad, content_type="multipart/form-data")
    assert response.status_code == 400 and "“1”不在本乡镇" in response.get_data(as_text=True)
    assert session.execute(text("SELECT count(*) FROM grid_plan WHERE name = '坏'")).scalar_one() == 0
    other = {"township": OTHER_TOWNSHIP_CODE, "name": "x", "file": (BytesIO(listed.encode()), "list.csv")}
    assert client.post("/imports/grids", data=other, content_type="multipart/form-data").status_code == 403
