"""The planner's edits: moves are validated, stale versions refused (409), locks kept on rebalance."""

import pytest
from sqlalchemy import text

from gridmgmt.domain.grid_rules import GridError, GridRules, StaleCell
from gridmgmt.services.grids.allocation import allocate_township
from gridmgmt.services.grids.edits import move_households, set_locked
from gridmgmt.services.grids.locks import plan_locks, unlock
from gridmgmt.services.grids.rebalance import preview_rebalance, rebalance
from tests.actors import ACTOR
from tests.integration import grid_town

RULES = GridRules()
W1, W2, B1 = "441624199201W01", "441624199201W02", "441624199202W01"


@pytest.fixture
def plan(session):
    grid_town.build(session)
    return allocate_township(session, grid_town.TOWN, "试算", RULES, actor=ACTOR).plan_id


def _versions(session, plan):
    return dict(session.execute(text("SELECT code, version FROM grid_cell WHERE plan_id = :p"), {"p": plan}).all())


def _nearest_to(session, plan, frm, to, far=False):
    """Household of cell FRM nearest to (or, FAR, farthest from) cell TO."""
    return session.execute(
        text(
            f"SELECT h.code FROM grid_membership m JOIN household h ON h.id = m.household_id "
            f"JOIN grid_cell a ON a.id = m.cell_id AND a.code = :frm JOIN grid_cell b ON b.plan_id = a.plan_id "
            f"AND b.code = :to WHERE m.plan_id = :p ORDER BY ST_Distance(h.geom, b.geom) {'DESC' if far else ''} "
            f"LIMIT 1"
        ),
        {"p": plan, "frm": frm, "to": to},
    ).scalar_one()


def _cell_of(session, plan, code):
    return session.execute(
        text(
            "SELECT c.code FROM grid_membership m JOIN household h ON h.id = m.household_id JOIN grid_cell c "
            "ON c.id = m.cell_id WHERE m.plan_id = :p AND h.code = :h"
        ),
        {"p": plan, "h": code},
    ).scalar_one()


def test_move_a_border_household_then_a_stale_save_is_refused(session, plan):
    seen = _versions(session, plan)
    house = _nearest_to(session, plan, W1, W2)
    result = move_households(session, plan, [house], W2, seen, actor=ACTOR)
    assert result.versions == {W1: seen[W1] + 1, W2: seen[W2] + 1}
    assert _cell_of(session, plan, house) == W2
    inside = session.execute(
        text(
            "SELECT ST_Intersects(c.geom, h.geom) FROM grid_cell c, household h WHERE c.plan_id = :p "
            "AND c.code = :c AND h.code = :h"
        ),
        {"p": plan, "c": W2, "h": house},
    ).scalar_one()
    assert inside
    # A second editor still holding the old versions: refused, and nothing changes.
    other = _nearest_to(session, plan, W1, W2)
    with pytest.raises(StaleCell) as err:
        move_households(session, plan, [other], W2, seen, actor=ACTOR)
    assert set(err.value.changed) == {W1, W2} and "已被他人修改" in str(err.value)
    assert _cell_of(session, plan, other) == W1 and _versions(session, plan) == {**seen, **result.versions}


def test_moves_that_break_the_rules_are_refused_with_reasons(session, plan):
    seen = _versions(session, plan)
    far = _nearest_to(session, plan, W1, W2, far=True)
    with pytest.raises(GridError, match="不连片"):
        move_households(session, plan, [far], W2, seen, actor=ACTOR)
    with pytest.raises(GridError, match="不能跨村"):
        move_households(session, plan, [far], B1, seen, actor=ACTOR)
    with pytest.raises(GridError, match="没有这些农户：X9"):
        move_households(session, plan, ["X9"], W2, seen, actor=ACTOR)
    with pytest.raises(GridError, match="没有网格 W9"):
        move_households(session, plan, [far], "W9", seen, actor=ACTOR)
    assert _cell_of(session, plan, far) == W1 and _versions(session, plan) == seen


def test_rebalance_keeps_a_locked_cell(session, plan):
    seen = _versions(session, plan)
    set_locked(session, plan, W1, True, seen[W1], actor=ACTOR)
    before = session.execute(
        text("SELECT id, ST_AsEWKB(geom) FROM grid_cell WHERE plan_id = :p AND code = :c"), {"p": plan, "c": W1}
    ).one()
    with pytest.raises(StaleCell):
        set_locked(session, plan, W1, False, seen[W1], actor=ACTOR)
    report = rebalance(session, plan, actor=ACTOR)
    after = session.execute(
        text("SELECT id, ST_AsEWKB(geom) FROM grid_cell WHERE plan_id = :p AND code = :c"), {"p": plan, "c": W1}
    ).one()
    assert tuple(before) == tuple(after)
    assert report.cells == 3
    # W2 was made again under its old code: an editor's old version of it no longer matches.
    with pytest.raises(StaleCell):
        move_households(
            session,
            plan,
            [_nearest_to(session, plan, W2, W1)],
            W1,
            _versions(session, plan) | {W2: seen[W2]},
            actor=ACTOR,
        )
    assert (
        session.execute(text("SELECT count(*) FROM grid_membership WHERE plan_id = :p"), {"p": plan}).scalar_one()
        == 420
    )


def test_rebalance_keeps_a_hand_moved_household_until_it_is_unlocked(session, plan):
    house = _nearest_to(session, plan, W1, W2)
    move_households(session, plan, [house], W2, _versions(session, plan), actor=ACTOR)
    assert [(lock["code"], lock["cell"], lock["edit"]) for lock in plan_locks(session, plan)] == [(house, W2, "move")]
    preview = preview_rebalance(session, plan)
    assert preview.kept == [W2] and preview.locks == 1 and preview.households == 420
    assert _cell_of(session, plan, house) == W2  # the preview changed nothing
    assert sum(c["leave"] for c in preview.changes) == preview.moved
    rebalance(session, plan, actor=ACTOR)
    assert _cell_of(session, plan, house) == W2
    assert unlock(session, plan, None, actor=ACTOR) == 1 and plan_locks(session, plan) == []
    with pytest.raises(GridError, match="没有需要解锁"):
        unlock(session, plan, [house], actor=ACTOR)


def test_rebalance_without_edits_changes_nothing_and_keeps_the_codes(session, plan):
    house = _nearest_to(session, plan, W1, W2)
    preview = preview_rebalance(session, plan)
    assert (preview.kept, preview.locks, preview.moved, preview.changes) == ([], 0, 0, [])
    rebalance(session, plan, actor=ACTOR)
    assert _cell_of(session, plan, house) == W1  # new cells take the code of the old cell they match
