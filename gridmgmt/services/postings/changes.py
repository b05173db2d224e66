"""Add a posting, end one: checked, audited, committed."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from gridmgmt.db.models import Cadre, CadreVillage, Township, Village
from gridmgmt.domain.errors import NotFound, TownshipNotFound
from gridmgmt.domain.postings import PostingError, check_dates, posting_code
from gridmgmt.domain.vocab import ASSIGNMENTS
from gridmgmt.services.accounts.actors import Actor, record


@dataclass(frozen=True)
class NewPosting:
    """A posting as a page or a command gives it: codes, kind (ASSIGNMENTS), first and last day."""

    cadre_code: str
    village_code: str
    kind: str
    start: date | None = None
    end: date | None = None


def _township_id(session: Session, code: str) -> int:
    found = session.scalar(select(Township.id).where(Township.code == code))
    if found is None:
        raise TownshipNotFound(code)
    return found


def add_posting(session: Session, township_code: str, new: NewPosting, *, actor: Actor) -> CadreVillage:
    """Post a cadre of township TOWNSHIP_CODE to one of its villages; audited, committed."""
    town = _township_id(session, township_code)
    if new.kind not in ASSIGNMENTS:
        raise PostingError(f"未知安排类型 {new.kind}；可选：{'、'.join(ASSIGNMENTS.values())}")
    check_dates(new.start, new.end)
    cadre = session.scalar(select(Cadre.id).where(Cadre.code == new.cadre_code, Cadre.township_id == town))
    if cadre is None:
        raise PostingError(f"本乡镇没有编码为 {new.cadre_code} 的干部")
    village = session.scalar(select(Village.id).where(Village.code == new.village_code, Village.township_id == town))
    if village is None:
        raise PostingError(f"本乡镇没有编码为 {new.village_code} 的行政村")
    code = posting_code(new.cadre_code, new.village_code, new.kind, new.start)
    if session.scalar(select(CadreVillage.id).where(CadreVillage.code == code)) is not None:
        raise PostingError(f"已有同一干部、同一村、同一类型、同一开始日期的安排（{code}）")
    posting = CadreVillage(
        code=code, cadre_id=cadre, village_id=village, assignment=new.kind, start_date=new.start, end_date=new.end
    )
    session.add(posting)
    record(session, actor, "add_posting", target=code, detail=_detail(new.kind, new.start, new.end))
    session.commit()
    return posting


def _detail(kind: str, start: date | None, end: date | None) -> dict:
    return {"kind": kind, "start": start and start.isoformat(), "end": end and end.isoformat()}


def end_posting(session: Session, township_code: str, posting_id: int, end: date, *, actor: Actor) -> CadreVillage:
    """End posting POSTING_ID of township TOWNSHIP_CODE on END (its last day); audited, committed.

    NotFound when the posting is not the township's; PostingError when it ended before END or
    would end before it began.
    """
    posting = session.scalar(
        select(CadreVillage)
        .join(Cadre, Cadre.id == CadreVillage.cadre_id)
        .where(CadreVillage.id == posting_id, Cadre.township_id == _township_id(session, township_code))
        .with_for_update(of=CadreVillage)
    )
    if posting is None:
        raise NotFound(f"本乡镇没有编号为 {posting_id} 的驻村包村安排")
    if posting.end_date is not None and posting.end_date < end:
        raise PostingError(f"该安排已于 {posting.end_date} 结束")
    check_dates(posting.start_date, end)
    posting.end_date = end
    target = posting.code or f"cadre_village {posting.id}"
    record(session, actor, "end_posting", target=target, detail=_detail(posting.assignment, posting.start_date, end))
    session.commit()
    return posting
