"""Numbers that change when what the county overview is made from changes.

Tables with a data version (kept by triggers, gridmgmt.db.queries.data_version) give theirs; the
other small tables their row count and latest update. Visits (a million a year in a county, only
ever added by the phones) are stamped per township with the highest id of its cadres' visits, so a
new visit recomputes its own township's compliance only; a visit changed in place is seen with
the next change of anything.
"""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import Cadre, CadreVillage, Event, PartyMember, Visit
from gridmgmt.db.models.duties import Duty
from gridmgmt.db.queries import data_version

VERSIONED = ("township", "village", "village_group", "household", "party_org", "grid_plan", "grid_cell", "demo_site")
COUNTED = (Cadre, CadreVillage, Event, PartyMember, Duty)


def fingerprint(session: Session) -> tuple:
    """The data version of VERSIONED and the count and latest update of COUNTED."""
    counted = [select(f(t.updated_at)).scalar_subquery() for t in COUNTED for f in (func.count, func.max)]
    return (data_version(session, VERSIONED), *session.execute(select(*counted)).one())


def visit_stamps(session: Session, township_ids: list[int]) -> dict[int, int]:
    """Township id → the highest id of its cadres' visits (townships without visits are left out)."""
    rows = session.execute(
        select(Cadre.township_id, func.max(Visit.id))
        .join(Visit, Visit.cadre_id == Cadre.id)
        .where(Cadre.township_id.in_(township_ids))
        .group_by(Cadre.township_id)
    )
    return dict(rows.all())
