"""一户一档: who looks after a household (its grid worker and liaison party members, with
phones) and its latest visits (who, when, kind, note, the follow-ups raised, the photos).

The household page asks for one household; the phone's working set for all of a grid
worker's, so the file reads the same with no signal. Flags are not here: the callers add
them for the roles that may see them.
"""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import Cadre, Followup, GridCell, Household, Liaison, PartyMember, Photo, Visit
from gridmgmt.db.queries import among
from gridmgmt.domain.followups import CATEGORIES, STATES
from gridmgmt.domain.vocab import VISIT_KINDS

LATEST_VISITS = 10


def _people(rows) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    for household_id, name, phone in rows:
        found.setdefault(household_id, []).append({"name": name, "phone": phone})
    return found


def _grid_workers(session: Session, ids: list[int]) -> dict[int, list[dict]]:
    return _people(
        session.execute(
            select(Household.id, Cadre.name, Cadre.phone)
            .join(GridCell, Household.grid_cell_id == GridCell.id)
            .join(Cadre, GridCell.grid_worker_id == Cadre.id)
            .where(among(Household.id, ids))
        )
    )


def _liaisons(session: Session, ids: list[int]) -> dict[int, list[dict]]:
    # A liaison's phone is known when the party member is also a cadre.
    return _people(
        session.execute(
            select(Liaison.household_id, PartyMember.name, func.min(Cadre.phone))
            .join(PartyMember, Liaison.party_member_id == PartyMember.id)
            .outerjoin(Cadre, Cadre.party_member_id == PartyMember.id)
            .where(among(Liaison.household_id, ids))
            .group_by(Liaison.household_id, PartyMember.id, PartyMember.name, PartyMember.code)
            .order_by(PartyMember.code)
        )
    )


def _visits(session: Session, ids: list[int], latest: int) -> dict[int, list[dict]]:
    rank = func.row_number().over(partition_by=Visit.household_id, order_by=(Visit.visited_at.desc(), Visit.id.desc()))
    ranked = (
        select(Visit.id, Visit.household_id, Visit.visited_at, Visit.kind, Visit.note, Cadre.name.label("cadre"))
        .join(Cadre, Visit.cadre_id == Cadre.id)
        .where(among(Visit.household_id, ids))
        .add_columns(rank.label("rank"))
        .subquery()
    )
    rows = session.execute(select(ranked).where(ranked.c.rank <= latest).order_by(ranked.c.rank)).all()
    visit_ids = [row.id for row in rows]
    raised: dict[int, list[dict]] = {}
    # Columns, not ORM objects: the working set reads the follow-ups of hundreds of households.
    for item in session.execute(
        select(Followup.id, Followup.visit_id, Followup.category, Followup.note, Followup.state)
        .where(among(Followup.visit_id, visit_ids))
        .order_by(Followup.id)
    ):
        raised.setdefault(item.visit_id, []).append(
            {"id": item.id, "category": CATEGORIES[item.category], "note": item.note, "state": STATES[item.state]}
        )
    photos: dict[int, list[int]] = {}
    for photo_id, visit_id in session.execute(
        select(Photo.id, Photo.visit_id).where(among(Photo.visit_id, visit_ids)).order_by(Photo.id)
    ):
        photos.setdefault(visit_id, []).append(photo_id)
    found: dict[int, list[dict]] = {}
    for row in rows:
        found.setdefault(row.household_id, []).append(
            {
                "at": row.visited_at.isoformat(),
                "cadre": row.cadre,
                "kind": VISIT_KINDS[row.kind],
                "note": row.note,
                "followups": raised.get(row.id, []),
                "photos": photos.get(row.id, []),
            }
        )
    return found


def household_files(session: Session, household_ids: list[int], latest: int = LATEST_VISITS) -> dict[int, dict]:
    """Each household's grid workers, liaisons and LATEST visits (newest first), by household id."""
    workers, liaisons = _grid_workers(session, household_ids), _liaisons(session, household_ids)
    visits = _visits(session, household_ids, latest)
    return {
        household_id: {
            "grid_workers": workers.get(household_id, []),
            "liaisons": liaisons.get(household_id, []),
            "visits": visits.get(household_id, []),
        }
        for household_id in household_ids
    }


def household_file(session: Session, code: str, latest: int = LATEST_VISITS) -> dict:
    """The file of the household CODE (the caller has checked the user may see it)."""
    household_id = session.scalar(select(Household.id).where(Household.code == code))
    return household_files(session, [household_id], latest)[household_id]
