"""Accounts: users, argon2 passwords, logins with a rate limit, access tokens."""
import hashlib
import secrets
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import ApiToken, AppUser, AuditLog, Cadre, Township
from gridmgmt.domain.vocab import ROLES
from gridmgmt.services.audit import Actor, record

MIN_PASSWORD = 8
# Login rate limit: this many failures per username and address within the window → refused.
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=10)
TOKEN_PREFIX = "gm_"


class AccountError(ValueError):
    """A bad account request; the message is Chinese and safe to show."""


class LoginFailed(AccountError):
    """Wrong username or password (never says which)."""


class TooManyAttempts(AccountError):
    """The login rate limit is reached for this username and address."""


@lru_cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@lru_cache
def _dummy_hash() -> str:
    # Verified against when the username is unknown, so both cases take as long.
    return _hasher().hash("not-a-password")


def hash_password(password: str) -> str:
    """The argon2id hash of PASSWORD; refuses passwords that are too short."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少需要 {MIN_PASSWORD} 个字符")
    return _hasher().hash(password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


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


def _check_role(role: str, township_id: int | None, cadre: Cadre | None) -> None:
    if role not in ROLES:
        raise AccountError(f"未知角色 {role}；可选：{'、'.join(ROLES)}")
    if role != "admin" and township_id is None:
        raise AccountError("除系统管理员外，用户必须属于一个乡镇（--township）")
    if role == "grid_worker" and cadre is None:
        raise AccountError("网格员必须关联一名干部（--cadre）")


def add_user(session: Session, username: str, role: str, password: str,
             township_code: str | None = None, cadre_code: str | None = None) -> AppUser:
    """Create and commit a user; a grid worker's township defaults to their cadre's."""
    if not username or len(username) > 64:
        raise AccountError("用户名须为 1–64 个字符")
    if session.scalar(select(AppUser.id).where(AppUser.username == username)):
        raise AccountError(f"用户 {username} 已存在")
    cadre = _cadre(session, cadre_code)
    township_id = _township_id(session, township_code)
    if township_id is None and cadre is not None:
        township_id = cadre.township_id
    _check_role(role, township_id, cadre)
    user = AppUser(username=username, role=role, password_hash=hash_password(password),
                   township_id=township_id, cadre_id=cadre.id if cadre else None)
    session.add(user)
    session.commit()
    return user


def set_password(session: Session, username: str, password: str) -> None:
    """Replace USERNAME's password."""
    user = find_user(session, username)
    user.password_hash = hash_password(password)
    session.commit()


def set_role(session: Session, username: str, role: str) -> None:
    """Give USERNAME another role (same township and cadre rules as add_user)."""
    user = find_user(session, username)
    cadre = session.get(Cadre, user.cadre_id) if user.cadre_id else None
    _check_role(role, user.township_id, cadre)
    user.role = role
    session.commit()


def list_users(session: Session) -> list[tuple[AppUser, str | None]]:
    """Every user with their township's name, by username."""
    rows = session.execute(
        select(AppUser, Township.name).outerjoin(Township, AppUser.township_id == Township.id)
        .order_by(AppUser.username)
    )
    return [tuple(row) for row in rows]


def _recent_failures(session: Session, username: str, remote_addr: str | None) -> int:
    since = datetime.now(timezone.utc) - FAILURE_WINDOW
    mine = (AuditLog.actor == username[:64], AuditLog.remote_addr == remote_addr)
    last_login = select(func.max(AuditLog.at)).where(*mine, AuditLog.action == "login")
    return session.scalar(
        select(func.count()).select_from(AuditLog).where(
            *mine, AuditLog.action == "login_failed", AuditLog.at >= since,
            or_(AuditLog.at > last_login.scalar_subquery(), last_login.scalar_subquery().is_(None)),
        )
    )


def authenticate(session: Session, username: str, password: str,
                 remote_addr: str | None) -> AppUser:
    """The active user with these credentials; audits the attempt and commits.

    Raises TooManyAttempts after MAX_FAILURES failures of this username from this
    address within FAILURE_WINDOW, and LoginFailed on wrong credentials.
    """
    if _recent_failures(session, username, remote_addr) >= MAX_FAILURES:
        raise TooManyAttempts("登录失败次数过多，请 10 分钟后再试")
    user = session.scalar(select(AppUser).where(AppUser.username == username))
    ok = _verify(user.password_hash if user else _dummy_hash(), password)
    if user is None or not ok or not user.active:
        record(session, Actor(username, None, remote_addr), "login_failed")
        session.commit()
        raise LoginFailed("用户名或密码错误")
    record(session, Actor(username, user.id, remote_addr), "login")
    session.commit()
    return user


def create_token(session: Session, username: str, name: str = "default",
                 expires_days: int | None = None) -> str:
    """A new personal access token for USERNAME; the secret is returned once, never stored."""
    user = find_user(session, username)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = None
    if expires_days is not None:
        if expires_days < 1:
            raise AccountError("有效天数至少为 1")
        expires = datetime.now(timezone.utc) + timedelta(days=expires_days)
    session.add(ApiToken(user_id=user.id, name=name, token_hash=_token_hash(secret),
                         expires_at=expires))
    record(session, Actor(username, user.id), "create_token", target=name)
    session.commit()
    return secret


def revoke_tokens(session: Session, username: str, name: str | None = None) -> int:
    """Revoke USERNAME's tokens (only those called NAME when given); returns how many."""
    user = find_user(session, username)
    query = select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
    if name is not None:
        query = query.where(ApiToken.name == name)
    tokens = session.scalars(query).all()
    for token in tokens:
        token.revoked = True
    record(session, Actor(username, user.id), "revoke_token", target=name or "*")
    session.commit()
    return len(tokens)


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def user_for_token(session: Session, secret: str) -> AppUser | None:
    """The active user owning the unrevoked, unexpired token SECRET (last use recorded), or None."""
    now = datetime.now(timezone.utc)
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(secret)))
    if token is None or token.revoked or (token.expires_at and token.expires_at <= now):
        return None
    user = session.get(AppUser, token.user_id)
    if user is None or not user.active:
        return None
    token.last_used_at = now
    session.commit()
    return user
