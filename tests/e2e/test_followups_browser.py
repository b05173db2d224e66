"""Follow-ups and photos in Chromium as a phone (issue 12, browser test 5): a follow-up raised
with a photo on the visit sheet with no signal reaches the township's list and map once the
signal is back, overdue ones stand out, closing it without a note is refused; two visits with
photos arrive once though an answer was lost. Every test checks what the server stored."""

import hashlib
import time
from io import BytesIO

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import delete, select, update

from gridmgmt.config import get_settings
from gridmgmt.db.models import CadreVillage, Followup, Photo, Visit
from gridmgmt.domain.wording import ATTRIBUTION
from tests.e2e.test_field_offline_browser import (  # noqa: F401
    WAIT_MS,
    _count,
    _open,
    _waiting,
    lose_answer,
    named,
    phone,
)
from tests.web.people import IN_SCOPE
from tests.web.sample import TOWNSHIP_CODE

pytestmark = pytest.mark.e2e
PHONE_LIMIT = 300 * 1024


@pytest.fixture
def files_dir(tmp_path, monkeypatch):
    """The live server's files folder, of this test alone."""
    monkeypatch.setenv("GRIDMGMT_FILES_DIR", str(tmp_path / "files"))
    get_settings.cache_clear()
    yield tmp_path / "files"
    get_settings.cache_clear()


def camera_photo(path, seed: int):
    """A 3000×2000 camera-like JPEG (a few MB) with the place it was taken in its EXIF."""
    rng = np.random.default_rng(seed)
    x = np.linspace(0, 255, 3000)
    pixels = np.stack([np.add.outer(np.linspace(0, 120, 2000), x / 2)] * 3, axis=-1)
    pixels = (pixels + rng.normal(0, 25, pixels.shape)).clip(0, 255).astype("uint8")
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x8825] = {1: "N", 2: (23.0, 54.0, 36.0), 3: "E", 4: (115.0, 42.0, 0.0)}
    Image.fromarray(pixels).save(path, format="JPEG", quality=95, exif=exif.tobytes())
    assert path.stat().st_size > 1_000_000
    return path


def _record_with(page, household_id, note, photo=None, category=None, followup=None):
    page.evaluate("id => FIELD.record({household_id: id})", household_id)
    page.fill("#sheet-note", note)
    if category:
        page.select_option("#followup-category", category)
        page.fill("#followup-note", followup)
    if photo:
        page.set_input_files("#visit-photo", str(photo))
        page.wait_for_function("() => document.getElementById('photo-status').dataset.ready === '1'", timeout=WAIT_MS)
    page.click("#sheet-submit")
    page.wait_for_function("() => !document.getElementById('visit-sheet').open")


def _stored_soon(check, seconds: float = WAIT_MS / 1000) -> bool:
    """True once CHECK (a look at the database) holds, within SECONDS."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def _check_stored_photo(photo: Photo, files_dir):
    data = (files_dir / photo.path).read_bytes()
    assert hashlib.sha256(data).hexdigest() == photo.sha256 and len(data) == photo.size <= PHONE_LIMIT
    with Image.open(BytesIO(data)) as image:
        assert image.format == "JPEG" and max(image.size) <= 1600 and not image.getexif()  # no place, no phone


def test_a_follow_up_raised_on_the_phone_is_on_the_township_list_and_map(
    phone, live_server, session, named, login_page, files_dir, tmp_path, screenshot_dir
):
    phone.set_offline(True)
    page = _open(phone, live_server, "/m/visits")
    photo = camera_photo(tmp_path / "roof.jpg", seed=1)
    _record_with(page, named[IN_SCOPE[0]], "屋顶漏雨", photo, "livelihood", "需协调危房改造")
    _waiting(page, 3)  # the visit, its follow-up and its photo
    assert "需跟进：生活困难" in page.text_content("#outbox-items")
    phone.set_offline(False)
    _waiting(page, 0)
    (visit,) = session.scalars(select(Visit)).all()
    (item,) = session.scalars(select(Followup)).all()
    (stored,) = session.scalars(select(Photo)).all()
    assert (visit.note, item.visit_id, item.category, item.note, item.state) == (
        "屋顶漏雨",
        visit.id,
        "livelihood",
        "需协调危房改造",
        "open",
    )
    assert stored.visit_id == visit.id
    _check_stored_photo(stored, files_dir)
    assert phone.errors == []

    township = login_page("planner", 390, 844)
    township.goto(f"{live_server}/townships/{TOWNSHIP_CODE}/followups")
    row = township.locator(f"tr[data-id='{item.id}']")
    assert "需协调危房改造" in row.inner_text() and "李建国户" in row.inner_text()
    township.wait_for_function("() => document.getElementById('followup-map').dataset.points === '1'")
    assert township.locator("path.followup-point").count() == 1
    assert township.locator("path.followup-point.overdue").count() == 0
    assert township.text_content("#followup-map .leaflet-control-attribution").startswith(ATTRIBUTION)
    assert township.evaluate("document.documentElement.scrollWidth") <= 390

    session.execute(update(Followup).values(due_at=item.raised_at.replace(year=item.raised_at.year - 1)))
    session.commit()
    township.reload()  # past its due date: it stands out on the list and the map
    assert "overdue" in row.get_attribute("class") and "逾期" in row.inner_text()
    township.wait_for_function("() => document.getElementById('followup-map').dataset.points === '1'")
    assert township.locator("path.followup-point.overdue").count() == 1
    township.screenshot(path=str(screenshot_dir / "followups-township.png"), full_page=True)

    township.click(f"tr[data-id='{item.id}'] a")
    assert township.locator(".photos img").count() == 1
    township.click("button[value=closed]")  # no note
    assert "办结须填写办理情况" in township.text_content("body")
    session.expire_all()
    assert session.get(Followup, item.id).state == "open"
    township.go_back()
    township.fill("textarea[name=note]", "已协调镇规划办，列入今年危房改造")
    township.click("button[value=closed]")
    assert township.text_content("#followup-state") == "已办结"
    session.expire_all()
    closed = session.get(Followup, item.id)
    assert (closed.state, closed.close_note) == ("closed", "已协调镇规划办，列入今年危房改造")


def test_two_visits_with_photos_arrive_once_though_an_answer_was_lost(
    phone, live_server, session, named, files_dir, tmp_path
):
    phone.set_offline(True)
    page = _open(phone, live_server, "/m/visits")
    for k, code in enumerate(IN_SCOPE[:2]):
        _record_with(page, named[code], f"带照片 {k}", camera_photo(tmp_path / f"{k}.jpg", seed=k))
    _waiting(page, 4)
    lost = []
    phone.route("**/api/field/outbox", lambda route: lose_answer(route, lost))
    phone.set_offline(False)  # stored, but the answer never reaches the phone
    for _ in range(WAIT_MS // 100):
        if lost:
            break
        page.wait_for_timeout(100)
    assert lost and lost[0].status == 200 and _count(session, Photo) == 2
    phone.unroute("**/api/field/outbox")
    page.evaluate("FIELD.send(true)")  # sent again with the same client ids (if the worker has not already)
    _waiting(page, 0)
    assert _count(session, Visit) == 2 and _count(session, Photo) == 2
    for visit in session.scalars(select(Visit)):
        (photo,) = session.scalars(select(Photo).where(Photo.visit_id == visit.id)).all()
        assert photo.household_id == visit.household_id
        _check_stored_photo(photo, files_dir)
    assert len({p.sha256 for p in session.scalars(select(Photo))}) == 2
    assert phone.errors == []


def test_the_household_file_on_the_desk_and_on_the_phone_with_no_signal(phone, live_server, session, named):
    page = _open(phone, live_server, "/m")
    _record_with(page, named[IN_SCOPE[0]], "第一次走访", category="health", followup="需联系村医")
    # The visit goes up first, its follow-up after it: wait for what the server stored.
    assert _stored_soon(lambda: _count(session, Followup) == 1)
    _waiting(page, 0)
    page.goto(f"{live_server}/households/{IN_SCOPE[0]}")  # the household page: 一户一档
    assert "第一次走访" in page.text_content("#house-visits") and "看病就医：待办" in page.text_content("#house-visits")
    assert page.get_attribute("#house-navigate", "href").startswith("geo:")
    page.click("#house-record")  # 记录走访: the phone app's record sheet on this household
    page.wait_for_function("() => document.getElementById('visit-sheet').open", timeout=WAIT_MS)
    assert page.text_content("#sheet-title") == "李建国"
    page.click("#visit-sheet button[value=cancel]")
    page.wait_for_function(
        f"() => FIELD.data.households.find(h => h.code === '{IN_SCOPE[0]}').file.visits.length === 1",
        timeout=WAIT_MS,
    )

    phone.set_offline(True)
    page.reload()  # no signal: the file comes from the phone's copy of the working set
    page.wait_for_function("() => window.FIELD && FIELD.data", timeout=WAIT_MS)
    page.evaluate(f"FIELD.showHousehold(FIELD.byCode.get('{IN_SCOPE[0]}'))")
    shown = page.text_content("#house-file")
    assert "第一次走访" in shown and "需跟进（看病就医）：需联系村医 — 待办" in shown and "网格员" in shown
    assert phone.errors == []


def test_a_follow_up_whose_visit_was_refused_is_refused_with_the_reason_and_dismissable(
    phone, live_server, session, named
):
    phone.set_offline(True)
    page = _open(phone, live_server, "/m/visits")
    _record_with(page, named[IN_SCOPE[0]], "已不在范围", category="health", followup="需联系村医")
    _waiting(page, 2)  # the visit and its follow-up
    session.execute(delete(CadreVillage))  # 西村: the posting ends before they are sent
    session.commit()
    phone.set_offline(False)
    refused = "#outbox-items li.refused"
    page.wait_for_function(f"() => document.querySelectorAll('{refused}').length === 2", timeout=WAIT_MS)
    follow_up = page.locator(f"{refused}:has-text('需跟进')")
    assert "所属走访未被接收：没有这户农户，或不在您的走访范围内" in follow_up.inner_text()
    assert page.text_content("#outbox-count") == "0"  # nothing waits for ever
    follow_up.locator(".dismiss").click()
    page.wait_for_function(f"() => document.querySelectorAll('{refused}').length === 1")
    assert "需跟进" not in page.text_content("#outbox-items")
    assert _count(session, Visit) == 0 and _count(session, Followup) == 0
    assert phone.errors == []


def _photos_shown(page) -> list[str]:
    """The sources of the photos the open household sheet shows, once each has loaded."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('#house-file img')].every(i => i.complete && i.naturalWidth > 0)",
        timeout=WAIT_MS,
    )
    return page.eval_on_selector_all("#house-file img", "imgs => imgs.map(i => i.src)")


def _photo_kept(page, photo_id: int) -> bool:
    """True once the service worker's photo cache holds photo PHOTO_ID, within WAIT_MS."""
    url = f"{page.evaluate('FIELD.config.photos')}{photo_id}"
    has = "url => caches.open('gridmgmt-photos').then(cache => cache.match(url)).then(Boolean)"
    return _stored_soon(lambda: page.evaluate(has, url))


def test_photos_and_follow_up_pages_with_no_signal(phone, live_server, session, named, files_dir, tmp_path):
    page = _open(phone, live_server, "/m")
    home = named[IN_SCOPE[0]]
    _record_with(page, home, "有信号时", camera_photo(tmp_path / "a.jpg", seed=3), "health", "需联系村医")
    assert _stored_soon(lambda: _count(session, Photo) == 1 and _count(session, Followup) == 1)
    item = session.scalar(select(Followup))
    page.goto(f"{live_server}/followups/{item.id}")  # opened once with signal: kept
    assert page.locator(".photos img").count() == 1
    page = _open(phone, live_server, "/m")  # the app keeps the follow-up list and the newest photos
    page.wait_for_function("() => document.documentElement.dataset.followups === 'ready'", timeout=WAIT_MS)
    assert _photo_kept(page, session.scalar(select(Photo.id)))  # at once, or once the working set comes fresh

    phone.set_offline(True)
    _record_with(page, home, "没信号时", camera_photo(tmp_path / "b.jpg", seed=4))
    _waiting(page, 2)  # the visit, and its photo once the phone has shrunk it
    page.evaluate(f"FIELD.showHousehold(FIELD.households.get({home}))")
    page.wait_for_selector("#house-file li.waiting")
    shown = _photos_shown(page)
    assert len(shown) == 2 and shown[0].endswith(f"/photos/{session.scalar(select(Photo.id))}")
    assert shown[1].startswith("data:image/jpeg;base64,")  # the phone's own, not yet sent
    assert "没信号时" in page.text_content("#house-file li.waiting")

    page.goto(f"{live_server}/m/followups")  # the menu's 民情跟进, with no signal
    assert "需联系村医" in page.text_content("main")
    page.goto(f"{live_server}/followups/{item.id}")
    assert "需联系村医" in page.text_content("main")
    page.wait_for_function("() => document.querySelector('.photos img').naturalWidth > 0", timeout=WAIT_MS)
    assert phone.errors == []


def test_a_photo_sent_after_the_app_was_ready_opens_with_no_signal(
    phone, live_server, session, named, files_dir, tmp_path
):
    """The app keeps the newest photos each time the working set comes back changed, not only those it had
    when it became ready: a visit's photo, sent with signal, opens in the household's file with none."""
    page = _open(phone, live_server, "/m")
    page.wait_for_function("() => document.documentElement.dataset.followups === 'ready'", timeout=WAIT_MS)
    home = named[IN_SCOPE[0]]
    _record_with(page, home, "有信号时", camera_photo(tmp_path / "a.jpg", seed=5))
    assert _stored_soon(lambda: _count(session, Photo) == 1)
    photo = session.scalar(select(Photo.id))
    assert _photo_kept(page, photo)

    phone.set_offline(True)
    page.evaluate(f"FIELD.showHousehold(FIELD.households.get({home}))")
    page.wait_for_selector("#house-file img")
    assert "有信号时" in page.text_content("#house-file")
    assert [src.rsplit("/", 2)[-2:] for src in _photos_shown(page)] == [["photos", str(photo)]]
    assert phone.errors == []
