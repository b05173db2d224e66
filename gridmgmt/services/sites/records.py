"""The review record of demo sites, read: each step (undone ones marked), every site of a
township with the steps it may take and what it lacks, the timeline reminders."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import AppUser, DemoSite, DemoSiteReview, PartyOrg
from gridmgmt.domain.site_review import (
    RE_REVIEW_STEPS,
    STEP_LABELS,
    STEPS,
    UNDO,
    Reminder,
    ReviewError,
    Timeline,
    reminders,
)
from gridmgmt.domain.site_standards import SiteStandard
from gridmgmt.services.sites.standards import site_shortfalls, township_missed

# A review row that stands: not an undo and not undone.
STANDING = (DemoSiteReview.step != UNDO) & DemoSiteReview.undone_by.is_(None)


@dataclass(frozen=True)
class HistoryRow:
    """One past review step, for the page and the review sheet; undone when a later step took it back."""

    step: str
    label: str
    from_status: str | None
    to_status: str
    level: str | None
    year: int
    comment: str | None
    decided_by: str
    decided_at: datetime
    undone: bool = False


def org_history(session: Session, org_code: str) -> list[HistoryRow]:
    """The review steps of the site of party org ORG_CODE, oldest first; ReviewError when it has none."""
    site_id = session.scalar(
        select(DemoSite.id).join(PartyOrg, PartyOrg.id == DemoSite.party_org_id).where(PartyOrg.code == org_code)
    )
    if site_id is None:
        raise ReviewError(f"{org_code} 尚未申报示范点")
    return history(session, site_id)


def history(session: Session, site_id: int) -> list[HistoryRow]:
    """The review steps of site SITE_ID, oldest first."""
    rows = session.execute(
        select(DemoSiteReview, AppUser.username)
        .join(AppUser, AppUser.id == DemoSiteReview.decided_by)
        .where(DemoSiteReview.demo_site_id == site_id)
        .order_by(DemoSiteReview.id)
    ).all()
    return [
        HistoryRow(
            r.step,
            STEP_LABELS[r.step],
            r.from_status,
            r.to_status,
            r.level,
            r.year,
            r.comment,
            name,
            r.decided_at,
            r.undone_by is not None,
        )
        for r, name in rows
    ]


@dataclass(frozen=True)
class SiteRecord:
    """A demo site of the township with its history and the steps it may take next."""

    site_id: int
    code: str
    name: str
    status: str
    level: str | None
    award_year: int | None
    theme: str | None
    highlight: str | None
    marks: tuple[str, ...]  # 联系点, 书记示范点 where the application states them
    history: list[HistoryRow]
    next_steps: list[str]
    shortfalls: list[str]  # what it lacks against the 创建标准 today; empty when it passes

    @property
    def can_undo(self) -> bool:
        """True when a standing step is there to take back."""
        return any(h.step != UNDO and not h.undone for h in self.history)


def _marks(site: DemoSite) -> tuple[str, ...]:
    return tuple(
        label for flag, label in ((site.is_contact_point, "联系点"), (site.is_secretary_model, "书记示范点")) if flag
    )


def site_records(session: Session, township_id: int, standard: SiteStandard = SiteStandard()) -> list[SiteRecord]:
    """Every demo site of the township, by org code, with its review history and what it lacks."""
    rows = session.execute(
        select(DemoSite, PartyOrg)
        .join(PartyOrg, PartyOrg.id == DemoSite.party_org_id)
        .where(PartyOrg.township_id == township_id)
        .order_by(PartyOrg.code)
    ).all()
    missed = township_missed(session, township_id, standard)
    return [
        SiteRecord(
            site.id,
            org.code,
            org.name,
            site.status,
            site.level,
            site.award_year,
            site.theme,
            site.highlight,
            _marks(site),
            history(session, site.id),
            [step for step, (starts, _, _) in STEPS.items() if site.status in starts],
            site_shortfalls(org, site.theme, site.highlight, standard, missed.get(org.id, ())),
        )
        for site, org in rows
    ]


def township_reminders(
    session: Session, township_id: int, today: date, timeline: Timeline = Timeline()
) -> list[Reminder]:
    """Timeline reminders for the demo sites of a township on TODAY."""
    last = (
        select(DemoSiteReview.demo_site_id, func.max(DemoSiteReview.year).label("year"))
        .where(DemoSiteReview.step.in_(RE_REVIEW_STEPS), STANDING)
        .group_by(DemoSiteReview.demo_site_id)
        .subquery()
    )
    rows = session.execute(
        select(DemoSite.id, DemoSite.status, DemoSite.award_year, last.c.year)
        .join(PartyOrg, PartyOrg.id == DemoSite.party_org_id)
        .outerjoin(last, last.c.demo_site_id == DemoSite.id)
        .where(PartyOrg.township_id == township_id)
    ).all()
    return reminders(today, {r[0]: (r[1], r[2], r[3]) for r in rows}, timeline)
