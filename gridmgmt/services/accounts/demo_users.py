"""One demo user per role for the demo township, the 网格员 of a published cell when it has a plan, and a
county leader when its county has other townships (the county demo), with a known password; idempotent."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from geodata.demo import township_codes
from gridmgmt.db.models import AppUser, Cadre, CadreVillage, GridCell, GridPlan, Township, Village
from gridmgmt.db.queries import posting_in_force, published_cells
from gridmgmt.domain.vocab import ROLES
from gridmgmt.services.accounts.actors import Actor
from gridmgmt.services.accounts.users import AccountError, add_user

DEMO_PASSWORD = "wangge2026"  # passes the password policy (gridmgmt.domain.passwords)
DEMO_USERS = {
    "admin": "demo_admin",
    "planner": "demo_planner",
    "reviewer": "demo_reviewer",
    "grid_worker": "demo_grid",
    "leader": "demo_leader",
}
DEMO_COUNTY_USER = "demo_county"  # a leader of the demo township's county, when it has other townships
DEMO_CELL_USER = "demo_cell"  # the 网格员 of a published cell, when the township has one (make demo publishes a plan)


@dataclass(frozen=True)
class DemoLogin:
    """A demo account as printed for the user."""

    role: str
    username: str
    created: bool  # False: it existed already and keeps its password
    note: str = ""


def _posted_cadre(session: Session, township_id: int, day: date) -> tuple[str, str, str]:
    """(code, name, village name) of the first cadre posted 包村 to a village of the township on DAY."""
    row = session.execute(
        select(Cadre.code, Cadre.name, Village.name)
        .join(CadreVillage, CadreVillage.cadre_id == Cadre.id)
        .join(Village, CadreVillage.village_id == Village.id)
        .where(Cadre.township_id == township_id, CadreVillage.assignment == "bao_cun", posting_in_force(day))
        .order_by(Cadre.code)
    ).first()
    if row is None:
        raise AccountError("演示乡镇没有包村干部，无法创建网格员账号")
    return tuple(row)


def ensure_demo_users(
    session: Session, day: date, township_code: str | None = None, *, actor: Actor
) -> list[DemoLogin]:
    """Create the missing demo users of the demo township (default: the generated one), audited as
    ACTOR's; the grid worker is a cadre posted 包村 on DAY."""
    code = township_code or township_codes("township")[0]
    township = session.scalar(select(Township).where(Township.code == code))
    if township is None:
        raise AccountError(f"没有编码为 {code} 的乡镇：请先运行 gridmgmt demo")
    cadre_code, cadre_name, village = _posted_cadre(session, township.id, day)
    logins = []
    for role, username in DEMO_USERS.items():
        exists = session.scalar(select(AppUser.id).where(AppUser.username == username)) is not None
        if not exists:
            add_user(
                session,
                username,
                role,
                DEMO_PASSWORD,
                township_code=None if role == "admin" else code,
                cadre_code=cadre_code if role == "grid_worker" else None,
                actor=actor,
            )
        note = f"包村干部 {cadre_name}，{village}" if role == "grid_worker" else ""
        logins.append(DemoLogin(role, username, not exists, note))
    return logins + _cell_login(session, township, cadre_code, actor) + _county_login(session, code[:6], actor)


def _cell_login(session: Session, township: Township, posted_code: str, actor: Actor) -> list[DemoLogin]:
    """The demo 网格员 who holds a published cell (我的网格 of a cell holder), when some cell's worker is
    another cadre than the demo grid worker POSTED_CODE."""
    row = session.execute(
        published_cells(select(Cadre.code, Cadre.name, GridCell.name, GridCell.code).select_from(GridCell))
        .join(Cadre, Cadre.id == GridCell.grid_worker_id)
        .where(GridPlan.township_id == township.id, Cadre.code != posted_code)
        .order_by(GridCell.code)
    ).first()
    if row is None:
        return []
    cadre_code, cadre_name, cell_name, cell_code = row
    exists = session.scalar(select(AppUser.id).where(AppUser.username == DEMO_CELL_USER)) is not None
    if not exists:
        add_user(
            session,
            DEMO_CELL_USER,
            "grid_worker",
            DEMO_PASSWORD,
            township_code=township.code,
            cadre_code=cadre_code,
            actor=actor,
        )
    return [DemoLogin("grid_worker", DEMO_CELL_USER, not exists, f"{cadre_name}，{cell_name}")]


def _county_login(session: Session, county: str, actor: Actor) -> list[DemoLogin]:
    """The demo county leader (县级总览) of COUNTY, made when the county has more than one township."""
    townships = session.scalar(
        select(func.count()).select_from(Township).where(Township.code.startswith(county, autoescape=True))
    )
    if townships < 2:
        return []
    exists = session.scalar(select(AppUser.id).where(AppUser.username == DEMO_COUNTY_USER)) is not None
    if not exists:
        add_user(session, DEMO_COUNTY_USER, "leader", DEMO_PASSWORD, county_code=county, actor=actor)
    return [DemoLogin("leader", DEMO_COUNTY_USER, not exists, f"县级总览：县 {county} 的 {townships} 个乡镇")]


def describe(logins: list[DemoLogin]) -> list[str]:
    """Chinese lines listing LOGINS for the terminal."""
    lines = ["演示账号（浏览器打开网址后登录）："]
    for login in logins:
        kept = "" if login.created else "（账号已存在，密码如未修改仍为此）"
        password = DEMO_PASSWORD + kept
        note = f"，{login.note}" if login.note else ""
        lines.append(f"  用户名 {login.username:<14} 密码 {password}  （{ROLES[login.role]}{note}）")
    return lines
