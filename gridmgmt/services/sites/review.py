"""The review record of demo sites: reviewers move a site along its status path.

Every change is checked by gridmgmt.domain.site_review, kept in demo_site_review
and written to the audit log, in one transaction.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import AppUser, DemoSite, DemoSiteReview, PartyOrg
from gridmgmt.domain.permissions import Forbidden, may
from gridmgmt.domain.site_review import (
    RE_REVIEW_STEPS,
    STEPS,
    Reminder,
    ReviewError,
    Timeline,
    decide,
    reminders,
)
from gridmgmt.domain.vocab import DEMO_SITE_THEMES
from gridmgmt.services.accounts.audit import Actor, record


@dataclass(frozen=True)
class HistoryRow:
    """One past review step, for the page and the review sheet."""

    step: str
    label: str
    from_status: str | None
    to_status: str
    level: str | None
    year: int
    comment: str | None
    decided_by: str
    decided_at: datetime


def _org(session: Session, org_code: str, township_id: int | None) -> PartyOrg:
    org = session.scalar(select(PartyOrg).where(PartyOrg.code == org_code))
    if org is None or (township_id is not None and org.township_id != township_id):
        raise ReviewError(f"本乡镇没有编码为 {org_code} 的党组织")
    if org.venue is None:
        raise ReviewError(f"{org.name}没有登记活动场所，不能申报示范点")
    return org


def _last_re_review_year(session: Session, site_id: int) -> int | None:
    return session.scalar(
        select(func.max(DemoSiteReview.year)).where(
            DemoSiteReview.demo_site_id == site_id, DemoSiteReview.step.in_(RE_REVIEW_STEPS)
        )
    )


def reviewer(session: Session, username: str) -> AppUser:
    """The enabled user USERNAME, to decide a review step; ReviewError when there is none."""
    user = session.scalar(select(AppUser).where(AppUser.username == username, AppUser.active))
    if user is None:
        raise ReviewError(f"没有启用的用户 {username}")
    return user


def review(
    session: Session,
    user: AppUser,
    org_code: str,
    step: str,
    year: int | None = None,
    level: str | None = None,
    comment: str | None = None,
    theme: str | None = None,
    remote_addr: str | None = None,
    township_id: int | None = None,
    *,
    contact_point: bool | None = None,
    secretary_model: bool | None = None,
) -> DemoSite:
    """Apply review STEP to the site of party org ORG_CODE as USER (its id, username and role);
    commits, or changes nothing.

    With TOWNSHIP_ID, the org must belong to that township. THEME, CONTACT_POINT (党建工作联系点)
    and SECRETARY_MODEL (书记示范点) record what the application states; None keeps them as they are.
    """
    if not may(user.role, "decide_sites"):
        raise Forbidden("只有示范点评审人员可以变更示范点状态")
    if theme is not None and theme not in DEMO_SITE_THEMES:
        raise ReviewError(f"未知的示范主题：{theme}（可选：{'、'.join(DEMO_SITE_THEMES.values())}）")
    year = year or date.today().year
    org = _org(session, org_code, township_id)
    site = session.scalar(select(DemoSite).where(DemoSite.party_org_id == org.id))
    last = _last_re_review_year(session, site.id) if site else None
    decision = decide(step, site.status if site else None, year, level, site.award_year if site else None, last)
    if site is None:
        site = DemoSite(party_org_id=org.id)
        session.add(site)
    site.status = decision.to_status
    for column, value in (
        ("theme", theme),
        ("is_contact_point", contact_point),
        ("is_secretary_model", secretary_model),
    ):
        if value is not None:
            setattr(site, column, value)
    if step == "award":
        site.level, site.award_year = decision.level, year
    session.flush()
    session.add(
        DemoSiteReview(
            demo_site_id=site.id,
            step=step,
            from_status=decision.from_status,
            to_status=decision.to_status,
            level=decision.level,
            year=year,
            comment=comment,
            decided_by=user.id,
        )
    )
    record(
        session,
        Actor(user.username, user.id, remote_addr),
        "review_site",
        target=f"demo_site:{site.id}",
        detail={
            "org": org.code,
            "step": step,
            "from": decision.from_status,
            "to": decision.to_status,
            "year": year,
            "level": decision.level,
            "contact_point": site.is_contact_point,
            "secretary_model": site.is_secretary_model,
        },
    )
    session.commit()
    return site


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
        HistoryRow(r.step, STEPS[r.step][2], r.from_status, r.to_status, r.level, r.year, r.comment, name, r.decided_at)
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
    marks: tuple[str, ...]  # 联系点, 书记示范点 where the application states them
    history: list[HistoryRow]
    next_steps: list[str]


def _marks(site: DemoSite) -> tuple[str, ...]:
    return tuple(
        label for flag, label in ((site.is_contact_point, "联系点"), (site.is_secretary_model, "书记示范点")) if flag
    )


def site_records(session: Session, township_id: int) -> list[SiteRecord]:
    """Every demo site of the township, by org code, with its review history."""
    rows = session.execute(
        select(DemoSite, PartyOrg.code, PartyOrg.name)
        .join(PartyOrg, PartyOrg.id == DemoSite.party_org_id)
        .where(PartyOrg.township_id == township_id)
        .order_by(PartyOrg.code)
    ).all()
    return [
        SiteRecord(
            site.id,
            code,
            name,
            site.status,
            site.level,
            site.award_year,
            site.theme,
            _marks(site),
            history(session, site.id),
            [step for step, (starts, _, _) in STEPS.items() if site.status in starts],
        )
        for site, code, name in rows
    ]


def township_reminders(
    session: Session, township_id: int, today: date, timeline: Timeline = Timeline()
) -> list[Reminder]:
    """Timeline reminders for the demo sites of a township on TODAY."""
    last = (
        select(DemoSiteReview.demo_site_id, func.max(DemoSiteReview.year).label("year"))
        .where(DemoSiteReview.step.in_(RE_REVIEW_STEPS))
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
