"""Application users with roles, their login sessions and access tokens, the login rate limit, the audit log."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gridmgmt.db.models.base import Base, Timestamped, one_of
from gridmgmt.domain.vocab import ROLES


class AppUser(Timestamped, Base):
    """A login with one role; grid workers are tied to their cadre record.

    A change of password_hash, role, township_id, county_code, cadre_id or active deletes
    the user's login_session rows (trigger app_user_end_sessions, migrations 0009, 0025):
    every browser that was logged in must log in again.
    """

    __tablename__ = "app_user"
    __table_args__ = (
        one_of("role", ROLES),
        CheckConstraint("county_code ~ '^[0-9]{6}$'", name="county_code_digits"),
        # A user answers for one township or one county, never both.
        CheckConstraint("county_code IS NULL OR township_id IS NULL", name="one_place"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    cadre_id: Mapped[int | None] = mapped_column(ForeignKey("cadre.id"))
    township_id: Mapped[int | None] = mapped_column(ForeignKey("township.id"))
    # 县级 users: the 6-digit county code that prefixes their townships' codes (instead of a township).
    county_code: Mapped[str | None] = mapped_column(String(6))
    active: Mapped[bool] = mapped_column(Boolean, server_default="true")


class LoginSession(Base):
    """One browser's login: its session cookie names the row; deleting the row ends that session."""

    __tablename__ = "login_session"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the cookie's key
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class LoginLimit(Base):
    """Login attempts counted under one key (account, address, or both): gridmgmt.domain.login_limits."""

    __tablename__ = "login_limit"

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Account-and-address keys only: the last good login, which makes the address a known one.
    last_success: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApiToken(Base):
    """A personal access token; only the SHA-256 of its secret is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, server_default="false")


class AuditLog(Base):
    """Who did what to which data, when and from where; never holds flag values."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(Text)
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict | None] = mapped_column(JSONB)
