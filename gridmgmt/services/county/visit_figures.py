"""Each township's visit figures for the county overview, kept in the database (township_visit_figures).

A township's compliance (its duties, staff and a year of visits) takes about a second; the county
has twenty. Each township's totals are stored with the digest of the day, the visit settings and
the township's own data (gridmgmt.services.county.fingerprint.township_stamps): a request reads the
stamps in one statement, and works out again only the townships whose data changed since, so a
server start costs nothing and a visit, a posting or a plan recomputes its own township.
"""

import hashlib
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from gridmgmt.db.models import TownshipVisitFigures
from gridmgmt.services.county.fingerprint import township_stamps
from gridmgmt.services.visits.compliance import township_compliance
from gridmgmt.services.visits.desk import visit_totals
from gridmgmt.services.visits.settings import VisitSettings


def _basis(day: date, settings: VisitSettings, stamp: str) -> str:
    """The digest of what a township's figures depend on (the settings by repr: it lists every field)."""
    return hashlib.sha256(f"{day.isoformat()}|{settings!r}|{stamp}".encode()).hexdigest()


def _refreshed(session: Session, township_id: int, code: str, day: date, settings: VisitSettings, basis: str) -> dict:
    """The township's totals worked out again and stored with BASIS (committed: kept even if a later one fails)."""
    done, overdue, total = visit_totals(township_compliance(session, code, day, settings).status)
    figures = {"done": done, "overdue": overdue, "total": total}
    row = {"township_id": township_id, "basis": basis, **figures}
    upsert = insert(TownshipVisitFigures).values(row)
    session.execute(
        upsert.on_conflict_do_update(index_elements=["township_id"], set_={**row, "computed_at": func.now()})
    )
    session.commit()
    return figures


def visit_figures(session: Session, townships: dict[int, str], day: date, settings: VisitSettings) -> dict[int, dict]:
    """Township id → visits_done, visits_overdue, visits_total and visit_rate on DAY, for TOWNSHIPS
    (id → code): stored figures where the township's data did not change, worked out again elsewhere."""
    bases = {t: _basis(day, settings, stamp) for t, stamp in township_stamps(session, list(townships)).items()}
    kept = session.execute(
        select(TownshipVisitFigures).where(TownshipVisitFigures.township_id.in_(list(townships)))
    ).scalars()
    stored = {
        row.township_id: {"done": row.done, "overdue": row.overdue, "total": row.total}
        for row in kept
        if row.basis == bases[row.township_id]
    }
    out = {}
    for township, code in townships.items():
        found = stored.get(township) or _refreshed(session, township, code, day, settings, bases[township])
        out[township] = {
            "visits_done": found["done"],
            "visits_total": found["total"],
            "visits_overdue": found["overdue"],
            "visit_rate": found["done"] / found["total"] if found["total"] else None,
        }
    return out
