"""Cadres, a published grid and one user per role on top of the sample township.

The grid worker 网格员甲 (cadre G001) is posted (包村) to 西村 and holds grid
cell W1 of the published plan, which holds one household of 东村
(44150010020201001). So their scope is 西村's two households plus that one;
44150010020202001 and 44150010020202002 of 东村 are outside it. 邻镇 gets one
village, 邻村 (441500200201), outside every 示范镇 user's scope.
"""

from functools import lru_cache

from sqlalchemy import select

from gridmgmt.db.models import AppUser, Cadre, CadreVillage, GridCell, GridPlan, Household, Township, Village
from gridmgmt.db.models.grids import GridMembership
from gridmgmt.db.session import make_session
from gridmgmt.services.accounts.logins import start_session
from gridmgmt.services.accounts.users import hash_password
from tests.web.sample import OTHER_TOWNSHIP_CODE, TOWNSHIP_CODE, _box
from web.auth import cookie_id

PASSWORD = "sample-pass-1"
OTHER_VILLAGE_CODE = "441500200201"
IN_SCOPE = ("44150010020101001", "44150010020102001", "44150010020201001")
OUT_OF_SCOPE = ("44150010020202001", "44150010020202002")
# username → (role, township code)
USERS = {
    "admin": ("admin", None),
    "planner": ("planner", TOWNSHIP_CODE),
    "reviewer": ("reviewer", TOWNSHIP_CODE),
    "grid_worker": ("grid_worker", TOWNSHIP_CODE),
    "leader": ("leader", TOWNSHIP_CODE),
    "other_planner": ("planner", OTHER_TOWNSHIP_CODE),
}


@lru_cache
def password_hash() -> str:
    """One argon2 hash of PASSWORD for every sample user (hashing is slow on purpose)."""
    return hash_password(PASSWORD)


def add_people(session) -> dict[str, int]:
    """Add the grid worker's posting and cell and the USERS; returns user ids by username."""
    towns = dict(session.execute(select(Township.code, Township.id)).all())
    villages = dict(session.execute(select(Village.name, Village.id)).all())
    session.add(
        Village(
            township_id=towns[OTHER_TOWNSHIP_CODE],
            code=OTHER_VILLAGE_CODE,
            name="邻村",
            geom=_box(115.80, 23.88, 115.83, 23.92),
        )
    )
    cadre = Cadre(township_id=towns[TOWNSHIP_CODE], code="G001", name="网格员甲", cadre_role="grid_worker")
    session.add(cadre)
    session.flush()
    session.add(CadreVillage(cadre_id=cadre.id, village_id=villages["西村"], assignment="bao_cun"))
    plan = GridPlan(township_id=towns[TOWNSHIP_CODE], name="2026 网格", status="published")
    session.add(plan)
    session.flush()
    cell = GridCell(
        plan_id=plan.id,
        village_id=villages["东村"],
        code="W1",
        name="东村一格",
        grid_worker_id=cadre.id,
        geom=_box(115.735, 23.905, 115.745, 23.915),
    )
    session.add(cell)
    session.flush()
    home = session.scalars(select(Household).where(Household.code == IN_SCOPE[2])).one()
    home.grid_cell_id = cell.id  # as publishing the plan would: the household's cell and its membership
    session.add(GridMembership(plan_id=plan.id, household_id=home.id, cell_id=cell.id))
    users = {}
    for username, (role, town) in USERS.items():
        user = AppUser(
            username=username,
            role=role,
            password_hash=password_hash(),
            township_id=towns.get(town),
            cadre_id=cadre.id if role == "grid_worker" else None,
        )
        session.add(user)
        session.flush()
        users[username] = user.id
    session.commit()
    return users


def log_in(client, user_id: int, db_url: str | None = None) -> None:
    """Make CLIENT's session that of USER_ID, as a successful login would (a login session and its cookie).

    DB_URL: where to write the login session when not the client's app database (an app
    whose database is down)."""
    with make_session(db_url or client.application.config["DATABASE_URL"]) as session:
        key = start_session(session, user_id)
    with client.session_transaction() as sess:
        sess["_user_id"] = cookie_id(user_id, key)
        sess["_fresh"] = True


def household_id(session, code: str) -> int | None:
    """The id of the household CODE."""
    return session.scalar(select(Household.id).where(Household.code == code))
