"""The field app in Chromium as a phone (390×844, touch), with no signal (context.set_offline):
it opens from the phone's copy, finds households by name and pinyin initials, keeps every
visit and event in its IndexedDB outbox, and sends them exactly once when it can, whatever
happened meanwhile (page closed, login lost, a record edited, one refused). Every test checks
what the server stored."""

import time
from datetime import datetime

import pytest
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy import delete, func, select, update

import web.field
from gridmgmt.db.models import CadreVillage, Event, Household, Visit
from gridmgmt.services.field.working_set import working_set
from tests.web.people import IN_SCOPE, PASSWORD

pytestmark = pytest.mark.e2e
HEADS = {IN_SCOPE[0]: "李建国", IN_SCOPE[1]: "王秀英", IN_SCOPE[2]: "曾小明"}
WAIT_MS = 20_000
OUTBOX = "() => gridmgmtOutbox.items()"


@pytest.fixture
def named(session):
    """The grid worker's three households with heads of their own (the sample has 张三 everywhere)."""
    for code, head in HEADS.items():
        session.execute(update(Household).where(Household.code == code).values(head=head))
    session.commit()
    return {code: session.scalar(select(Household.id).where(Household.code == code)) for code in HEADS}


@pytest.fixture
def phone(browser, live_server, named):
    """A phone's browser context, logged in as the grid worker: phone.page is open on /m, ready offline."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server)
    page.goto(f"{live_server}/m")
    page.wait_for_function("() => document.documentElement.dataset.offline === 'ready'", timeout=WAIT_MS)
    context.errors = errors
    yield context
    context.close()


def lose_answer(route, lost: list) -> None:
    """Let the request reach the server and lose its answer (kept in LOST). A request the page
    gave up meanwhile (a reload, a second sender) is lost already."""
    lost.append(route.fetch())
    try:
        route.abort()
    except PlaywrightError as error:
        if "already handled" not in str(error):
            raise


def log_in(page, base, then=None):
    page.goto(f"{base}/login" + (f"?next={then}" if then else ""))
    page.fill('input[name="username"]', "grid_worker")
    page.fill('input[name="password"]', PASSWORD)
    with page.expect_navigation():
        page.click('button[type="submit"]')


def _count(session, model, **where):
    session.expire_all()
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return session.scalar(query)


def _open(context, base, path):
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(f"{base}{path}")
    page.wait_for_function("() => window.FIELD && FIELD.data && FIELD.data.households.length", timeout=WAIT_MS)
    return page


def _search(page, text):
    page.fill("#field-search", text)
    page.wait_for_function(
        "() => document.getElementById('search-summary').textContent.startsWith('找到')", timeout=WAIT_MS
    )
    return [b.split("\n")[0] for b in page.locator("#search-results button").all_inner_texts()]


def _record(page, household_id, note):
    """Open the record sheet from the household's file and save a visit: into the outbox."""
    page.evaluate("id => FIELD.record({household_id: id})", household_id)
    page.fill("#sheet-note", note)
    page.click("#sheet-submit")
    page.wait_for_function("() => !document.getElementById('visit-sheet').open")


def _report(page, household_id, kind, text):
    page.evaluate("id => FIELD.record({household_id: id})", household_id)
    page.click("#sheet-event summary")
    page.select_option("#event-type", kind)
    page.fill("#event-note", text)
    page.click("#event-submit")
    page.wait_for_function("() => !document.getElementById('visit-sheet').open")


def _moment(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _waiting(page, n):
    page.wait_for_function(f"() => document.getElementById('outbox-count').textContent === '{n}'", timeout=WAIT_MS)


def test_offline_day_arrives_once_when_back_online(phone, live_server, session, named, screenshot_dir):
    page = phone.pages[0]
    assert "没有信号也能打开" in page.text_content("#offline-ready")  # the user is told it is ready
    phone.set_offline(True)
    page.reload()  # no signal: the app opens from the phone's copy
    page.wait_for_function("() => window.FIELD && FIELD.data", timeout=WAIT_MS)
    assert "离线" in page.text_content("#data-status")
    assert _search(page, "李建") == ["李建国"]
    assert _search(page, "zxm") == ["曾小明"]  # 曾 as a surname: zeng
    assert _search(page, "wxy") == ["王秀英"]
    page.click("#search-results button")
    assert page.is_visible("#house-sheet") and "信访户是" in page.text_content("#house-flags")  # the file, offline
    page.click("#house-sheet button[value=cancel]")

    page = _open(phone, live_server, "/m/visits")  # the other page, never opened before: also there
    homes = list(named.values())
    for k in range(20):
        _record(page, homes[k % 3], f"离线走访 {k}")
    _report(page, homes[2], "dispute", "邻里纠纷")
    _report(page, homes[0], "grievance", "对低保有意见")
    _waiting(page, 22)
    kept = {item["client_id"]: item for item in page.evaluate(OUTBOX)}
    page.screenshot(path=str(screenshot_dir / "field-offline-22.png"))
    page.close()
    assert _count(session, Visit) == 0 and _count(session, Event) == 0

    page = phone.new_page()  # the app opened again, still with no signal
    page.goto(f"{live_server}/m")
    page.wait_for_function("() => window.FIELD && FIELD.data", timeout=WAIT_MS)
    _waiting(page, 22)
    phone.set_offline(False)  # the signal is back: sent without a reload
    _waiting(page, 0)
    page.wait_for_function("() => document.getElementById('outbox-status').textContent === '全部已上传'")
    assert _count(session, Visit) == 20 and _count(session, Event) == 2
    for visit in session.scalars(select(Visit)):  # each with the time it was made in the field
        made = kept[str(visit.client_id)]["body"]
        assert visit.note == made["note"] and visit.visited_at == _moment(made["visited_at"])
    for event in session.scalars(select(Event)):
        assert event.reported_at == _moment(kept[str(event.client_id)]["body"]["reported_at"])
    assert page.evaluate(OUTBOX) == [] and phone.errors == []


def test_records_wait_through_a_lost_login(phone, live_server, session, named):
    page = _open(phone, live_server, "/m/visits")
    phone.clear_cookies()  # the login expired
    for k in range(5):
        _record(page, named[IN_SCOPE[k % 3]], f"掉登录 {k}")
    page.wait_for_function("() => !document.getElementById('outbox-login').hidden", timeout=WAIT_MS)
    _waiting(page, 5)
    assert "重新登录" in page.text_content("#outbox")
    assert _count(session, Visit) == 0

    page.click("#outbox-login")  # to the login page, and back to the app
    page.fill('input[name="username"]', "grid_worker")
    page.fill('input[name="password"]', PASSWORD)
    with page.expect_navigation():
        page.click('button[type="submit"]')
    page.wait_for_function("() => window.FIELD && FIELD.data", timeout=WAIT_MS)
    _waiting(page, 0)
    assert sorted(v.note for v in session.scalars(select(Visit))) == [f"掉登录 {k}" for k in range(5)]
    assert phone.errors == []


def test_a_note_edited_while_waiting_arrives_as_edited(phone, live_server, session, named):
    phone.set_offline(True)
    page = _open(phone, live_server, "/m/visits")
    _record(page, named[IN_SCOPE[1]], "初稿")
    page.click("#outbox-toggle")
    page.click("#outbox-items .edit")
    assert page.input_value("#sheet-note") == "初稿"
    page.fill("#sheet-note", "改过的备注")
    assert page.is_hidden("#followup-fields")  # a waiting follow-up is edited on its own line
    page.click("#sheet-submit")
    page.wait_for_function("() => !document.getElementById('visit-sheet').open")
    _waiting(page, 1)
    phone.set_offline(False)
    _waiting(page, 0)
    notes = [v.note for v in session.scalars(select(Visit))]
    assert notes == ["改过的备注"]


def test_a_refused_record_shows_why_and_stays_until_dismissed(phone, live_server, session, named):
    phone.set_offline(True)
    page = _open(phone, live_server, "/m/visits")
    _record(page, named[IN_SCOPE[0]], "已不在范围")  # 西村: the posting ends before it is sent
    _record(page, named[IN_SCOPE[2]], "网格内")  # 东村, the cell W1: still in scope
    session.execute(delete(CadreVillage))
    session.commit()
    phone.set_offline(False)
    refused = "#outbox-items li.refused"
    page.wait_for_selector(refused, timeout=WAIT_MS)
    assert "没有这户农户，或不在您的走访范围内" in page.text_content(refused)
    _waiting(page, 0)
    assert [v.note for v in session.scalars(select(Visit))] == ["网格内"]

    page.reload()  # kept on the phone until the user says so
    page.wait_for_selector(refused, timeout=WAIT_MS)
    assert page.is_visible(refused) and "未被接收 1 条" in page.text_content("#outbox-toggle")
    page.click(f"{refused} .dismiss")
    page.wait_for_function("() => !document.querySelector('#outbox-items li')")
    assert page.evaluate(OUTBOX) == [] and _count(session, Visit) == 1
    assert phone.errors == []


def test_route_with_no_signal_offers_the_nearest_first(phone, live_server, named):
    page = _open(phone, live_server, "/m/visits")
    phone.grant_permissions(["geolocation"])
    phone.set_geolocation({"longitude": 115.741, "latitude": 23.911, "accuracy": 20})  # beside 曾小明
    page.reload()
    page.wait_for_function("() => window.FIELD && FIELD.position", timeout=WAIT_MS)
    phone.set_offline(True)
    page.click("#route-button")
    page.wait_for_selector("#route-stops tbody tr")
    assert "需要网络" in page.text_content("#route-summary")
    assert "曾小明" in page.text_content("#route-stops tbody tr:first-child")
    assert page.text_content("#route-button") == "规划路线"


def test_route_from_where_i_stand_or_from_the_base(phone, live_server, named):
    phone.grant_permissions(["geolocation"])
    phone.set_geolocation({"longitude": 115.741, "latitude": 23.911, "accuracy": 20})
    page = _open(phone, live_server, "/m/visits")
    page.wait_for_function("() => FIELD.position", timeout=WAIT_MS)
    assert page.input_value("#route-start") == "here"
    page.click("#route-button")
    page.wait_for_function("() => document.getElementById('route-summary').textContent.startsWith('从当前位置出发：')")
    assert "并返回" not in page.text_content("#route-summary") and page.locator("#route-stops tbody tr").count() >= 1
    page.select_option("#route-start", "base")
    page.click("#route-button")
    page.wait_for_function("() => document.getElementById('route-summary').textContent.startsWith('从驻地出发并返回')")
    assert phone.errors == []


def test_first_load_asks_the_server_for_the_working_set_once(browser, live_server, named):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    asked = []  # answers from the network, whether the page or the worker asked (not the worker's copies)
    context.on(
        "response",
        lambda r: asked.append(r.status) if "/api/field/data" in r.url and not r.from_service_worker else None,
    )
    log_in(page, live_server)  # a grid worker's login lands on /m: its first load (a second goto would ask again)
    assert page.url == f"{live_server}/m"
    page.wait_for_function("() => document.documentElement.dataset.offline === 'ready'", timeout=WAIT_MS)
    assert asked == [200]
    context.set_offline(True)  # and the copy kept is the one the page got: the app opens with no signal
    page.reload()
    page.wait_for_function("() => window.FIELD && FIELD.data && FIELD.data.households.length", timeout=WAIT_MS)
    assert "离线" in page.text_content("#data-status")
    context.close()


def test_a_weak_signal_tries_the_working_set_again_soon(phone, live_server, session, named, monkeypatch):
    """The server answers the working set only after the worker has given up waiting (4 s) and opened the
    phone's copy: the app asks again within 15 s, not at the next 10-minute refresh, and shows what changed."""
    page = phone.pages[0]
    before = page.evaluate("FIELD.version")
    code = IN_SCOPE[0]
    session.execute(update(Household).where(Household.code == code).values(head="李建军"))
    session.commit()
    slow = [True]

    def weak_signal(*args):
        if slow.pop() if slow else False:
            time.sleep(5)
        return working_set(*args)

    monkeypatch.setattr(web.field, "working_set", weak_signal)
    assert page.evaluate("FIELD.refresh()") is False  # the phone's copy, said as offline
    assert page.evaluate("FIELD.version") == before and "离线" in page.text_content("#data-status")
    page.wait_for_function(f"() => FIELD.byCode.get('{code}').head === '李建军'", timeout=WAIT_MS + 10_000)
    assert page.text_content("#data-status") == ""
    assert phone.errors == []
