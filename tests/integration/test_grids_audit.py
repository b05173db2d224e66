"""Grid plans leave audit rows (issue 13): allocate, each edit, rebalance, assign, publish and the archive it
causes, under the acting user; a refused step leaves none."""

import pytest
from sqlalchemy import select

from gridmgmt.db.models import AuditLog
from gridmgmt.domain.grid_rules import GridError, GridRules
from gridmgmt.services.accounts.actors import Actor
from gridmgmt.services.grids import plans as grid_plans
from gridmgmt.services.grids.allocation import allocate_township
from gridmgmt.services.grids.assignment import assign
from gridmgmt.services.grids.edits import move_households, set_locked
from gridmgmt.services.grids.rebalance import rebalance
from tests.integration import grid_town
from tests.integration.test_grids_edits import W1, W2, _nearest_to, _versions

PLANNER = Actor("planner_wang", None, "10.1.2.3")


def _rows(session) -> list[tuple]:
    session.expire_all()
    return session.execute(
        select(AuditLog.action, AuditLog.actor, AuditLog.remote_addr, AuditLog.target, AuditLog.detail).order_by(
            AuditLog.id
        )
    ).all()


def test_every_step_of_a_plan_is_audited(session):
    grid_town.build(session)
    first = allocate_township(session, grid_town.TOWN, "旧方案", GridRules(), actor=PLANNER).plan_id
    grid_plans.publish(session, first, allow_no_worker=True, actor=PLANNER)
    plan = allocate_township(session, grid_town.TOWN, "新方案", GridRules(), actor=PLANNER).plan_id
    seen = _versions(session, plan)
    move_households(session, plan, [_nearest_to(session, plan, W1, W2)], W2, seen, actor=PLANNER)
    set_locked(session, plan, W2, True, _versions(session, plan)[W2], actor=PLANNER)
    rebalance(session, plan, actor=PLANNER)
    assign(session, plan, actor=PLANNER)
    grid_plans.publish(session, plan, actor=PLANNER)
    rows = _rows(session)
    assert {(actor, addr) for _, actor, addr, _, _ in rows} == {("planner_wang", "10.1.2.3")}
    new, old = f"网格方案 {plan}“新方案”", f"网格方案 {first}“旧方案”"
    assert [(action, target) for action, _, _, target, _ in rows] == [
        ("allocate_plan", old),
        ("publish_plan", old),
        ("allocate_plan", new),
        ("edit_plan", new),
        ("edit_plan", new),
        ("rebalance_plan", new),
        ("assign_plan", new),
        ("archive_plan", old),
        ("publish_plan", new),
    ]
    details = [detail for *_, detail in rows]
    assert details[2] == {"township": grid_town.TOWN, "cells": 3}
    assert details[3] == {"edit": "move", "cells": sorted([W1, W2])}
    assert details[4] == {"edit": "lock", "cells": [W2]}
    assert details[5]["locked"] == 1
    assert details[7] == {"replaced_by": plan}


def test_a_refused_step_writes_no_audit_row(session):
    grid_town.build(session)
    plan = allocate_township(session, grid_town.TOWN, "方案", GridRules(), actor=PLANNER).plan_id
    with pytest.raises(GridError, match="尚无网格员"):
        grid_plans.publish(session, plan, actor=PLANNER)
    session.rollback()
    assert [action for action, *_ in _rows(session)] == ["allocate_plan"]
