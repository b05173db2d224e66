"""The village page lists the published plan's cells in the village, each with its grid worker,
its households and its 联户 party members, and draws them on the village's map; a draft plan's
cells never show."""

import json

from sqlalchemy import select

from gridmgmt.db.models import Cadre, GridCell, GridPlan, Household, Liaison, PartyMember, PartyOrg, Township, Village
from tests.web.people import IN_SCOPE
from tests.web.sample import TOWNSHIP_CODE, _box

EAST, WEST = "441500100202", "441500100201"


def _page(client, code: str) -> str:
    answer = client.get(f"/villages/{code}")
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def _has(html: str, text: str) -> bool:
    """TEXT in HTML as is or JSON-escaped (folium writes names as \\uXXXX)."""
    return text in html or json.dumps(text)[1:-1] in html


def _link_a_member(session) -> None:
    """A party member of 东村 linked (联户) to the household in 东村一格."""
    town = session.scalar(select(Township.id).where(Township.code == TOWNSHIP_CODE))
    village = session.scalar(select(Village.id).where(Village.code == EAST))
    org = PartyOrg(township_id=town, village_id=village, code="P1", name="东村党支部", org_type="branch")
    session.add(org)
    session.flush()
    member = PartyMember(party_org_id=org.id, code="M1", name="党员甲")
    session.add(member)
    session.flush()
    home = session.scalar(select(Household.id).where(Household.code == IN_SCOPE[2]))
    session.add(Liaison(party_member_id=member.id, household_id=home))
    session.commit()


def _draft_cell(session) -> None:
    town = session.scalar(select(Township.id).where(Township.code == TOWNSHIP_CODE))
    village = session.scalar(select(Village.id).where(Village.code == EAST))
    plan = GridPlan(township_id=town, name="草稿方案", status="draft")
    session.add(plan)
    session.flush()
    session.add(
        GridCell(
            plan_id=plan.id, village_id=village, code="D1", name="草稿一格", geom=_box(115.74, 23.89, 115.75, 23.90)
        )
    )
    session.commit()


def test_a_village_page_lists_its_published_cells_with_worker_and_liaisons(as_user, session):
    _draft_cell(session)
    session.scalars(select(Cadre).where(Cadre.code == "G001")).one().phone = "13800000001"
    session.commit()
    planner = as_user("planner")
    html = _page(planner, EAST)
    assert "<h2>网格</h2>" in html
    assert "东村一格 <small>W1</small>" in html and '网格员甲 <a href="tel:13800000001">' in html
    assert "0 名，1 户未配" in html  # nobody 联户 yet: the row is marked as a gap
    assert _has(html, "网格（已发布方案）") and _has(html, "东村一格")
    assert not _has(html, "草稿一格")

    _link_a_member(session)
    html = _page(planner, EAST)
    assert "1 名</td>" in html and "户未配" not in html


def test_a_reviewer_sees_the_grid_worker_without_a_phone(as_user, session):
    session.scalars(select(Cadre).where(Cadre.code == "G001")).one().phone = "13800000001"
    session.commit()
    html = _page(as_user("reviewer"), EAST)
    assert "网格员甲" in html and "13800000001" not in html


def test_a_village_without_a_published_cell_says_so(as_user):
    html = _page(as_user("leader"), WEST)
    assert "本村还没有已发布的网格方案。" in html
    assert not _has(html, "网格（已发布方案）")
