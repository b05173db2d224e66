"""Error answers (web/errors.py): Chinese pages with a way back and JSON errors that say whether
they are final; none touches the database; an unreachable database is 503 with Retry-After,
wherever it fails (pool checkout, session or token loader, mid-statement, raw psycopg)."""

import psycopg
import pytest
from flask import abort
from sqlalchemy import event, text
from sqlalchemy import exc as sa

from gridmgmt.db.cluster import free_port
from gridmgmt.db.session import engine_for
from tests.web.people import log_in
from tests.web.tokens import token_for
from web import create_app
from web.auth import public
from web.db import get_session

TILE = "/tiles/households/12/3364/1767.pbf"
FINAL = {
    400: True,
    404: True,
    405: True,
    409: True,
    413: True,
    401: False,
    403: False,
    429: False,
    500: False,
    503: False,
}


def _chinese_page(response, status, words):
    assert response.status_code == status and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert words in page and "返回首页" in page
    return page


def _json_error(response, status):
    assert response.status_code == status and response.is_json
    error = response.get_json()["error"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])
    return error


@pytest.fixture
def checkouts(app, db_url):
    """A list that gets one entry per connection the app takes from its pool."""
    taken = []

    def count(*_args):
        taken.append(1)

    event.listen(engine_for(db_url), "checkout", count)
    yield taken
    event.remove(engine_for(db_url), "checkout", count)


@pytest.fixture
def aborting(app):
    """A client of the app with public routes /abort/<status> (JSON twins under /api/abort/)."""

    @public
    def fail(status: int):
        if status == 500:
            raise RuntimeError("a bug")
        abort(status)

    app.add_url_rule("/abort/<int:status>", "abort_page", fail)
    app.add_url_rule("/api/abort/<int:status>", "abort_json", fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app.test_client()


@pytest.mark.parametrize("status", sorted(FINAL))
def test_every_status_has_a_chinese_page_and_json_without_the_database(aborting, checkouts, status):
    page = aborting.get(f"/abort/{status}")
    assert page.status_code == status and page.mimetype == "text/html"
    assert "返回首页" in page.get_data(as_text=True)
    assert _json_error(aborting.get(f"/api/abort/{status}"), status)["final"] is FINAL[status]
    assert checkouts == []


def test_error_pages_of_a_logged_in_user_do_not_load_the_user(as_user, checkouts):
    """The old page extended base.html, whose current_user loaded the user from the database."""
    planner = as_user("planner")
    checkouts.clear()  # logging in wrote the login session
    _chinese_page(planner.get("/no-such-page"), 404, "页面不存在")
    wrong = planner.get("/api/visits")  # POST only
    assert _json_error(wrong, 405)["final"] is True and "POST" in wrong.headers["Allow"]
    assert checkouts == []


def test_a_views_own_message_is_shown(as_user):
    planner = as_user("planner")
    bad_date = planner.get("/townships/441500100000/visits?date=yesterday")
    _chinese_page(bad_date, 400, "日期须写成 年-月-日，如 2026-05-15：yesterday")
    json_date = planner.get("/townships/441500100000/visits?date=yesterday", headers={"Accept": "application/json"})
    assert _json_error(json_date, 400)["message"] == "日期须写成 年-月-日，如 2026-05-15：yesterday"


def test_csrf_refusal_is_not_final(as_user):
    error = _json_error(as_user("grid_worker").post("/api/visits", json={}), 400)
    assert error["code"] == "csrf" and error["final"] is False


def test_a_too_large_body_is_413_in_chinese(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 100
    _chinese_page(client.post("/login", data={"username": "x" * 500}), 413, "提交的内容过大")


@pytest.fixture
def no_database(people):
    """The app on a port where no server listens (connections refused at pool checkout),
    with public layers and no CSRF; the sample people exist in the real test database."""
    url = f"postgresql+psycopg://gridmgmt@127.0.0.1:{free_port()}/gridmgmt"
    yield create_app(
        {"TESTING": True, "DATABASE_URL": url, "TIANDITU_KEY": None, "PUBLIC_LAYERS": True, "WTF_CSRF_ENABLED": False}
    )
    engine_for(url).dispose()


def _unavailable(response):
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    return response


def test_refused_connections_are_503_in_the_loaders_and_the_views(no_database, people, session, db_url):
    worker = no_database.test_client()
    log_in(worker, people["grid_worker"], db_url)  # the session loader needs the database
    page = _unavailable(worker.get("/m/visits"))
    assert "数据库暂时无法连接" in _chinese_page(page, 503, "恢复后本页会自动刷新")
    assert _json_error(_unavailable(worker.post("/api/visits", json={})), 503)["final"] is False
    assert _json_error(_unavailable(worker.get(TILE)), 503)["code"] == "unavailable"
    bearer = token_for(session, "planner")  # the token loader needs the database
    _unavailable(no_database.test_client().get(TILE, headers=bearer))
    _unavailable(no_database.test_client().get("/tiles/roads/12/3364/1767.pbf"))  # public: the view


def _answers(app, **fails):
    """Public routes /fail/NAME running each of FAILS, and the app's answers to them by NAME."""
    for name, fail in fails.items():
        app.add_url_rule(f"/fail/{name}", f"fail_{name}", public(fail))
    client = app.test_client()
    return {name: client.get(f"/fail/{name}", headers={"Accept": "application/json"}) for name in fails}


def _killed():
    # pg_terminate_backend: the server ends the request's own connection (57P01 admin shutdown).
    get_session().execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))


def _refused():  # code that uses psycopg directly
    psycopg.connect(f"postgresql://gridmgmt@127.0.0.1:{free_port()}/gridmgmt", connect_timeout=5)


def _interface_error():
    raise sa.InterfaceError("SELECT 1", {}, psycopg.InterfaceError("connection lost"))


def test_every_kind_of_lost_database_is_503(app, db_url):
    def closed():
        conn = psycopg.connect(db_url.replace("+psycopg", ""))
        conn.pgconn.finish()  # the socket goes away under psycopg, as when the server vanishes
        conn.execute("SELECT 1")

    answers = _answers(app, killed=_killed, refused=_refused, closed=closed, interface=_interface_error)
    for name, answer in answers.items():
        assert _json_error(_unavailable(answer), 503)["final"] is False, name


def test_a_busy_database_is_503_busy_not_unreachable(app, db_url, caplog):
    """A deadlock, a lock timeout or a statement timeout: the same 503 and Retry-After as an outage (trying
    again is right), but said as a busy server, on the page, in the JSON and in the log."""

    def timed_out(setting: str, statement: str):
        session = get_session()
        session.execute(text(f"SET LOCAL {setting} = '50ms'"))
        session.execute(text(statement))

    def deadlock():
        raise sa.OperationalError("UPDATE data_version", {}, psycopg.errors.DeadlockDetected("deadlock detected"))

    with psycopg.connect(db_url.replace("+psycopg", "")) as holder:
        holder.execute("LOCK TABLE data_version")  # until this block ends
        answers = _answers(
            app,
            deadlock=deadlock,
            statement=lambda: timed_out("statement_timeout", "SELECT pg_sleep(1)"),
            lock=lambda: timed_out("lock_timeout", "SELECT version FROM data_version"),
        )
    for name, answer in answers.items():
        error = _json_error(_unavailable(answer), 503)
        assert (error["code"], error["message"], error["final"]) == ("busy", "服务器繁忙，请稍后再试", False), name
    assert "database busy: GET /fail/deadlock" in caplog.text and "unreachable" not in caplog.text
    page = app.test_client().get("/fail/deadlock")
    assert "服务器繁忙" in _chinese_page(_unavailable(page), 503, "恢复后本页会自动刷新")


def test_a_database_behind_this_version_is_503_upgrading_not_500(app, caplog):
    """Code upgraded, `gridmgmt db migrate` not yet run: a table or column this version expects is missing.
    Every page would fail until an administrator migrates: 503 「系统正在升级」 and a log line saying what to run."""

    def missing_table():
        get_session().execute(text("SELECT * FROM table_of_a_later_version"))

    def missing_column():
        get_session().execute(text("SELECT column_of_a_later_version FROM township"))

    answers = _answers(app, table=missing_table, column=missing_column)
    for name, answer in answers.items():
        error = _json_error(_unavailable(answer), 503)
        assert (error["code"], error["message"]) == ("upgrading", "系统正在升级，请稍后再试"), name
    assert "database schema behind this version: run gridmgmt db migrate" in caplog.text
    page = app.test_client().get("/fail/table")
    assert "系统正在升级" in _chinese_page(_unavailable(page), 503, "恢复后本页会自动刷新")
