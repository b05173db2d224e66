"""The accounts as the admin pages and `gridmgmt user list` show them (queries only)."""

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import ApiToken, AppUser, Cadre, Township
from gridmgmt.domain.errors import NotFound
from gridmgmt.domain.permissions import COUNTY_CODE_LENGTH


@dataclass(frozen=True)
class Account:
    """One user with their township (or county) and cadre by code and name, and (on their own page) their tokens."""

    id: int
    username: str
    role: str
    active: bool
    township_code: str | None
    township_name: str | None
    county_code: str | None
    cadre_code: str | None
    cadre_name: str | None
    tokens: list[ApiToken] = field(default_factory=list)


def _query():
    return (
        select(
            AppUser.id,
            AppUser.username,
            AppUser.role,
            AppUser.active,
            Township.code,
            Township.name,
            AppUser.county_code,
            Cadre.code,
            Cadre.name,
        )
        .outerjoin(Township, AppUser.township_id == Township.id)
        .outerjoin(Cadre, AppUser.cadre_id == Cadre.id)
    )


def accounts(session: Session) -> list[Account]:
    """Every user, by username."""
    return [Account(*row) for row in session.execute(_query().order_by(AppUser.username))]


def account(session: Session, user_id: int) -> Account:
    """The user USER_ID with their tokens, newest first; NotFound when there is none."""
    row = session.execute(_query().where(AppUser.id == user_id)).one_or_none()
    if row is None:
        raise NotFound(f"没有编号为 {user_id} 的用户")
    tokens = session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())).all()
    return Account(*row, tokens=list(tokens))


def townships(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every township, for choosing a user's scope."""
    return [tuple(row) for row in session.execute(select(Township.code, Township.name).order_by(Township.code))]


def counties(session: Session) -> list[tuple[str, str]]:
    """(county code, county name) of every county with a township, for choosing a county user's scope."""
    code = func.left(Township.code, COUNTY_CODE_LENGTH)
    rows = session.execute(select(code, func.max(Township.county)).group_by(code).order_by(code))
    return [(county, name or county) for county, name in rows]
