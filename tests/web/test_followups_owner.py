"""Handing a follow-up to another cadre (改派): a village user to a cadre of the item's village,
the township to any of its cadres; stale, closed and out-of-scope hand-overs are refused; every
hand-over is audited; leaders only read."""

import pytest
from sqlalchemy import select, update

from gridmgmt.db.models import AuditLog, Cadre, CadreVillage, Followup, Township, Village
from tests.web.sample import OTHER_TOWNSHIP_CODE, TOWNSHIP_CODE
from tests.web.test_followups_pages import _visit_with_followup


@pytest.fixture
def cadres(session, people):
    """Three more cadres: one posted to 西村, one of the township with no posting, one of another township."""
    towns = dict(session.execute(select(Township.code, Township.id)).all())
    made = {
        "posted": Cadre(township_id=towns[TOWNSHIP_CODE], code="B001", name="包村乙", cadre_role="township_cadre"),
        "township": Cadre(township_id=towns[TOWNSHIP_CODE], code="T001", name="镇干部丙", cadre_role="township_cadre"),
        "stranger": Cadre(
            township_id=towns[OTHER_TOWNSHIP_CODE], code="X001", name="邻镇丁", cadre_role="township_cadre"
        ),
    }
    session.add_all(made.values())
    session.flush()
    west = session.scalar(select(Village.id).where(Village.name == "西村"))
    session.add(CadreVillage(cadre_id=made["posted"].id, village_id=west, assignment="bao_cun"))
    session.commit()
    return {name: cadre.id for name, cadre in made.items()}


@pytest.fixture
def item(worker, session, cadres):
    """A follow-up the grid worker raised at a household of 西村 (the grid worker owns it)."""
    worker.post("/api/field/outbox", json=_visit_with_followup(session, photo=False))
    return session.scalar(select(Followup))


def _owner(session, followup_id):
    session.expire_all()
    return session.get(Followup, followup_id).owner_id


def test_a_village_user_hands_an_item_to_a_cadre_of_its_village(worker, session, cadres, item):
    first = item.owner_id
    page = worker.get(f"/followups/{item.id}").get_data(as_text=True)
    assert "改派负责人" in page and "包村乙" in page and "镇干部丙" not in page and "邻镇丁" not in page
    refused = worker.post(f"/followups/{item.id}/owner", data={"owner": cadres["township"], "version": "1"})
    assert refused.status_code == 400 and "只能改派给本村的干部" in refused.get_data(as_text=True)
    moved = worker.post(f"/followups/{item.id}/owner", data={"owner": cadres["posted"], "version": "1"})
    assert moved.status_code == 302 and _owner(session, item.id) == cadres["posted"]
    audit = session.scalar(select(AuditLog).where(AuditLog.action == "reassign_followup"))
    assert audit.target == f"followup:{item.id}" and audit.detail == {"from": first, "to": cadres["posted"]}
    assert "包村乙" in worker.get(f"/followups/{item.id}").get_data(as_text=True).split("负责人</dt>")[1][:40]


def test_the_township_hands_an_item_to_any_of_its_cadres(app, as_user, session, cadres, item):
    first = item.owner_id
    app.config["WTF_CSRF_ENABLED"] = False
    planner = as_user("planner")
    assert "镇干部丙" in planner.get(f"/followups/{item.id}").get_data(as_text=True)
    moved = planner.post(f"/followups/{item.id}/owner", data={"owner": cadres["township"], "version": "1"})
    assert moved.status_code == 302 and _owner(session, item.id) == cadres["township"]
    stale = planner.post(f"/followups/{item.id}/owner", data={"owner": cadres["posted"], "version": "1"})
    assert stale.status_code == 409 and _owner(session, item.id) == cadres["township"]
    other = planner.post(f"/followups/{item.id}/owner", data={"owner": cadres["stranger"], "version": "2"})
    assert other.status_code == 400 and "只能改派给本镇的干部" in other.get_data(as_text=True)
    same = planner.post(f"/followups/{item.id}/owner", data={"owner": cadres["township"], "version": "2"})
    assert same.status_code == 400 and "已是负责人" in same.get_data(as_text=True)

    session.execute(update(Followup).where(Followup.id == item.id).values(state="closed", close_note="已办", version=3))
    session.commit()
    closed = planner.post(f"/followups/{item.id}/owner", data={"owner": cadres["posted"], "version": "3"})
    assert closed.status_code == 409 and "已办结，不能改派" in closed.get_data(as_text=True)
    assert "改派负责人" not in planner.get(f"/followups/{item.id}").get_data(as_text=True)
    assert session.scalar(select(AuditLog.detail).where(AuditLog.action == "reassign_followup")) == {
        "from": first,
        "to": cadres["township"],
    }


def test_leaders_and_other_townships_cannot_hand_items_over(app, as_user, session, cadres, item):
    first = item.owner_id
    app.config["WTF_CSRF_ENABLED"] = False
    leader = as_user("leader")
    assert "改派负责人" not in leader.get(f"/followups/{item.id}").get_data(as_text=True)
    assert (
        leader.post(f"/followups/{item.id}/owner", data={"owner": cadres["posted"], "version": "1"}).status_code == 403
    )
    outsider = as_user("other_planner").post(
        f"/followups/{item.id}/owner", data={"owner": cadres["stranger"], "version": "1"}
    )
    assert outsider.status_code == 404 and _owner(session, item.id) == first
