"""驻村包村一览: who covers each village of a township on a day, and what each village lacks."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import Cadre, CadreVillage, Township, Village
from gridmgmt.db.queries import posting_in_force
from gridmgmt.domain.branch_rules import DESIGNATIONS, designations_of
from gridmgmt.domain.errors import TownshipNotFound
from gridmgmt.domain.postings import village_needs


@dataclass(frozen=True)
class Posting:
    """One posting with its cadre; UPCOMING: it begins after the day asked."""

    id: int
    code: str | None
    cadre_code: str
    cadre_name: str
    cadre_role: str
    kind: str
    start: date | None
    end: date | None
    upcoming: bool


@dataclass
class VillageCover:
    """A village, its designations, its postings in force (and upcoming) by kind, and what it lacks."""

    code: str
    name: str
    designations: list[str]
    postings: dict[str, list[Posting]] = field(default_factory=dict)
    needs: list[str] = field(default_factory=list)


@dataclass
class Overview:
    """The 驻村包村一览 of a township on DAY, and its cadres (code, name, role) to post."""

    township_code: str
    township_name: str
    day: date
    villages: list[VillageCover]
    cadres: list[tuple[str, str, str]]

    @property
    def lacking(self) -> int:
        """How many villages lack a posting they need."""
        return sum(1 for v in self.villages if v.needs)


def _postings(session: Session, township_id: int, day: date) -> dict[int, list[Posting]]:
    """The township's postings in force on DAY or beginning later, by village id."""
    rows = session.execute(
        select(
            CadreVillage.village_id,
            CadreVillage.id,
            CadreVillage.code,
            Cadre.code,
            Cadre.name,
            Cadre.cadre_role,
            CadreVillage.assignment,
            CadreVillage.start_date,
            CadreVillage.end_date,
        )
        .join(Cadre, Cadre.id == CadreVillage.cadre_id)
        .where(
            Cadre.township_id == township_id,
            or_(posting_in_force(day), CadreVillage.start_date > day),
        )
        .order_by(CadreVillage.assignment, Cadre.code, CadreVillage.start_date)
    )
    by_village = defaultdict(list)
    for village_id, *posting in rows:
        start = posting[6]
        by_village[village_id].append(Posting(*posting, upcoming=start is not None and start > day))
    return by_village


def postings_overview(session: Session, township_code: str, day: date) -> Overview:
    """Every village of TOWNSHIP_CODE with its postings on DAY; raises TownshipNotFound."""
    township = session.execute(select(Township.id, Township.name).where(Township.code == township_code)).one_or_none()
    if township is None:
        raise TownshipNotFound(township_code)
    flags = [getattr(Village, name) for name in DESIGNATIONS]
    rows = session.execute(
        select(Village.id, Village.code, Village.name, *flags)
        .where(Village.township_id == township.id)
        .order_by(Village.code)
    )
    postings = _postings(session, township.id, day)
    villages = []
    for village_id, code, name, *values in rows:
        marks = dict(zip(DESIGNATIONS, values))
        mine = postings.get(village_id, [])
        by_kind = defaultdict(list)
        for posting in mine:
            by_kind[posting.kind].append(posting)
        in_force = {p.kind for p in mine if not p.upcoming}
        villages.append(VillageCover(code, name, designations_of(marks), dict(by_kind), village_needs(marks, in_force)))
    cadres = session.execute(
        select(Cadre.code, Cadre.name, Cadre.cadre_role).where(Cadre.township_id == township.id).order_by(Cadre.code)
    ).all()
    session.rollback()  # read-only: end the transaction the queries opened
    return Overview(township_code, township.name, day, villages, [tuple(c) for c in cadres])
