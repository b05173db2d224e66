"""App users that command-line tests name with --as (they never log in, so no real password hash)."""
from sqlalchemy import select

from gridmgmt.db.models import AppUser, Township

ADMIN = "cli_admin"


def add_actor(session, username: str = ADMIN, role: str = "admin", township_code: str | None = None) -> int:
    """Add and commit an active user USERNAME with ROLE (in TOWNSHIP_CODE), unless present; returns its id."""
    found = session.scalar(select(AppUser.id).where(AppUser.username == username))
    if found:
        return found
    township_id = session.scalar(select(Township.id).where(Township.code == township_code)) if township_code else None
    user = AppUser(username=username, role=role, password_hash="-", township_id=township_id)
    session.add(user)
    session.commit()
    return user.id
