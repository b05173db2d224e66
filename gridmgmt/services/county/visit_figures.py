"""Each township's visit figures for the county overview, kept in the database (township_visit_figures).

A township's compliance (its duties, staff and a year of visits) takes about a second; the county
has twenty. Each township's totals are stored with two digests of the day and visit settings: with
the township's own data (BASIS, gridmgmt.services.county.fingerprint.township_stamps) and with the
data versions of every table compliance reads (CHECKED). A request first reads those data versions
(one small row each): when nothing changed since the figures were checked they are served as
stored. Otherwise it reads the townships' stamps in one statement and works out again only the
townships whose own data changed, so a server start costs nothing and a visit, a posting or a plan
recomputes its own township.
"""

import hashlib
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from gridmgmt.db.models import TownshipVisitFigures
from gridmgmt.db.queries import data_version
from gridmgmt.services.county.fingerprint import COMPLIANCE_TABLES, township_stamps
from gridmgmt.services.visits.compliance import township_compliance
from gridmgmt.services.visits.desk import visit_totals
from gridmgmt.services.visits.settings import VisitSettings


def _digest(day: date, settings: VisitSettings, stamp) -> str:
    """The digest of DAY, SETTINGS (by repr: it lists every field) and a data STAMP."""
    return hashlib.sha256(f"{day.isoformat()}|{settings!r}|{stamp}".encode()).hexdigest()


def _refreshed(session: Session, township: tuple[int, str], day: date, settings: VisitSettings, keys: dict) -> dict:
    """TOWNSHIP's (id, code) totals worked out again and stored with KEYS (basis, checked); committed,
    so a township done is kept even if a later one fails."""
    done, overdue, total = visit_totals(township_compliance(session, township[1], day, settings).status)
    figures = {"done": done, "overdue": overdue, "total": total}
    row = {"township_id": township[0], **keys, **figures}
    upsert = insert(TownshipVisitFigures).values(row)
    session.execute(
        upsert.on_conflict_do_update(index_elements=["township_id"], set_={**row, "computed_at": func.now()})
    )
    session.commit()
    return figures


def _stored(session: Session, townships: dict[int, str], day: date, settings: VisitSettings, checked: str) -> dict:
    """Township id → its stored totals, every one of TOWNSHIPS worked out again where its own data changed;
    those found unchanged are marked CHECKED."""
    rows = session.scalars(select(TownshipVisitFigures).where(TownshipVisitFigures.township_id.in_(list(townships))))
    kept = {r.township_id: r for r in rows}
    if all(t in kept and kept[t].checked == checked for t in townships):
        return {t: {"done": r.done, "overdue": r.overdue, "total": r.total} for t, r in kept.items()}
    bases = {t: _digest(day, settings, stamp) for t, stamp in township_stamps(session, list(townships)).items()}
    same = [t for t, r in kept.items() if r.basis == bases[t]]
    chosen = TownshipVisitFigures.township_id.in_(same)
    session.execute(update(TownshipVisitFigures).where(chosen).values(checked=checked))
    session.commit()
    return {
        t: {"done": kept[t].done, "overdue": kept[t].overdue, "total": kept[t].total}
        if t in same
        else _refreshed(session, (t, code), day, settings, {"basis": bases[t], "checked": checked})
        for t, code in townships.items()
    }


def visit_figures(session: Session, townships: dict[int, str], day: date, settings: VisitSettings) -> dict[int, dict]:
    """Township id → visits_done, visits_overdue, visits_total and visit_rate on DAY, for TOWNSHIPS
    (id → code): stored figures where the township's data did not change, worked out again elsewhere."""
    checked = _digest(day, settings, data_version(session, COMPLIANCE_TABLES))
    return {
        t: {
            "visits_done": found["done"],
            "visits_total": found["total"],
            "visits_overdue": found["overdue"],
            "visit_rate": found["done"] / found["total"] if found["total"] else None,
        }
        for t, found in _stored(session, townships, day, settings, checked).items()
    }
