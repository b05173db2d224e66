"""Who may do what, and which household fields each role sees: plain data and pure functions.

The route-by-role matrix that the web tests walk is docs/permissions.md; this
module holds the rules those routes ask.
"""

from dataclasses import dataclass

from gridmgmt.domain.vocab import MUST_VISIT_FLAGS, ROLES

MASK = "***"

# Action → roles allowed. Scope (township, grid) is checked separately.
PERMISSIONS: dict[str, frozenset[str]] = {
    "view_township": frozenset({"admin", "planner", "reviewer", "leader"}),
    "export_maps": frozenset({"admin", "planner", "reviewer", "leader"}),
    "view_coverage": frozenset({"admin", "planner", "leader"}),
    "view_village": frozenset(ROLES),
    "view_household": frozenset({"admin", "planner", "grid_worker", "leader"}),
    "view_sensitive": frozenset({"admin", "planner", "grid_worker"}),
    "use_phone_layout": frozenset({"grid_worker"}),
    "edit_grids": frozenset({"admin", "planner"}),
    "review_sites": frozenset({"admin", "planner", "reviewer"}),
    "decide_sites": frozenset({"reviewer"}),  # only reviewers change a site's status
    "view_audit": frozenset({"admin"}),
    "manage_users": frozenset({"admin"}),
    "record_visits": frozenset({"grid_worker"}),
    # 组织生活 meetings: recorded on the phone at the venue, or by the township's planners.
    "record_meetings": frozenset({"admin", "planner", "grid_worker"}),
    "edit_pairings": frozenset({"admin", "planner"}),  # 一帮一 pairings
    "view_compliance": frozenset({"admin", "planner", "leader"}),
    "edit_duties": frozenset({"admin", "planner"}),
    "edit_postings": frozenset({"admin", "planner"}),  # 包村/挂点/第一书记/工作队 postings
    # Follow-ups (民情/需跟进): the township and the village see them; leaders only read.
    "view_followups": frozenset({"admin", "planner", "leader", "grid_worker"}),
    "handle_followups": frozenset({"admin", "planner", "grid_worker"}),
    # Command line: whole layers with names and phones out (gridmgmt export, export-gpkg), files in (import).
    "export_data": frozenset({"admin", "planner"}),
    "import_data": frozenset({"admin", "planner"}),
    # 县级总览: the county's townships side by side (a county user's own county; admins any).
    "view_county": frozenset({"admin", "planner", "leader"}),
}
# Roles that may answer for a whole county instead of one township (admins see every county).
COUNTY_ROLES = frozenset({"planner", "leader"})
COUNTY_CODE_LENGTH = 6


class Forbidden(PermissionError):
    """The user's role or scope does not allow the request."""


def may(role: str, action: str) -> bool:
    """True when ROLE may perform ACTION; unknown actions are refused."""
    return role in PERMISSIONS.get(action, frozenset())


@dataclass(frozen=True)
class Scope:
    """What a user may see: townships (None: every township), whether households at all,
    and, for grid workers, the villages they answer for and the grid cells they hold.

    Every page, tile, feature and service that shows or takes a household asks the scope
    (sees_household here, its SQL twin gridmgmt.db.queries.household_scope).
    """

    township_ids: frozenset[int] | None
    households: bool = True  # False: no household code, name, group or point at all
    village_ids: frozenset[int] | None = None  # None: every village of the townships
    grid_cell_ids: frozenset[int] = frozenset()
    cell_village_ids: frozenset[int] = frozenset()  # villages the grid cells lie in

    @property
    def is_everything(self) -> bool:
        """True for an admin's scope."""
        return self.township_ids is None and self.village_ids is None and self.households


def sees_township(scope: Scope, township_id: int) -> bool:
    """True when SCOPE covers (part of) the township TOWNSHIP_ID."""
    return scope.township_ids is None or township_id in scope.township_ids


def sees_village(scope: Scope, township_id: int, village_id: int) -> bool:
    """True when SCOPE covers the village VILLAGE_ID of TOWNSHIP_ID."""
    if not sees_township(scope, township_id):
        return False
    if scope.village_ids is None:
        return True
    return village_id in scope.village_ids or village_id in scope.cell_village_ids


def sees_household(scope: Scope, township_id: int, village_id: int, grid_cell_id: int | None) -> bool:
    """True when SCOPE covers a household of VILLAGE_ID in GRID_CELL_ID."""
    if not scope.households or not sees_township(scope, township_id):
        return False
    if scope.village_ids is None:
        return True
    return village_id in scope.village_ids or grid_cell_id in scope.grid_cell_ids


def role_scope(role: str, township_id: int | None) -> Scope:
    """The scope of a user with ROLE in TOWNSHIP_ID, for every role but grid_worker
    (whose scope follows their cadre's assignments): admins see everything; the others
    their township, and its households only when the role may view households."""
    if role == "admin":
        return Scope(township_ids=None)
    return Scope(township_ids=frozenset({township_id}), households=may(role, "view_household"))


def county_of(township_code: str) -> str:
    """The county code of TOWNSHIP_CODE: the first six digits of a 12-digit 统计用区划代码."""
    return township_code[:COUNTY_CODE_LENGTH]


def covers_code(role: str, own_township: str | None, own_county: str | None, township_code: str) -> bool:
    """True when a user with ROLE tied to OWN_TOWNSHIP or OWN_COUNTY may open TOWNSHIP_CODE's pages."""
    if role == "admin":
        return True
    if own_county is not None:
        return county_of(township_code) == own_county
    return own_township == township_code


def covers_county(role: str, own_county: str | None, county_code: str) -> bool:
    """True when a user with ROLE tied to OWN_COUNTY may open the county COUNTY_CODE's pages:
    admins any county, county users their own, township users none."""
    if not may(role, "view_county"):
        return False
    return role == "admin" or own_county == county_code


def shows_sensitive(role: str, in_scope: bool) -> bool:
    """True when ROLE, for a household it may see (IN_SCOPE), gets the 四必访 flags."""
    return in_scope and may(role, "view_sensitive")


def mask_flags(flags: dict[str, bool], show: bool) -> dict[str, bool | str]:
    """The 四必访 FLAGS as they are when SHOW, else every value replaced by MASK."""
    unknown = set(flags) - set(MUST_VISIT_FLAGS)
    if unknown:
        raise ValueError(f"not a must-visit flag: {sorted(unknown)}")
    return {name: (value if show else MASK) for name, value in flags.items()}
