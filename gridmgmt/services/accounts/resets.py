"""Passwords changed from the accounts pages: an admin's reset (a new password shown once) and a
user changing their own."""

import secrets

from sqlalchemy.orm import Session

from gridmgmt.domain.passwords import password_problem
from gridmgmt.services.accounts.audit import Actor, record
from gridmgmt.services.accounts.users import AccountError, find_user, hash_password, new_password_hash, verify_password

# Letters and digits that cannot be mistaken for one another when read out or copied by hand.
READABLE = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RESET_LENGTH = 14


def _new_password(username: str) -> str:
    """A random password of READABLE characters that the policy accepts."""
    while True:
        password = "".join(secrets.choice(READABLE) for _ in range(RESET_LENGTH))
        if password_problem(password, username) is None:
            return password


def reset_password(session: Session, username: str, actor: Actor) -> str:
    """Give USERNAME a new random password, returned once and never stored in clear; ends their
    sessions; audited, committed."""
    user = find_user(session, username)
    password = _new_password(username)
    user.password_hash = hash_password(password)
    record(session, actor, "reset_password", target=username)
    session.commit()
    return password


def change_own_password(session: Session, username: str, current: str, new: str, actor: Actor) -> None:
    """USERNAME's own password change: CURRENT must match; NEW follows the policy; audited, committed.

    Their sessions end (the database trigger), this one included: they log in again with NEW.
    """
    user = find_user(session, username)
    if not verify_password(user.password_hash, current):
        record(session, actor, "change_password_failed", target=username)
        session.commit()
        raise AccountError("当前密码不正确")
    if new == current:
        raise AccountError("新密码不能与当前密码相同")
    user.password_hash = new_password_hash(username, new)
    record(session, actor, "change_password", target=username)
    session.commit()
