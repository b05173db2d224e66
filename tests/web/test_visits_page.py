"""The grid worker's visit page and API, and the township's compliance page."""

import io
import json
import re
import uuid
from datetime import UTC, datetime, timedelta, timezone

import openpyxl
import pytest
from sqlalchemy import delete, func, select

from gridmgmt.db.models import Cadre, CadreVillage, Event, Household, Township, Village, Visit
from gridmgmt.services.visits.duties import seed_default_duties
from gridmgmt.services.visits.events import EventReport, report_event
from tests.integration.visit_fixtures import SETTINGS
from tests.web.people import IN_SCOPE, OUT_OF_SCOPE, household_id
from tests.web.sample import OTHER_TOWNSHIP_CODE, TOWNSHIP_CODE


def test_due_page_shows_no_flags(worker):
    page = worker.get("/m/visits")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "今日走访" in text and "规划路线" in text
    for label in ("困难家庭", "危重病人家庭", "空巢老人家庭", "留守儿童家庭", "信访户"):
        assert label not in text
    # The flag names as words ("bereavement_hardship" is an event type, not a flag).
    assert not re.search(r"\b(hardship|petitioner|critically_ill)\b", text)


def test_record_once_on_retry_and_flag_far_fixes(worker, session):
    home = household_id(session, IN_SCOPE[0])  # at 115.71, 23.91
    body = {"client_id": str(uuid.uuid4()), "household_id": home, "lon": 115.71, "lat": 23.9101, "accuracy_m": 12}
    first = worker.post("/api/visits", json=body)
    again = worker.post("/api/visits", json=body)
    assert first.status_code == 201 and first.json["created"] and not first.json["flagged"]
    assert again.status_code == 200 and again.json["id"] == first.json["id"] and not again.json["created"]
    far = worker.post("/api/visits", json={**body, "client_id": str(uuid.uuid4()), "lon": 115.715})
    assert far.json["flagged"] and far.json["distance_m"] == pytest.approx(509, abs=5)
    assert session.scalar(select(func.count()).select_from(Visit)) == 2


def test_refusals(worker, session):
    outside = worker.post(
        "/api/visits", json={"client_id": str(uuid.uuid4()), "household_id": household_id(session, OUT_OF_SCOPE[0])}
    )
    assert outside.status_code == 404 and outside.json["error"]["final"] is True  # the phone may drop it
    bad = worker.post("/api/visits", json={"client_id": "x", "household_id": household_id(session, IN_SCOPE[0])})
    assert bad.status_code == 400 and "UUID" in bad.json["error"]["message"] and bad.json["error"]["final"]
    assert worker.post("/api/visits", data="not json").status_code == 400
    assert session.scalar(select(func.count()).select_from(Visit)) == 0


def test_a_resent_visit_gets_the_first_record_whatever_changed_since(worker, session):
    """The phone resends until it hears back: the answer must say the visit arrived, even once
    the household has left the worker's scope (or the resent note differs)."""
    body = {"client_id": str(uuid.uuid4()), "household_id": household_id(session, IN_SCOPE[0]), "note": "第一次"}
    first = worker.post("/api/visits", json=body)
    session.execute(delete(CadreVillage))
    session.commit()
    again = worker.post("/api/visits", json={**body, "note": "改过"})
    assert again.status_code == 200 and again.json["id"] == first.json["id"] and not again.json["created"]
    assert worker.post("/api/visits", json={**body, "client_id": str(uuid.uuid4())}).status_code == 404
    assert session.scalars(select(Visit.note)).all() == ["第一次"]


def test_route_json(worker):
    answer = worker.get("/api/visits/route?hours=4&mode=drive")
    assert answer.status_code == 200
    assert {"stops", "length_m", "travel_min", "line", "base", "gaps"} <= set(answer.json)
    assert worker.get("/api/visits/route?mode=fly").status_code == 400


def test_route_from_where_the_worker_stands(worker):
    here = worker.get("/api/visits/route?hours=4&start=here&lon=115.741&lat=23.911")
    assert here.status_code == 200
    assert (here.json["start"], here.json["closed"], here.json["base"]) == ("当前位置", False, [115.741, 23.911])
    base = worker.get("/api/visits/route?start=base").json
    assert (base["start"], base["closed"]) == ("驻地", True)
    no_fix = worker.get("/api/visits/route?start=here")
    assert no_fix.status_code == 400 and "还没有定位" in no_fix.json["error"]["message"]
    assert worker.get("/api/visits/route?start=here&lon=116.9&lat=23.9").status_code == 400
    assert worker.get("/api/visits/route?start=here&lon=200&lat=23.9").status_code == 400


def test_township_page_and_workbook(as_user):
    planner = as_user("planner")
    page = planner.get(f"/townships/{TOWNSHIP_CODE}/visits")
    assert page.status_code == 200 and "职责汇总" in page.get_data(as_text=True)
    book = planner.get(f"/townships/{TOWNSHIP_CODE}/visits.xlsx")
    assert book.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(book.data)).sheetnames[0] == "职责汇总"


def test_unknown_township_is_404(as_user):
    assert as_user("admin").get("/townships/000000000000/visits").status_code == 404


def test_township_page_for_a_date_village_and_cadre(as_user):
    planner = as_user("planner")
    base = f"/townships/{TOWNSHIP_CODE}/visits"
    page = planner.get(f"{base}?date=2024-02-29&village=441500100202").get_data(as_text=True)
    assert "截至 2024-02-29" in page and 'value="441500100202" selected' in page
    assert planner.get(f"{base}?cadre=G001").status_code == 200
    assert planner.get(f"{base}?date=2024-02-30").status_code == 400
    assert planner.get(f"{base}?village=999").status_code == 404
    book = planner.get(f"{base}.xlsx?date=2025-03-31")
    assert book.status_code == 200 and "2025-03-31" in book.headers["Content-Disposition"]


def test_report_an_event_and_overdue_events_come_first(worker, session):
    home = household_id(session, IN_SCOPE[2])
    body = {"client_id": str(uuid.uuid4()), "household_id": home, "event_type": "dispute", "description": "邻里纠纷"}
    reported = worker.post("/api/events", json=body)
    assert reported.status_code == 201
    late, _ = report_event(
        session,
        EventReport(
            "bereavement_hardship",
            _cadre(session),
            datetime.now(UTC) - timedelta(hours=30),
            household_id=household_id(session, IN_SCOPE[0]),
        ),
        SETTINGS,
    )
    tags = [item["priority"] for item in worker.get("/api/field/data").json["due"]]  # the phone's due list
    assert tags[:2] == ["event_overdue", "event_open"] and late.attend_by < datetime.now(UTC)
    fresh = {"client_id": str(uuid.uuid4())}
    assert worker.post("/api/events", json={**fresh, "household_id": home, "event_type": "fire"}).status_code == 400
    assert (
        worker.post(
            "/api/events",
            json={**fresh, "household_id": household_id(session, OUT_OF_SCOPE[0]), "event_type": "dispute"},
        ).status_code
        == 404
    )
    assert worker.post("/api/events", json={"event_type": "dispute"}).status_code == 400
    assert worker.post("/api/events", json={"household_id": home, "event_type": "dispute"}).status_code == 400


def test_a_retried_event_report_is_stored_once(worker, session):
    body = {
        "client_id": str(uuid.uuid4()),
        "household_id": household_id(session, IN_SCOPE[2]),
        "event_type": "dispute",
        "reported_at": (datetime.now(UTC) - timedelta(minutes=5)).isoformat(),
    }
    first, again = worker.post("/api/events", json=body), worker.post("/api/events", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["id"] == first.get_json()["id"] and again.get_json()["created"] is False
    assert session.scalar(select(func.count()).select_from(Event)) == 1
    stored = session.get(Event, first.get_json()["id"])
    assert stored.client_id == uuid.UUID(body["client_id"])
    assert stored.reported_at == datetime.fromisoformat(body["reported_at"])  # when it was made, not resent


def test_two_open_events_at_one_household_are_both_listed(worker, session):
    home = household_id(session, IN_SCOPE[2])
    for kind in ("dispute", "grievance"):
        assert (
            worker.post(
                "/api/events", json={"client_id": str(uuid.uuid4()), "household_id": home, "event_type": kind}
            ).status_code
            == 201
        )
    due = worker.get("/api/field/data").json["due"]
    assert [item["priority"] for item in due][:2] == ["event_open", "event_open"]
    assert {item["event_type"] for item in due[:2]} == {"矛盾纠纷", "不满情绪"}


def _cadre(session):
    return session.scalar(select(Cadre.id).where(Cadre.code == "G001"))


def test_duties_are_listed_and_edited_on_a_page(app, as_user):
    app.config["WTF_CSRF_ENABLED"] = False
    planner = as_user("planner")
    page = planner.get("/duties").get_data(as_text=True)
    assert page.count('name="code" value=') == 6 and "四必访：必访户每月走访" in page
    assert "村党组织书记" in page and "每半年" in page and "每周" in page
    form = {
        "code": "must_visit_monthly",
        "name": "四必访：必访户每季度走访",
        "scope": "own_grid",
        "target": "flagged_households",
        "period": "quarter",
        "cadre_roles": ["grid_worker"],
        "flags": ["hardship", "petitioner"],
        "active": "on",
    }
    saved = planner.post("/duties", data=form, follow_redirects=True).get_data(as_text=True)
    assert "已保存职责“四必访：必访户每季度走访”" in saved and "四必访：必访户每季度走访" in saved
    refused = planner.post("/duties", data={**form, "flags": []}, follow_redirects=True).get_data(as_text=True)
    assert "未保存：职责“四必访：必访户每季度走访”的对象为必访户，须指定至少一个必访标记" in refused
    new = planner.post(
        "/duties",
        data={
            **form,
            "code": "grid_groups",
            "name": "网格员走遍小组",
            "target": "village_groups",
            "flags": [],
            "period": "year",
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "已保存职责“网格员走遍小组”" in new and new.count('name="code" value=') == 7
    assert as_user("leader").get("/duties").status_code == 403
    assert "走访职责设置" in planner.get(f"/townships/{TOWNSHIP_CODE}/visits").get_data(as_text=True)


def test_township_page_offers_the_briefing_map_and_draws_the_villages(as_user):
    html = as_user("leader").get(f"/townships/{TOWNSHIP_CODE}/visits").get_data(as_text=True)
    for fmt in ("png", "pdf"):
        assert f"/townships/{TOWNSHIP_CODE}/maps/visits.{fmt}" in html
    villages = _map_data(html)["villages"]
    assert villages["type"] == "FeatureCollection" and "Polygon" in villages["features"][0]["geometry"]["type"]


def test_duties_page_shows_the_deadline_of_each_event_type(app, as_user):
    """000 三.1 四必到: the deadlines are shown where duties are set, 突发事件 in hours."""
    page = as_user("planner").get("/duties").get_data(as_text=True)
    assert "<td>突发事件</td><td>2</td>" in page and "<td>不满情绪</td><td>48</td>" in page
    assert "时限由系统管理员在系统配置中设置" in page and "GRIDMGMT_ATTEND_HOURS" not in page


def _map_data(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="visits-map-data"[^>]*>(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_township_page_leads_with_the_summary_and_folds_the_lists(as_user):
    """Issue 19: the leader's summary (names, worst first) before the lists, every table folded."""
    page = as_user("leader").get(f"/townships/{TOWNSHIP_CODE}/visits").get_data(as_text=True)
    before, *lists = page.split('<details class="list"')
    assert 'aria-label="领导摘要"' in before and "<table" not in before
    assert "按职责" in before and "按行政村" in before and "按干部" in before and "西村" in before
    assert len(lists) == 6 and not any(chunk.startswith(" open") for chunk in lists)
    rates = [int(r) for r in re.findall(r'<span class="rate">(\d+)%</span>', before.split("<h2>按行政村</h2>")[0])]
    assert rates and rates == sorted(rates)  # duties, the worst first


def test_the_map_embeds_groups_by_overdue_share_and_no_household(as_user, session):
    _bao_cun_cadre(session)
    data = _map_data(as_user("planner").get(f"/townships/{TOWNSHIP_CODE}/visits").get_data(as_text=True))
    groups = data["groups"]["features"]
    assert len(groups) == 4 and all({"overdue", "total", "share"} <= set(g["properties"]) for g in groups)
    shared = [g["properties"] for g in groups if g["properties"]["total"]]
    assert shared and all(p["share"] == p["overdue"] / p["total"] for p in shared)
    assert data["villages"]["features"] and data["roads"]["features"]
    text = json.dumps(data)
    assert "household_id" not in text and "hardship" not in text


def _bao_cun_cadre(session) -> None:
    """A township cadre posted (包村) to both sample villages: every household gets a status to map."""
    seed_default_duties(session)
    town = session.scalar(select(Township.id).where(Township.code == TOWNSHIP_CODE))
    cadre = Cadre(township_id=town, code="T001", name="镇干部甲", cadre_role="township_cadre")
    session.add(cadre)
    session.flush()
    villages = session.scalars(select(Village.id).where(Village.township_id == town))
    session.add_all(CadreVillage(cadre_id=cadre.id, village_id=v, assignment="bao_cun") for v in villages)
    session.commit()


def test_village_households_for_the_map(as_user, session):
    _bao_cun_cadre(session)
    leader = as_user("leader")
    base = f"/townships/{TOWNSHIP_CODE}/visits/households"
    both = leader.get(f"{base}?village=441500100201&village=441500100202")
    assert both.status_code == 200 and both.json["villages"] == ["441500100201", "441500100202"]
    homes = both.json["households"]
    assert homes and all(set(h) == {"household_id", "lon", "lat", "status", "label"} for h in homes)
    assert {h["status"] for h in homes} <= {"overdue", "due", "done"}
    west = leader.get(f"{base}?village=441500100201").json["households"]
    assert 0 < len(west) < len(homes) and all(h["label"].startswith("441500100201") for h in west)
    unknown = leader.get(f"{base}?village=441500100299")
    assert unknown.status_code == 404 and "441500100299" in unknown.get_data(as_text=True)
    assert leader.get(base).status_code == 400
    other = f"/townships/{OTHER_TOWNSHIP_CODE}/visits/households?village=441500200201"
    assert as_user("planner").get(other).status_code == 403
