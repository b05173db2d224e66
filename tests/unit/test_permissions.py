"""The permission rules: actions by role, scopes, masking."""

import pytest

from gridmgmt.domain.permissions import (
    MASK,
    PERMISSIONS,
    Scope,
    mask_flags,
    may,
    role_scope,
    sees_household,
    sees_township,
    sees_village,
    shows_sensitive,
)
from gridmgmt.domain.vocab import ROLES

TOWN, OTHER_TOWN = 1, 2
# A grid worker posted to village 10 who holds cell 7 (in village 20).
WORKER = Scope(
    township_ids=frozenset({TOWN}),
    village_ids=frozenset({10}),
    grid_cell_ids=frozenset({7}),
    cell_village_ids=frozenset({20}),
)
PLANNER = Scope(township_ids=frozenset({TOWN}))
ADMIN = Scope(township_ids=None)
REVIEWER = Scope(township_ids=frozenset({TOWN}), households=False)
PUBLIC = Scope(township_ids=frozenset({TOWN, OTHER_TOWN}), households=False)


def test_every_action_names_only_known_roles():
    for action, roles in PERMISSIONS.items():
        assert roles <= set(ROLES), action


@pytest.mark.parametrize(
    "role, action, allowed",
    [
        ("admin", "view_audit", True),
        ("planner", "view_audit", False),
        ("leader", "view_household", True),
        ("leader", "view_sensitive", False),
        ("reviewer", "view_household", False),
        ("reviewer", "review_sites", True),
        ("grid_worker", "view_sensitive", True),
        ("grid_worker", "view_township", False),
        ("grid_worker", "use_phone_layout", True),
        ("planner", "use_phone_layout", False),
        ("planner", "edit_grids", True),
        ("leader", "edit_grids", False),
        ("admin", "no_such_action", False),
        ("intruder", "view_village", False),
    ],
)
def test_may(role, action, allowed):
    assert may(role, action) is allowed


def test_only_admin_scope_is_everything():
    assert ADMIN.is_everything
    assert not PLANNER.is_everything and not WORKER.is_everything
    assert not Scope(township_ids=None, households=False).is_everything


@pytest.mark.parametrize(
    "role, households",
    [
        ("planner", True),
        ("leader", True),
        ("reviewer", False),
    ],
)
def test_role_scope_is_the_township_with_households_for_roles_that_view_them(role, households):
    assert role_scope(role, TOWN) == Scope(township_ids=frozenset({TOWN}), households=households)
    assert role_scope("admin", None) == ADMIN


@pytest.mark.parametrize(
    "scope, township, seen",
    [
        (ADMIN, OTHER_TOWN, True),
        (PLANNER, TOWN, True),
        (PLANNER, OTHER_TOWN, False),
        (PUBLIC, OTHER_TOWN, True),
        (Scope(township_ids=frozenset()), TOWN, False),
    ],
)
def test_sees_township(scope, township, seen):
    assert sees_township(scope, township) is seen


@pytest.mark.parametrize(
    "scope, township, village, cell, seen",
    [
        (ADMIN, OTHER_TOWN, 99, None, True),
        (PLANNER, TOWN, 99, None, True),
        (PLANNER, OTHER_TOWN, 10, None, False),
        (WORKER, TOWN, 10, None, True),  # their 包村 village
        (WORKER, TOWN, 20, 7, True),  # their cell, in another village
        (WORKER, TOWN, 20, 8, False),  # same village, someone else's cell
        (WORKER, TOWN, 20, None, False),
        (WORKER, OTHER_TOWN, 10, None, False),
        (REVIEWER, TOWN, 99, None, False),  # their township, but no household at all
        (PUBLIC, TOWN, 99, None, False),
    ],
)
def test_sees_household(scope, township, village, cell, seen):
    assert sees_household(scope, township, village, cell) is seen


@pytest.mark.parametrize(
    "scope, township, village, seen",
    [
        (ADMIN, OTHER_TOWN, 5, True),
        (PLANNER, TOWN, 5, True),
        (PLANNER, OTHER_TOWN, 5, False),
        (WORKER, TOWN, 10, True),
        (WORKER, TOWN, 20, True),  # holds a cell there
        (WORKER, TOWN, 30, False),
        (REVIEWER, TOWN, 5, True),  # the village, without its households
    ],
)
def test_sees_village(scope, township, village, seen):
    assert sees_village(scope, township, village) is seen


def test_an_empty_worker_scope_sees_nothing():
    empty = Scope(township_ids=frozenset({TOWN}), village_ids=frozenset())
    assert not sees_household(empty, TOWN, 10, None)
    assert not sees_village(empty, TOWN, 10)


@pytest.mark.parametrize(
    "role, in_scope, shown",
    [
        ("admin", True, True),
        ("planner", True, True),
        ("grid_worker", True, True),
        ("grid_worker", False, False),
        ("leader", True, False),
        ("reviewer", True, False),
    ],
)
def test_shows_sensitive(role, in_scope, shown):
    assert shows_sensitive(role, in_scope) is shown


def test_mask_flags():
    flags = {"hardship": True, "petitioner": False}
    assert mask_flags(flags, show=True) == flags
    assert mask_flags(flags, show=False) == {"hardship": MASK, "petitioner": MASK}


def test_mask_flags_refuses_other_fields():
    with pytest.raises(ValueError, match="head"):
        mask_flags({"head": "张三"}, show=False)
