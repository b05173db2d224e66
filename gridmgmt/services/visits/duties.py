"""Visit duties in the database: defaults on first use, listing and editing."""

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from gridmgmt.db.models import Cadre
from gridmgmt.db.models.duties import Duty as DutyRow
from gridmgmt.domain.duties import DEFAULT_DUTIES, Duty, DutyError

EDITABLE = ("name", "scope", "target", "period", "cadre_roles", "flags", "active")

# What a new duty must be given, by the names the duty form uses.
NEW_DUTY_NEEDS = {"name": "名称", "scope": "范围", "target": "对象", "period": "周期"}


def to_rule(row: DutyRow) -> Duty:
    """The domain duty a database row stands for."""
    return Duty(
        code=row.code,
        name=row.name,
        scope=row.scope,
        target=row.target,
        period=row.period,
        cadre_roles=tuple(row.cadre_roles or ()),
        cadre_id=row.cadre_id,
        flags=tuple(row.flags or ()),
        active=row.active,
    )


def _row_values(duty: Duty) -> dict:
    return {
        "code": duty.code,
        "name": duty.name,
        "scope": duty.scope,
        "target": duty.target,
        "period": duty.period,
        "cadre_roles": list(duty.cadre_roles),
        "cadre_id": duty.cadre_id,
        "flags": list(duty.flags),
        "active": duty.active,
    }


def seed_default_duties(session: Session) -> int:
    """Store the documents' default duties whose codes are missing; commit; how many were added."""
    have = set(session.scalars(select(DutyRow.code)))
    missing = [d for d in DEFAULT_DUTIES if d.code not in have]
    session.add_all(DutyRow(**_row_values(d)) for d in missing)
    session.commit()
    return len(missing)


def list_duties(session: Session) -> list[DutyRow]:
    """Every stored duty by code; while none is stored, the documents' defaults (unsaved rows).

    Reads never write: the defaults are stored by the first change (set_duty).
    """
    stored = list(session.scalars(select(DutyRow).order_by(DutyRow.code)))
    return stored or sorted((DutyRow(**_row_values(d)) for d in DEFAULT_DUTIES), key=lambda row: row.code)


def active_duties(session: Session) -> list[Duty]:
    """The active duties as domain objects (the defaults while none is stored)."""
    return [to_rule(row) for row in list_duties(session) if row.active]


def set_duty(session: Session, code: str, cadre_code: str | None = None, **changes) -> DutyRow:
    """Create duty CODE or change the given fields of it; refuses bad values (DutyError); commits.

    CHANGES are among EDITABLE; CADRE_CODE names the one cadre the duty binds ("" clears it).
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DutyError(f"不能修改的字段：{'、'.join(sorted(unknown))}")
    if session.scalar(select(DutyRow.id).limit(1)) is None:
        seed_default_duties(session)  # a change to a default needs it stored
    row = session.scalar(select(DutyRow).where(DutyRow.code == code))
    changes = {k: tuple(v) if k in ("cadre_roles", "flags") else v for k, v in changes.items()}
    if cadre_code is not None:
        changes["cadre_id"] = _cadre_id(session, cadre_code) if cadre_code else None
    if row is None:
        missing = [label for key, label in NEW_DUTY_NEEDS.items() if key not in changes]
        if missing:
            raise DutyError(f"新建职责 {code} 须给出：{'、'.join(missing)}")
        duty = Duty(code=code, **changes)
        row = DutyRow(**_row_values(duty))
        session.add(row)
    else:
        duty = replace(to_rule(row), **changes)  # checked again on construction
        for key, value in _row_values(duty).items():
            setattr(row, key, value)
    session.commit()
    return row


def _cadre_id(session: Session, code: str) -> int:
    found = session.scalar(select(Cadre.id).where(Cadre.code == code))
    if found is None:
        raise DutyError(f"没有编码为 {code} 的干部")
    return found
