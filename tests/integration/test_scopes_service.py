"""Scopes on real PostGIS: a grid worker's (what their cadre answers for), the other roles', the public one."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from gridmgmt.db.models import AppUser, Cadre, CadreVillage, GridPlan, Household, Township, Village
from gridmgmt.domain.permissions import Scope
from gridmgmt.services.accounts.scopes import answers_for, cadre_scope, public_scope, user_scope
from gridmgmt.services.mapdata.features import collection, items
from gridmgmt.services.visits.duties import set_duty
from tests.integration.visit_fixtures import SETTINGS
from tests.web.people import IN_SCOPE, OUT_OF_SCOPE, add_people
from tests.web.sample import OTHER_TOWNSHIP_CODE, TOWNSHIP_CODE, add_small_township

TODAY = SETTINGS.today()  # the local date postings go by


@pytest.fixture
def ids(session):
    add_small_township(session)
    return add_people(session)


def _ids(session, model) -> dict:
    return dict(session.execute(select(model.name if model is Village else model.code, model.id)).all())


def _home(session, code: str) -> int:
    return session.scalars(select(Household.id).where(Household.code == code)).one()


def _worker(session) -> Cadre:
    return session.scalars(select(Cadre).where(Cadre.code == "G001")).one()


def test_grid_worker_scope_is_their_villages_and_published_cells(session, ids):
    villages = _ids(session, Village)
    scope = user_scope(session, session.get(AppUser, ids["grid_worker"]), TODAY)
    assert scope.village_ids == {villages["西村"]}
    assert scope.cell_village_ids == {villages["东村"]}
    assert len(scope.grid_cell_ids) == 1 and scope.households
    planner = user_scope(session, session.get(AppUser, ids["planner"]), TODAY)
    assert planner.village_ids is None and planner.township_ids == {_ids(session, Township)[TOWNSHIP_CODE]}
    assert user_scope(session, session.get(AppUser, ids["admin"]), TODAY).is_everything


def test_reviewers_scope_holds_their_township_but_no_household(session, ids):
    scope = user_scope(session, session.get(AppUser, ids["reviewer"]), TODAY)
    assert scope.township_ids == {_ids(session, Township)[TOWNSHIP_CODE]} and not scope.households
    assert items(session, collection("households"), scope).number_matched == 0


def test_ended_postings_and_draft_plans_leave_the_scope(session, ids):
    session.scalars(select(CadreVillage)).one().end_date = TODAY - timedelta(days=1)
    session.scalars(select(GridPlan)).one().status = "draft"
    session.commit()
    scope = user_scope(session, session.get(AppUser, ids["grid_worker"]), TODAY)
    assert scope.village_ids == frozenset() and scope.grid_cell_ids == frozenset()


def test_a_posting_not_begun_is_not_in_the_scope_yet(session, ids):
    posting = session.scalars(select(CadreVillage)).one()
    posting.start_date = TODAY + timedelta(days=1)
    session.commit()
    assert cadre_scope(session, _worker(session).id, TODAY).village_ids == frozenset()
    assert cadre_scope(session, _worker(session).id, posting.start_date).village_ids == {posting.village_id}


def test_the_village_a_cadre_lives_in_is_in_their_scope(session, ids):
    """They attend its 四必到 events, and visit it under 所管网格 while they hold no cell."""
    worker = _worker(session)
    assert not answers_for(session, worker.id, _home(session, OUT_OF_SCOPE[1]), TODAY)
    worker.household_id = _home(session, OUT_OF_SCOPE[0])  # lives in 东村
    session.commit()
    villages = _ids(session, Village)
    assert cadre_scope(session, worker.id, TODAY).village_ids == {villages["西村"], villages["东村"]}
    assert answers_for(session, worker.id, _home(session, OUT_OF_SCOPE[1]), TODAY)


def test_a_township_duty_makes_the_scope_the_township(session, ids):
    worker = _worker(session)
    set_duty(
        session, "patrol", cadre_code="G001", name="全镇巡查", scope="township", target="households", period="year"
    )
    towns = _ids(session, Township)
    assert cadre_scope(session, worker.id, TODAY) == Scope(township_ids=frozenset({towns[TOWNSHIP_CODE]}))
    assert all(answers_for(session, worker.id, _home(session, code), TODAY) for code in IN_SCOPE + OUT_OF_SCOPE)
    set_duty(session, "patrol", active=False)
    assert not answers_for(session, worker.id, _home(session, OUT_OF_SCOPE[0]), TODAY)


def test_unknown_cadre_and_household_answer_for_nothing(session, ids):
    assert cadre_scope(session, 99999, TODAY) == Scope(township_ids=frozenset(), village_ids=frozenset())
    assert not answers_for(session, _worker(session).id, 99999, TODAY)


def test_public_scope_is_the_configured_townships_without_households(session, ids):
    assert public_scope(session, ()) == Scope(township_ids=None, households=False)
    towns = _ids(session, Township)
    scope = public_scope(session, (OTHER_TOWNSHIP_CODE, "999999999999"))
    assert scope == Scope(township_ids=frozenset({towns[OTHER_TOWNSHIP_CODE]}), households=False)
