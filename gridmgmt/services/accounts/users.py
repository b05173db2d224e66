"""Accounts: users, argon2 passwords under a policy, enabling and disabling, access tokens.

Logins, their rate limit and login sessions are in gridmgmt.services.accounts.logins.
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from gridmgmt.db.models import ApiToken, AppUser, Cadre, Township
from gridmgmt.domain.errors import UserError
from gridmgmt.domain.passwords import password_problem
from gridmgmt.domain.permissions import COUNTY_CODE_LENGTH, COUNTY_ROLES
from gridmgmt.domain.vocab import ROLES
from gridmgmt.services.accounts.audit import Actor, record

TOKEN_PREFIX = "gm_"


class AccountError(UserError, ValueError):
    """A bad account request; the message is Chinese and safe to show."""


@lru_cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@lru_cache
def _dummy_hash() -> str:
    # Verified against when the username is unknown, so both cases take as long.
    return _hasher().hash("not-a-password")


def hash_password(password: str) -> str:
    """The argon2id hash of PASSWORD, with no policy check (new_password_hash checks)."""
    return _hasher().hash(password)


def new_password_hash(username: str, password: str) -> str:
    """The hash of USERNAME's new PASSWORD; AccountError when the policy refuses it."""
    problem = password_problem(password, username)
    if problem:
        raise AccountError(problem)
    return hash_password(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when PASSWORD matches PASSWORD_HASH; with no hash (unknown user) as slow, and False."""
    try:
        matches = _hasher().verify(password_hash or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return matches and password_hash is not None


def secret_hash(secret: str) -> str:
    """The SHA-256 (hex) stored instead of a token's or a session cookie's secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def find_user(session: Session, username: str) -> AppUser:
    """The user named USERNAME; AccountError when there is none."""
    user = session.scalar(select(AppUser).where(AppUser.username == username))
    if user is None:
        raise AccountError(f"没有用户 {username}")
    return user


def _township_id(session: Session, code: str | None) -> int | None:
    if code is None:
        return None
    found = session.scalar(select(Township.id).where(Township.code == code))
    if found is None:
        raise AccountError(f"没有编码为 {code} 的乡镇")
    return found


def _cadre(session: Session, code: str | None) -> Cadre | None:
    if code is None:
        return None
    cadre = session.scalar(select(Cadre).where(Cadre.code == code))
    if cadre is None:
        raise AccountError(f"没有编码为 {code} 的干部")
    return cadre


def _county(session: Session, code: str | None) -> str | None:
    """CODE when it is the county of at least one township; AccountError otherwise."""
    if code is None:
        return None
    if not (len(code) == COUNTY_CODE_LENGTH and code.isascii() and code.isdigit()):
        raise AccountError(f"县编码须为 6 位数字（乡镇编码的前 6 位），不是 {code}")
    if session.scalar(select(Township.id).where(Township.code.startswith(code)).limit(1)) is None:
        raise AccountError(f"没有编码以 {code} 开头的乡镇")
    return code


def _check_role(role: str, township_id: int | None, cadre: Cadre | None, county: str | None = None) -> None:
    if role not in ROLES:
        raise AccountError(f"未知角色 {role}；可选：{'、'.join(ROLES)}")
    if county is not None and township_id is not None:
        raise AccountError("乡镇和县只能选一个：县级用户不属于某一个乡镇")
    if county is not None and role not in COUNTY_ROLES:
        raise AccountError(
            f"只有{'、'.join(ROLES[r] for r in sorted(COUNTY_ROLES))}可以属于一个县（系统管理员本就可看全部县）"
        )
    if role != "admin" and township_id is None and county is None:
        raise AccountError("除系统管理员外，用户必须属于一个乡镇（--township）或一个县（--county）")
    if role == "grid_worker" and cadre is None:
        raise AccountError("网格员必须关联一名干部（--cadre）")


def add_user(
    session: Session,
    username: str,
    role: str,
    password: str,
    township_code: str | None = None,
    cadre_code: str | None = None,
    *,
    actor: Actor,
    county_code: str | None = None,
) -> AppUser:
    """Create and commit a user (audited as ACTOR's), tied to TOWNSHIP_CODE or, for county leaders and
    planners, COUNTY_CODE; a grid worker's township defaults to their cadre's."""
    if not username or len(username) > 64 or not username.isprintable():
        raise AccountError("用户名须为 1–64 个字符，不含控制字符")
    if session.scalar(select(AppUser.id).where(AppUser.username == username)):
        raise AccountError(f"用户 {username} 已存在")
    cadre = _cadre(session, cadre_code)
    township_id = _township_id(session, township_code)
    if township_id is None and cadre is not None:
        township_id = cadre.township_id
    county = _county(session, county_code)
    _check_role(role, township_id, cadre, county)
    user = AppUser(
        username=username,
        role=role,
        password_hash=new_password_hash(username, password),
        township_id=township_id,
        county_code=county,
        cadre_id=cadre.id if cadre else None,
    )
    session.add(user)
    detail = _access(role, township_code, cadre_code, county)
    record(session, actor, "add_user", target=username, detail=detail)
    session.commit()
    return user


def _access(role: str, township_code: str | None, cadre_code: str | None, county_code: str | None = None) -> dict:
    """An account's role and scope as the audit log's detail."""
    scope = {"role": role, "township": township_code, "cadre": cadre_code}
    return scope if county_code is None else {**scope, "county": county_code}


def set_password(session: Session, username: str, password: str, *, actor: Actor) -> None:
    """Replace USERNAME's password (audited); every browser logged in as them must log in again."""
    user = find_user(session, username)
    user.password_hash = new_password_hash(username, password)
    record(session, actor, "set_password", target=username)
    session.commit()


def set_access(
    session: Session,
    username: str,
    role: str,
    township_code: str | None,
    cadre_code: str | None,
    *,
    actor: Actor,
    county_code: str | None = None,
) -> None:
    """Give USERNAME ROLE in TOWNSHIP_CODE or COUNTY_CODE, tied to CADRE_CODE (same rules as add_user);
    audited with the old and new values. Ends their sessions; the last active admin keeps their role."""
    user = find_user(session, username)
    cadre = _cadre(session, cadre_code)
    township_id = _township_id(session, township_code)
    if township_id is None and cadre is not None:
        township_id = cadre.township_id
    county = _county(session, county_code)
    _check_role(role, township_id, cadre, county)
    if role != "admin":
        _keep_an_admin(session, user)
    before = _access(user.role, *_codes(session, user), user.county_code)
    user.role, user.township_id, user.cadre_id = role, township_id, cadre.id if cadre else None
    user.county_code = county
    after = _access(role, *_codes(session, user), county)
    record(session, actor, "change_role", target=username, detail={"before": before, "after": after})
    session.commit()


def _codes(session: Session, user: AppUser) -> tuple[str | None, str | None]:
    """(township code, cadre code) of USER."""
    township = session.scalar(select(Township.code).where(Township.id == user.township_id))
    cadre = session.scalar(select(Cadre.code).where(Cadre.id == user.cadre_id))
    return township, cadre


def set_role(session: Session, username: str, role: str, *, actor: Actor) -> None:
    """Give USERNAME another role, keeping their township or county and cadre (set_access)."""
    user = find_user(session, username)
    township, cadre = _codes(session, user)
    set_access(session, username, role, township, cadre, actor=actor, county_code=user.county_code)


def set_active(session: Session, username: str, active: bool, actor: Actor) -> None:
    """Enable or disable USERNAME (audited); disabling ends their sessions and stops their tokens."""
    user = find_user(session, username)
    if not active:
        _keep_an_admin(session, user)
    user.active = active
    record(session, actor, "enable_user" if active else "disable_user", target=username)
    session.commit()


def _keep_an_admin(session: Session, user: AppUser) -> None:
    """AccountError when USER is the last active admin (who alone can manage the others)."""
    if user.role != "admin" or not user.active:
        return
    # Locked, so that two admins disabling each other at once cannot both pass.
    admins = session.scalars(select(AppUser.id).where(AppUser.role == "admin", AppUser.active).with_for_update()).all()
    if admins == [user.id]:
        raise AccountError(f"{user.username} 是最后一个在用的系统管理员，不能停用或改为其他角色")


def create_token(
    session: Session, username: str, name: str = "default", expires_days: int | None = None, *, actor: Actor
) -> str:
    """A new personal access token for USERNAME (audited); the secret is returned once, never stored."""
    user = find_user(session, username)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = None
    if expires_days is not None:
        if expires_days < 1:
            raise AccountError("有效天数至少为 1")
        expires = datetime.now(UTC) + timedelta(days=expires_days)
    session.add(ApiToken(user_id=user.id, name=name, token_hash=secret_hash(secret), expires_at=expires))
    record(session, actor, "create_token", target=username, detail={"name": name})
    session.commit()
    return secret


def revoke_tokens(
    session: Session, username: str, name: str | None = None, token_id: int | None = None, *, actor: Actor
) -> int:
    """Revoke USERNAME's tokens (only those called NAME, or the one TOKEN_ID, when given); audited;
    returns how many."""
    user = find_user(session, username)
    query = select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
    if name is not None:
        query = query.where(ApiToken.name == name)
    if token_id is not None:
        query = query.where(ApiToken.id == token_id)
    tokens = session.scalars(query).all()
    for token in tokens:
        token.revoked = True
    detail = {"name": name or "*", "tokens": [t.name for t in tokens]}
    record(session, actor, "revoke_token", target=username, detail=detail)
    session.commit()
    return len(tokens)


def user_for_token(session: Session, secret: str) -> AppUser | None:
    """The active user owning the unrevoked, unexpired token SECRET (last use recorded), or None."""
    now = datetime.now(UTC)
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == secret_hash(secret)))
    if token is None or token.revoked or (token.expires_at and token.expires_at <= now):
        return None
    user = session.get(AppUser, token.user_id)
    if user is None or not user.active:
        return None
    token.last_used_at = now
    session.commit()
    return user
