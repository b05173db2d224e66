"""Check-ins (在村签到) from the phone: located, dated, once per client id (003 三.5)."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from gridmgmt.db.models import Checkin, Village


@pytest.fixture
def worker(app, as_user):
    app.config["WTF_CSRF_ENABLED"] = False
    return as_user("grid_worker")


def test_check_in_once_in_the_village_under_the_fix(worker, session):
    body = {"client_id": str(uuid.uuid4()), "lon": 115.745, "lat": 23.90, "accuracy_m": 8}  # inside 东村
    first = worker.post("/api/checkins", json=body)
    again = worker.post("/api/checkins", json=body)
    east = session.scalar(select(Village.id).where(Village.name == "东村"))
    assert first.status_code == 201 and first.json["created"] and first.json["village_id"] == east
    assert again.status_code == 200 and again.json["id"] == first.json["id"] and not again.json["created"]
    stored = session.scalar(select(Checkin))
    assert stored.accuracy_m == 8 and stored.checked_at <= datetime.now(UTC)
    assert session.scalar(select(func.count()).select_from(Checkin)) == 1


def test_check_in_refusals(worker, session):
    outside = worker.post("/api/checkins", json={"client_id": str(uuid.uuid4()), "lon": 115.83, "lat": 23.90})
    assert outside.status_code == 400 and outside.json["error"]["message"] == "签到位置不在本乡镇的任何行政村内"
    bad_id = worker.post("/api/checkins", json={"client_id": "x", "lon": 115.745, "lat": 23.90})
    assert bad_id.status_code == 400 and "UUID" in bad_id.json["error"]["message"]
    no_fix = worker.post("/api/checkins", json={"client_id": str(uuid.uuid4())})
    assert no_fix.status_code == 400
    future = worker.post(
        "/api/checkins",
        json={"client_id": str(uuid.uuid4()), "lon": 115.745, "lat": 23.90, "checked_at": "2099-01-01T08:00:00+08:00"},
    )
    assert future.status_code == 400 and "不能晚于现在" in future.json["error"]["message"]
    assert session.scalar(select(func.count()).select_from(Checkin)) == 0
