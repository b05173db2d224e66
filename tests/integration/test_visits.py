"""Recording visits and 四必到 events on PostGIS: retries, the distance flag, deadlines."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from gridmgmt.db.models import CadreVillage, Event, Visit
from gridmgmt.domain.duties import AttendRules
from gridmgmt.services.accounts.scopes import answers_for
from gridmgmt.services.visits.events import (
    EventError,
    EventReport,
    attend_event,
    close_event,
    record_field_visit,
    report_event,
)
from gridmgmt.services.visits.records import Fix, OutOfScope, VisitError, VisitInput, record_visit
from tests.integration.visit_fixtures import SETTINGS, build

NOON = datetime(2025, 5, 15, 4, 0, tzinfo=UTC)  # 12:00 in Asia/Shanghai


@pytest.fixture
def town(session):
    return build(session)


def _visit(town, **kw):
    base = {
        "client_id": str(uuid.uuid4()),
        "cadre_id": town["cadres"]["grid_worker"],
        "visited_at": NOON,
        "household_id": town["households"][0].id,
    }
    return VisitInput(**{**base, **kw})


def _count(session):
    return session.scalar(select(func.count()).select_from(Visit))


def test_near_visit_is_not_flagged(session, town):
    stored, created = record_visit(session, _visit(town, fix=Fix(115.702, 23.9102, 8.0)), SETTINGS)
    assert created and not stored.flagged
    assert stored.distance_m == pytest.approx(11.1, abs=0.5)  # 0.0001° of latitude
    assert stored.accuracy_m == 8.0


def test_far_visit_is_kept_and_flagged_with_its_distance(session, town):
    # 0.0035° of longitude at 23.91°N is about 356 m: beyond the default 300 m.
    stored, created = record_visit(session, _visit(town, fix=Fix(115.7055, 23.9101)), SETTINGS)
    assert created and stored.flagged
    assert stored.distance_m == pytest.approx(356, abs=3)
    assert _count(session) == 1


def test_far_distance_is_configurable(session, town):
    stored, _ = record_visit(session, _visit(town, fix=Fix(115.7055, 23.9101)), replace(SETTINGS, far_m=500))
    assert not stored.flagged


def test_retry_stays_single(session, town):
    visit = _visit(town, note="第一次", fix=Fix(115.702, 23.9101))
    first, created = record_visit(session, visit, SETTINGS)
    again, created_again = record_visit(session, visit, SETTINGS)
    assert created and not created_again
    assert again.id == first.id and _count(session) == 1


def test_same_client_id_for_another_household_is_refused(session, town):
    visit = _visit(town)
    record_visit(session, visit, SETTINGS)
    other = VisitInput(**{**visit.__dict__, "household_id": town["households"][1].id})
    with pytest.raises(VisitError, match="已用于另一条"):
        record_visit(session, other, SETTINGS)
    assert _count(session) == 1


@pytest.mark.parametrize(
    "change, message",
    [
        ({"client_id": "not-a-uuid"}, "UUID"),
        ({"household_id": None}, "二者选一"),
        ({"household_id": 999_999}, "不存在"),
        ({"kind": "party"}, "未知走访类型"),
        ({"visited_at": datetime(2025, 5, 15, 12)}, "时区"),
        ({"visited_at": datetime.now(UTC) + timedelta(days=1)}, "不能晚于现在"),
        ({"fix": Fix(215.0, 23.9)}, "超出范围"),
        ({"cadre_id": 999_999}, "干部"),
    ],
)
def test_bad_visits_change_nothing(session, town, change, message):
    with pytest.raises(VisitError, match=message):
        record_visit(session, _visit(town, **change), SETTINGS)
    assert _count(session) == 0


def _report(town, **kw):
    base = {
        "event_type": "dispute",
        "reported_by": town["cadres"]["grid_worker"],
        "reported_at": NOON,
        "household_id": town["households"][3].id,
        "description": "宅基地纠纷",
    }
    return EventReport(**{**base, **kw})


def test_event_deadline_default_and_per_type(session, town):
    event, _ = report_event(session, _report(town), SETTINGS)
    assert event.attend_by - event.reported_at == timedelta(hours=24)
    assert event.status == "reported" and event.village_id == town["village"].id
    urgent, _ = report_event(
        session, _report(town, event_type="emergency"), replace(SETTINGS, attend=AttendRules({"emergency": 2}))
    )
    assert urgent.attend_by - urgent.reported_at == timedelta(hours=2)


def test_event_at_a_point_finds_its_village(session, town):
    event, _ = report_event(session, _report(town, household_id=None, lon=115.73, lat=23.915), SETTINGS)
    assert event.village_id == town["village"].id and event.household_id is None
    with pytest.raises(EventError, match="不在任何行政村内"):
        report_event(session, _report(town, household_id=None, lon=116.5, lat=23.915), SETTINGS)
    with pytest.raises(EventError, match="未知事件类型"):
        report_event(session, _report(town, event_type="party"), SETTINGS)
    assert session.scalar(select(func.count()).select_from(Event)) == 1


def test_a_retried_report_stays_one_event(session, town):
    client_id = str(uuid.uuid4())
    first, created = report_event(session, _report(town, client_id=client_id), SETTINGS)
    later = NOON + timedelta(hours=1)
    again, created_again = report_event(session, _report(town, client_id=client_id, reported_at=later), SETTINGS)
    assert created and not created_again and again.id == first.id and again.reported_at == NOON
    with pytest.raises(EventError, match="已用于另一件事件"):
        report_event(session, _report(town, client_id=client_id, household_id=town["households"][4].id), SETTINGS)
    with pytest.raises(EventError, match="不是有效的 UUID"):
        report_event(session, _report(town, client_id="x"), SETTINGS)
    assert session.scalar(select(func.count()).select_from(Event)) == 1


def test_attend_retry_and_close(session, town):
    event, _ = report_event(session, _report(town), SETTINGS)
    visit = _visit(town, cadre_id=town["cadres"]["township_cadre"], visited_at=NOON + timedelta(hours=3))
    with pytest.raises(EventError, match="只有已到场"):
        close_event(session, event.id)
    attended, stored, created = attend_event(session, event.id, visit, SETTINGS)
    assert attended.status == "attended" and attended.attended_by == town["cadres"]["township_cadre"]
    assert created and stored.kind == "event"
    assert attend_event(session, event.id, visit, SETTINGS)[2] is False  # the phone retries
    visits = session.scalars(select(Visit)).all()
    assert [(v.kind, v.event_id, v.household_id) for v in visits] == [("event", event.id, town["households"][3].id)]
    assert close_event(session, event.id).status == "closed"
    with pytest.raises(EventError, match="已办结"):
        attend_event(session, event.id, _visit(town), SETTINGS)


def test_point_event_is_attended_at_its_group(session, town):
    event, _ = report_event(session, _report(town, household_id=None, lon=115.73, lat=23.915), SETTINGS)
    attend_event(session, event.id, _visit(town), SETTINGS)
    visit = session.scalars(select(Visit)).one()
    assert visit.group_id == town["groups"][1].id and visit.household_id is None


def test_a_posting_answers_for_its_village_from_its_first_to_its_last_day(session, town):
    cadre, home = town["cadres"]["first_secretary"], town["households"][3].id
    today = SETTINGS.today()
    posting = CadreVillage(
        cadre_id=cadre,
        village_id=town["village"].id,
        assignment="first_secretary",
        start_date=today + timedelta(days=1),
    )
    session.add(posting)
    session.commit()
    assert not answers_for(session, cadre, home, today)
    posting.start_date, posting.end_date = today, today
    session.commit()
    assert answers_for(session, cadre, home, today)
    posting.end_date = today - timedelta(days=1)
    session.commit()
    assert not answers_for(session, cadre, home, today)


def test_field_visits_stay_in_the_cadres_scope(session, town):
    cadre, home = town["cadres"]["first_secretary"], town["households"][3].id
    with pytest.raises(OutOfScope, match="不在您的走访范围内"):
        record_field_visit(session, _visit(town, cadre_id=cadre, household_id=home), SETTINGS)
    event, _ = report_event(session, _report(town), SETTINGS)
    other = town["households"][0].id  # the grid worker's own household, not the event's
    with pytest.raises(OutOfScope, match="没有这件事件"):
        record_field_visit(session, _visit(town, household_id=other), SETTINGS, event.id)
    assert _count(session) == 0
    stored, created = record_field_visit(session, _visit(town, household_id=other), SETTINGS)
    assert created and stored.household_id == other
