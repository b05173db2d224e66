"""数据导入 in Chromium: each layer's filled template through the page with a dry run and a confirm; a bad
file shows its row errors, its error sheet downloads, and nothing is written."""

import pytest
from sqlalchemy import create_engine

from tests.filled_templates import ROWS, TABLES, TOWN, filled
from tests.tables import fingerprints
from tests.web.live import serving
from tests.web.people import PASSWORD, add_people
from tests.web.sample import TOWNSHIP_CODE, add_small_township
from web import create_app

pytestmark = pytest.mark.e2e
BAD = "户编码,户主,经度,纬度\n44150010020101903,,115.71,23.89\n44150010020101904,坏户,23.89,115.71\n"


@pytest.fixture
def admin_page(browser, db_url, session, tmp_path):
    """The admin logged in to a live app whose uploads wait under tmp_path."""
    add_small_township(session)
    add_people(session)
    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "TIANDITU_KEY": None})
    app.config["IMPORT_DIR"] = str(tmp_path / "imports")
    with serving(app, db_url) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/login")
        page.fill('input[name="username"]', "admin")
        page.fill('input[name="password"]', PASSWORD)
        with page.expect_navigation():
            page.click('button[type="submit"]')
        page.base = url
        yield page
        page.close()


def _dry_run(page, path, layer: str, township: str):
    page.goto(f"{page.base}/imports")
    page.set_input_files('input[name="file"]', str(path))
    page.select_option('select[name="layer"]', layer)
    page.select_option('select[name="township"]', township)
    with page.expect_navigation():
        page.click("form.import-form button[type=submit]")


def test_each_layer_imports_through_the_page(admin_page, tmp_path, db_url, screenshot_dir):
    page, engine = admin_page, create_engine(db_url)
    with engine.connect() as conn:
        before = fingerprints(conn)
    for layer in ROWS:
        _dry_run(page, filled(layer, tmp_path), layer, "" if layer == "townships" else TOWN)
        assert page.locator("#new").inner_text() == "2", layer
        assert page.locator(".import-errors").count() == 0, page.locator(".import-errors").inner_text()
        if layer in ("villages", "households", "roads"):
            page.wait_for_function("() => document.querySelector('#preview-map .leaflet-overlay-pane canvas')")
            page.screenshot(path=screenshot_dir / f"import_preview_{layer}.png")
        with page.expect_navigation():
            page.click("#confirm")
        page.wait_for_selector("#job-result.done", timeout=30_000)
        assert "新增 2 条，更新 0 条" in page.locator("#job-result").inner_text(), layer
    with engine.connect() as conn:
        after = fingerprints(conn)
    assert {TABLES[layer]: after[TABLES[layer]][0] - before[TABLES[layer]][0] for layer in ROWS} == {
        TABLES[layer]: 2 for layer in ROWS
    }
    engine.dispose()


def test_a_bad_file_shows_its_errors_downloads_the_sheet_and_writes_nothing(admin_page, tmp_path, db_url):
    page, engine = admin_page, create_engine(db_url)
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    with engine.connect() as conn:
        before = fingerprints(conn)
    _dry_run(page, path, "households", TOWNSHIP_CODE)
    errors = page.locator(".import-errors").inner_text()
    assert "发现 2 处错误" in errors and "缺少必填项“户主”" in errors and "经纬度可能写反了" in errors
    assert page.locator("#confirm").count() == 0
    with page.expect_download() as download:
        page.click("#error-sheet")
    assert download.value.suggested_filename == "导入错误.xlsx"
    assert download.value.path().stat().st_size > 1000
    with engine.connect() as conn:
        assert fingerprints(conn) == before
    engine.dispose()
