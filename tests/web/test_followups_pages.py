"""Follow-ups and photos through the web (issue 12): the phone's outbox carries them after
their visit, once by client id; the township's list and map show the open ones with the
overdue standing out; an item is taken up and closed with a note; photos are served only
in scope; the household page is the household's file (一户一档)."""

import base64
import uuid
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import func, select, update

from gridmgmt.config import get_settings
from gridmgmt.db.models import AuditLog, Cadre, Followup, Household, Photo, Visit
from tests.web.people import IN_SCOPE, OUT_OF_SCOPE
from tests.web.sample import OTHER_TOWNSHIP_CODE, TOWNSHIP_CODE

RECENT = (datetime.now(UTC) - timedelta(minutes=30)).isoformat()
LIST = f"/townships/{TOWNSHIP_CODE}/followups"


@pytest.fixture(autouse=True)
def files_dir(tmp_path, monkeypatch):
    """The photos of each test in a folder of its own."""
    monkeypatch.setenv("GRIDMGMT_FILES_DIR", str(tmp_path / "files"))
    get_settings.cache_clear()
    yield tmp_path / "files"
    get_settings.cache_clear()


@pytest.fixture
def worker(app, as_user):
    app.config["WTF_CSRF_ENABLED"] = False
    return as_user("grid_worker")


def _jpeg(colour=(20, 120, 200)) -> str:
    out = BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="JPEG")
    return base64.b64encode(out.getvalue()).decode()


def _visit_with_followup(session, code=IN_SCOPE[0], photo=True):
    home = session.scalar(select(Household.id).where(Household.code == code))
    visit = {"client_id": str(uuid.uuid4()), "household_id": home, "kind": "routine", "visited_at": RECENT}
    followup = {
        "client_id": str(uuid.uuid4()),
        "visit_client_id": visit["client_id"],
        "category": "infrastructure",
        "note": "村口路灯坏了",
    }
    photos = [{"client_id": str(uuid.uuid4()), "visit_client_id": visit["client_id"], "data": _jpeg()}] if photo else []
    return {"visits": [visit], "followups": [followup], "photos": photos}


def test_outbox_stores_a_visit_its_follow_up_and_photo_once(worker, session, files_dir):
    batch = _visit_with_followup(session)
    first = worker.post("/api/field/outbox", json=batch)
    visit, item, photo = first.json["results"]
    assert [r["status"] for r in (visit, item, photo)] == [201, 201, 201]
    assert item["stored"]["state"] == "open" and item["stored"]["note"] == "村口路灯坏了"
    assert photo["stored"]["content_type"] == "image/jpeg" and "data" not in photo["stored"]
    again = worker.post("/api/field/outbox", json=batch).json["results"]
    assert [r["status"] for r in again] == [200, 200, 200]
    assert [session.scalar(select(func.count()).select_from(t)) for t in (Visit, Followup, Photo)] == [1, 1, 1]
    stored = session.scalar(select(Photo))
    assert (files_dir / stored.path).read_bytes() == base64.b64decode(batch["photos"][0]["data"])
    actions = set(session.scalars(select(AuditLog.action)))
    assert {"raise_followup", "upload_photo"} <= actions


def test_a_follow_up_or_photo_before_its_visit_waits_and_bad_photos_are_refused_for_good(worker, session):
    batch = _visit_with_followup(session)
    early = worker.post("/api/field/outbox", json={"followups": batch["followups"], "photos": batch["photos"]})
    for result in early.json["results"]:
        assert result["status"] == 409 and result["error"]["final"] is False  # sent again later
    gif = {**batch["photos"][0], "client_id": str(uuid.uuid4()), "data": base64.b64encode(b"GIF89a....").decode()}
    garbled = {**batch["photos"][0], "client_id": str(uuid.uuid4()), "data": "不是base64"}
    answer = worker.post("/api/field/outbox", json={"visits": batch["visits"], "photos": [gif, garbled]}).json
    refusals = {r["client_id"]: r for r in answer["results"][1:]}
    assert refusals[gif["client_id"]]["error"] == {
        "code": "refused",
        "message": "只能上传 JPEG、PNG 或 WebP 格式的照片",
        "final": True,
    }
    assert "base64" in refusals[garbled["client_id"]]["error"]["message"]
    assert session.scalar(select(func.count()).select_from(Photo)) == 0


def test_the_township_sees_open_items_with_overdue_ones_marked_and_closes_one_with_a_note(
    worker, as_user, session, app
):
    worker.post("/api/field/outbox", json=_visit_with_followup(session))
    worker.post("/api/field/outbox", json=_visit_with_followup(session, IN_SCOPE[2], photo=False))
    late, fresh = session.scalars(select(Followup).order_by(Followup.id)).all()
    session.execute(update(Followup).where(Followup.id == late.id).values(due_at=datetime.now(UTC) - timedelta(days=1)))
    session.commit()
    planner = as_user("planner")
    app.config["WTF_CSRF_ENABLED"] = False
    page = planner.get(LIST).get_data(as_text=True)
    assert (
        '未办结 <b id="followup-count">2</b> 项' in page
        and '逾期 <b id="followup-overdue" class="overdue">1</b>' in page
    )
    assert f'<tr class="overdue" data-id="{late.id}">' in page and f'<tr class="" data-id="{fresh.id}">' in page
    assert '"overdue": true' in page.replace('"overdue":true', '"overdue": true')  # the map's points
    refused = planner.post(f"/followups/{late.id}/state", data={"state": "closed", "note": " ", "version": "1"})
    assert refused.status_code == 400 and "办结须填写办理情况" in refused.get_data(as_text=True)
    closed = planner.post(f"/followups/{late.id}/state", data={"state": "closed", "note": "已修好", "version": "1"})
    assert closed.status_code == 302
    session.expire_all()
    assert session.get(Followup, late.id).state == "closed" and session.get(Followup, late.id).close_note == "已修好"
    stale = planner.post(f"/followups/{late.id}/state", data={"state": "closed", "note": "again", "version": "1"})
    assert stale.status_code == 409
    assert '未办结 <b id="followup-count">1</b> 项' in planner.get(LIST).get_data(as_text=True)
    assert "已修好" in planner.get(f"/followups/{late.id}").get_data(as_text=True)
    leader = as_user("leader").get(f"/followups/{fresh.id}").get_data(as_text=True)
    assert "村口路灯坏了" in leader and "followup-move" not in leader  # leaders only read
    assert as_user("leader").post(f"/followups/{fresh.id}/state", data={"state": "closed"}).status_code == 403


def test_photos_are_served_only_in_scope_and_never_from_the_web_root(worker, as_user, session, people):
    worker.post("/api/field/outbox", json=_visit_with_followup(session))
    photo = session.scalar(select(Photo))
    served = worker.get(f"/photos/{photo.id}")
    assert (
        served.status_code == 200 and served.mimetype == "image/jpeg" and "private" in served.headers["Cache-Control"]
    )
    assert as_user("planner").get(f"/photos/{photo.id}").status_code == 200
    assert as_user("reviewer").get(f"/photos/{photo.id}").status_code == 403
    # The household leaves the grid worker's scope: the photo goes with it.
    session.execute(
        update(Photo).values(household_id=session.scalar(select(Household.id).where(Household.code == OUT_OF_SCOPE[0])))
    )
    session.commit()
    assert worker.get(f"/photos/{photo.id}").status_code == 404
    assert worker.get(f"/static/../{photo.path}").status_code == 404


def test_other_townships_and_roles_see_nothing(as_user, worker, session):
    worker.post("/api/field/outbox", json=_visit_with_followup(session))
    assert as_user("planner").get(f"/townships/{OTHER_TOWNSHIP_CODE}/followups").status_code == 403
    assert as_user("reviewer").get(LIST).status_code == 403
    assert (
        as_user("admin").get(f"/townships/{OTHER_TOWNSHIP_CODE}/followups").get_data(as_text=True).count("data-id=")
        == 0
    )


def test_the_household_page_is_its_file(worker, as_user, session):
    session.execute(update(Cadre).values(phone="13900000002"))
    session.commit()
    batch = _visit_with_followup(session, IN_SCOPE[2])
    batch["visits"][0]["note"] = "老人独居"
    worker.post("/api/field/outbox", json=batch)
    page = as_user("grid_worker").get(f"/households/{IN_SCOPE[2]}").get_data(as_text=True)
    assert 'id="house-record"' in page and f"/m?record={IN_SCOPE[2]}" in page
    assert 'href="geo:' in page and "导航" in page
    assert "网格员甲" in page and 'href="tel:13900000002"' in page  # its cell's grid worker
    assert "老人独居" in page and "道路水电：待办" in page and "照片1" in page
    leader = as_user("leader").get(f"/households/{IN_SCOPE[2]}").get_data(as_text=True)
    assert 'id="house-record"' not in leader and "老人独居" in leader and "***" in leader


def test_the_working_set_carries_each_households_file(worker, session):
    worker.post("/api/field/outbox", json=_visit_with_followup(session, IN_SCOPE[2]))
    data = worker.get("/api/field/data").json
    home = next(h for h in data["households"] if h["code"] == IN_SCOPE[2])
    assert home["file"]["grid_workers"] == [{"name": "网格员甲", "phone": None}]
    (visit,) = home["file"]["visits"]
    assert visit["followups"][0]["state"] == "待办" and len(visit["photos"]) == 1 and visit["cadre"] == "网格员甲"


def test_with_nothing_open_the_page_says_so_and_draws_no_empty_map(as_user):
    """An empty map was a grey box over all of China above 「没有未办结的跟进事项」."""
    page = as_user("planner").get(LIST).get_data(as_text=True)
    assert '<p id="followup-none">没有未办结的跟进事项。</p>' in page
    assert 'id="followup-map"' not in page and "followups-map.js" not in page
