"""The field app's server side: manifest, service worker, the working set a phone keeps, and
the outbox endpoint (idempotent by client id, answering with what it stored, refusing a bad
record alone and for good)."""

import re
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, func, select

from gridmgmt.db.models import AuditLog, CadreVillage, Checkin, Event, Household, OrgMeeting, Village, Visit
from tests.web.people import IN_SCOPE, OUT_OF_SCOPE, household_id

RECENT = (datetime.now(UTC) - timedelta(minutes=30)).isoformat()


def test_manifest_makes_the_app_installable(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest.mimetype == "application/manifest+json"
    body = manifest.json
    assert body["start_url"] == "/m" and body["display"] == "standalone" and body["short_name"] == "网格走访"
    sizes = {icon["sizes"] for icon in body["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in body["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_worker_precaches_every_file_the_field_pages_load(worker):
    script = worker.get("/sw.js")
    assert script.status_code == 200 and script.mimetype == "text/javascript"
    assert "no-cache" in script.headers["Cache-Control"]
    text = script.get_data(as_text=True)
    assert "cdn" not in text.lower() and "https://" not in text  # everything from this server
    settings = text.splitlines()[0]
    for url in re.findall(r'"(/(?:assets|static)/[^"]+)"', settings):
        assert worker.get(url).status_code == 200, url
    for page in ("/m", "/m/visits"):
        html = worker.get(page).get_data(as_text=True)
        for url in re.findall(r'(?:src|href)="(/(?:assets|static)/[^"]+)"', html):
            assert f'"{url.replace("&amp;", "&")}"' in settings, f"{page} loads {url}, which is not precached"


def test_working_set_holds_the_scope_with_flags_and_the_due_list(worker, session):
    answer = worker.get("/api/field/data")
    assert answer.status_code == 200 and "private" in answer.headers["Cache-Control"]
    data = answer.json
    assert sorted(h["code"] for h in data["households"]) == sorted(IN_SCOPE)  # nothing outside the scope
    first = next(h for h in data["households"] if h["code"] == IN_SCOPE[0])
    assert first["flags"] == ["hardship"] and first["village"] == "西村" and first["group"] == "西村上组"
    assert data["flag_labels"]["hardship"] == "困难家庭" and data["user"]["username"] == "grid_worker"
    assert {f["properties"]["name"] for f in data["area"]["villages"]["features"]} == {"西村", "东村"}
    assert {f["properties"]["code"] for f in data["area"]["cells"]["features"]} == {"W1"}
    assert data["area"]["roads"]["features"] and data["area"]["groups"]["features"]
    assert {item["household_id"] for item in data["due"]} <= {h["id"] for h in data["households"]}
    # Sending the flags is audited, once per working set sent.
    audits = session.scalars(select(AuditLog).where(AuditLog.action == "read_sensitive")).all()
    assert [a.target for a in audits] == ["field:working_set"] and audits[0].detail["households"] == 3


def test_working_set_is_revalidated_by_its_version(worker, session):
    first = worker.get("/api/field/data")
    again = worker.get("/api/field/data", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == first.headers["ETag"]
    assert session.scalar(select(func.count()).select_from(AuditLog)) == 1  # a 304 sends no flag
    session.execute(delete(CadreVillage))  # the posting ends: the scope shrinks
    session.commit()
    changed = worker.get("/api/field/data", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
    assert [h["code"] for h in changed.json["households"]] == [IN_SCOPE[2]]
    village = session.scalar(select(Village).where(Village.name == "东村"))
    village.name = "东村（改）"  # a village renamed: a new version
    session.commit()
    renamed = worker.get("/api/field/data", headers={"If-None-Match": changed.headers["ETag"]})
    assert renamed.status_code == 200 and renamed.json["households"][0]["village"] == "东村（改）"


def test_session_gives_the_user_and_a_fresh_token(worker, client):
    answer = worker.get("/api/field/session")
    assert answer.json["user"]["username"] == "grid_worker" and answer.json["csrf_token"]
    assert "no-store" in answer.headers["Cache-Control"]
    assert client.get("/api/field/session").status_code == 401


def _visit(session, code, **extra):
    return {
        "client_id": str(uuid.uuid4()),
        "household_id": household_id(session, code),
        "kind": "routine",
        "visited_at": RECENT,
        "note": "门口聊了十分钟",
        **extra,
    }


def test_outbox_stores_each_record_once_and_answers_what_it_holds(worker, session):
    visit = _visit(session, IN_SCOPE[0], lon=115.71, lat=23.9101, accuracy_m=9)
    event = {
        "client_id": str(uuid.uuid4()),
        "household_id": household_id(session, IN_SCOPE[2]),
        "event_type": "dispute",
        "description": "邻里纠纷",
        "reported_at": RECENT,
    }
    first = worker.post("/api/field/outbox", json={"visits": [visit], "events": [event]})
    assert first.status_code == 200
    stored_visit, stored_event = first.json["results"]
    assert stored_visit["status"] == 201 and stored_visit["stored"]["note"] == "门口聊了十分钟"
    assert datetime.fromisoformat(stored_visit["stored"]["visited_at"]) == datetime.fromisoformat(RECENT)
    assert stored_event["status"] == 201 and stored_event["stored"]["description"] == "邻里纠纷"
    # Resent with a changed note: the first version stays, and the answer says so.
    again = worker.post("/api/field/outbox", json={"visits": [{**visit, "note": "改过的"}], "events": [event]}).json
    assert [r["status"] for r in again["results"]] == [200, 200]
    assert again["results"][0]["stored"]["note"] == "门口聊了十分钟"
    assert session.scalar(select(func.count()).select_from(Visit)) == 1
    assert session.scalar(select(func.count()).select_from(Event)) == 1
    stored = session.scalar(select(Visit))
    assert stored.visited_at == datetime.fromisoformat(RECENT) and stored.accuracy_m == 9


def test_outbox_refuses_a_bad_record_alone_and_for_good(worker, session):
    good = _visit(session, IN_SCOPE[0])
    outside = _visit(session, OUT_OF_SCOPE[0])
    malformed = {**_visit(session, IN_SCOPE[1]), "visited_at": "昨天"}
    bad_event = {
        "client_id": str(uuid.uuid4()),
        "household_id": household_id(session, IN_SCOPE[2]),
        "event_type": "fire",
    }
    answer = worker.post("/api/field/outbox", json={"visits": [good, outside, malformed], "events": [bad_event]})
    results = {r["client_id"]: r for r in answer.json["results"]}
    assert results[good["client_id"]]["status"] == 201
    refused = results[outside["client_id"]]
    assert refused["status"] == 404 and refused["error"]["final"] is True
    assert refused["error"]["message"] == "没有这户农户，或不在您的走访范围内"
    assert (
        results[malformed["client_id"]]["status"] == 400
        and "走访时间" in results[malformed["client_id"]]["error"]["message"]
    )
    assert results[bad_event["client_id"]]["status"] == 400 and results[bad_event["client_id"]]["error"]["final"]
    assert session.scalar(select(func.count()).select_from(Visit)) == 1
    assert session.scalar(select(func.count()).select_from(Event)) == 0


def test_outbox_refusals_of_the_whole_request(worker, client, session):
    assert worker.post("/api/field/outbox", data="not json").status_code == 400
    too_many = worker.post("/api/field/outbox", json={"visits": [_visit(session, IN_SCOPE[0])] * 51})
    assert too_many.status_code == 400 and too_many.json["error"]["final"] is True
    anonymous = client.post("/api/field/outbox", json={"visits": []})
    assert anonymous.status_code in (400, 401) and anonymous.json["error"]["final"] is False  # log in, send again


def test_outbox_takes_check_ins_and_meetings_once(worker, session):
    """在村签到 and 组织生活 go through the outbox like visits: stored once by client id, with what
    the server holds; a meeting of an organisation out of scope is refused alone."""
    checkin = {"client_id": str(uuid.uuid4()), "lon": 115.716, "lat": 23.902, "accuracy_m": 12, "checked_at": RECENT}
    meeting = {
        "client_id": str(uuid.uuid4()),
        "org_code": "P4415001002",
        "meeting_type": "theme_day",
        "held_on": datetime.now(UTC).date().isoformat(),
        "topic": "学习党章",
        "attendees": 9,
        "lon": 115.716,
        "lat": 23.902,
        "accuracy_m": 10,
    }
    stranger = {**meeting, "client_id": str(uuid.uuid4()), "org_code": "NO-SUCH-ORG"}
    body = {"checkins": [checkin], "meetings": [meeting, stranger]}
    first = {r["client_id"]: r for r in worker.post("/api/field/outbox", json=body).json["results"]}
    assert first[checkin["client_id"]]["status"] == 201
    assert first[checkin["client_id"]]["stored"]["village_id"] == session.scalar(
        select(Village.id).where(Village.name == "西村")
    )
    held = first[meeting["client_id"]]
    assert held["status"] == 201 and held["stored"]["topic"] == "学习党章" and held["stored"]["at_venue"] is True
    assert first[stranger["client_id"]]["status"] == 404 and first[stranger["client_id"]]["error"]["final"]
    again = worker.post("/api/field/outbox", json={"checkins": [checkin], "meetings": [meeting]}).json["results"]
    assert [r["status"] for r in again] == [200, 200]
    assert session.scalar(select(func.count()).select_from(Checkin)) == 1
    stored = session.scalar(select(OrgMeeting))
    assert (stored.meeting_type, stored.attendees, stored.topic) == ("theme_day", 9, "学习党章")


def test_working_set_names_the_organisations_whose_meetings_the_phone_records(worker):
    data = worker.get("/api/field/data").json
    assert data["orgs"] == [{"code": "P4415001002", "name": "西村党支部"}]
    assert data["meeting_types"]["theme_day"] == "主题党日"
