"""我的网格 for every field role, as stored: a 网格员 sees their cell, a 包村干部 (or 第一书记,
工作队员) the villages they are posted to with the published cells in them and those cells'
grid workers, and someone with nothing assigned is told so and whom to ask. The phone's
working set carries the same cells for its map."""

import pytest
from sqlalchemy import delete, select, update

from gridmgmt.db.models import AppUser, Cadre, CadreVillage, GridCell, GridPlan, Village
from tests.web.people import log_in, password_hash
from tests.web.sample import _box


def _cadre(session):
    return session.scalars(select(Cadre).where(Cadre.code == "G001")).one()


def _page(client):
    answer = client.get("/m")
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def test_a_grid_worker_sees_their_cell_and_their_posting(worker):
    html = _page(worker)
    assert "网格员甲 · 网格员 · 示范镇" in html
    assert "我的网格：东村一格" in html and "W1" in html
    assert "包村：西村" in html and "本村还没有发布的网格方案" in html
    assert 'id="field-empty"' not in html


def test_a_posted_cadre_sees_the_cells_of_their_villages_with_the_grid_workers(worker, session):
    cadre = _cadre(session)
    cadre.cadre_role = "township_cadre"  # 包村干部: posted to 西村, holding no cell
    session.execute(update(GridCell).values(grid_worker_id=None))
    other = Cadre(
        township_id=cadre.township_id, code="G002", name="网格员乙", cadre_role="grid_worker", phone="13800000002"
    )
    session.add(other)
    session.flush()
    plan = session.scalar(select(GridPlan.id))
    west = session.scalar(select(Village.id).where(Village.name == "西村"))
    session.add(
        GridCell(
            plan_id=plan,
            village_id=west,
            code="X1",
            name="西村一格",
            grid_worker_id=other.id,
            geom=_box(115.70, 23.88, 115.73, 23.92),
        )
    )
    session.commit()

    html = _page(worker)
    assert "我的网格：" not in html  # no cell of their own
    assert "包村：西村" in html and "已发布网格 1 个" in html
    assert "西村一格" in html and "网格员乙" in html and 'href="tel:13800000002"' in html
    cells = worker.get("/api/field/data").json["area"]["cells"]["features"]
    assert [f["properties"]["code"] for f in cells] == ["X1"]


def test_a_first_secretary_posted_twice_sees_the_village_once(worker, session):
    cadre = _cadre(session)
    cadre.cadre_role = "first_secretary"
    west = session.scalar(select(Village.id).where(Village.name == "西村"))
    session.add(CadreVillage(cadre_id=cadre.id, village_id=west, assignment="first_secretary"))
    session.commit()
    html = _page(worker)
    assert html.count('<section class="my-village">') == 1 and "包村、第一书记驻村：西村" in html


def test_nothing_assigned_says_so_and_whom_to_ask(worker, session):
    session.execute(delete(CadreVillage))
    session.execute(update(GridCell).values(grid_worker_id=None))
    session.commit()
    html = _page(worker)
    assert "您还没有分配包村、驻村或网格" in html and "示范镇党委组织委员" in html
    data = worker.get("/api/field/data").json
    assert data["households"] == [] and data["area"]["cells"]["features"] == []


def test_an_account_with_no_cadre_is_sent_to_the_administrator(app, session):
    user = AppUser(username="new_worker", role="grid_worker", password_hash=password_hash(), township_id=None)
    session.add(user)
    session.commit()
    client = app.test_client()
    log_in(client, user.id)
    html = _page(client)
    assert "没有关联干部信息" in html and "系统管理员" in html
