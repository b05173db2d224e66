"""The review record of demo sites: reviewers move a site along its status path, return or
fail it, or undo a mistaken step.

Every change is checked by gridmgmt.domain.site_review (and the 创建标准 by
services.sites.standards), kept in demo_site_review and written to the audit log, in one
transaction. An undone step stays in the record, marked by the undo that took it back.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import AppUser, DemoSite, DemoSiteReview, PartyOrg
from gridmgmt.domain.permissions import Forbidden, may
from gridmgmt.domain.site_review import (
    RE_REVIEW_STEPS,
    UNDO,
    Decision,
    ReviewError,
    decide,
    undo,
)
from gridmgmt.domain.site_standards import SiteStandard
from gridmgmt.domain.vocab import DEMO_SITE_THEMES
from gridmgmt.services.accounts.audit import Actor, record
from gridmgmt.services.sites.records import STANDING
from gridmgmt.services.sites.standards import check_step


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
            DemoSiteReview.demo_site_id == site_id, DemoSiteReview.step.in_(RE_REVIEW_STEPS), STANDING
        )
    )


def reviewer(session: Session, username: str) -> AppUser:
    """The enabled user USERNAME, to decide a review step; ReviewError when there is none."""
    user = session.scalar(select(AppUser).where(AppUser.username == username, AppUser.active))
    if user is None:
        raise ReviewError(f"没有启用的用户 {username}")
    return user


@dataclass(frozen=True)
class Application:
    """What an application states; None keeps what the site already has."""

    theme: str | None = None
    highlight: str | None = None
    contact_point: bool | None = None
    secretary_model: bool | None = None


def review(
    session: Session,
    user: AppUser,
    org_code: str,
    step: str,
    year: int | None = None,
    level: str | None = None,
    comment: str | None = None,
    remote_addr: str | None = None,
    township_id: int | None = None,
    *,
    stated: Application = Application(),
    standard: SiteStandard = SiteStandard(),
) -> DemoSite:
    """Apply review STEP (or undo the last one) to the site of party org ORG_CODE as USER, with
    COMMENT as the reason where the step needs one; commits, or changes nothing.

    With TOWNSHIP_ID, the org must belong to that township. STATED is what the application says.
    申报, 授牌 and 复审保留 need STANDARD met; at 申报 its 党委 must still have a slot that year.
    """
    if not may(user.role, "decide_sites"):
        raise Forbidden("只有示范点评审人员可以变更示范点状态")
    if stated.theme is not None and stated.theme not in DEMO_SITE_THEMES:
        raise ReviewError(f"未知的示范主题：{stated.theme}（可选：{'、'.join(DEMO_SITE_THEMES.values())}）")
    year = year or date.today().year
    org = _org(session, org_code, township_id)
    site = session.scalar(select(DemoSite).where(DemoSite.party_org_id == org.id))
    if step == UNDO:
        return _undo(session, user, (org, site), year, comment, remote_addr)
    last = _last_re_review_year(session, site.id) if site else None
    status = site.status if site else None
    decision = decide(step, status, year, level, site.award_year if site else None, last, comment)
    theme = stated.theme or (site.theme if site else None)
    highlight = (stated.highlight or "").strip() or (site.highlight if site else None)
    check_step(session, org, step, year, (theme, highlight), standard)
    if site is None:
        site = DemoSite(party_org_id=org.id)
        session.add(site)
    site.status, site.theme, site.highlight = decision.to_status, theme, highlight
    for column, value in (("is_contact_point", stated.contact_point), ("is_secretary_model", stated.secretary_model)):
        if value is not None:
            setattr(site, column, value)
    if step == "award":
        site.level, site.award_year = decision.level, year
    _record(session, user, org, site, decision, comment, remote_addr)
    session.commit()
    return site


def _record(session, user, org, site, decision: Decision, comment, remote_addr) -> DemoSiteReview:
    """Keep DECISION in demo_site_review and the audit log; the new row, flushed."""
    session.flush()
    row = DemoSiteReview(
        demo_site_id=site.id,
        step=decision.step,
        from_status=decision.from_status,
        to_status=decision.to_status,
        level=decision.level,
        year=decision.year,
        comment=comment,
        decided_by=user.id,
    )
    session.add(row)
    session.flush()
    record(
        session,
        Actor(user.username, user.id, remote_addr),
        "review_site",
        target=f"demo_site:{site.id}",
        detail={
            "org": org.code,
            "step": decision.step,
            "from": decision.from_status,
            "to": decision.to_status,
            "year": decision.year,
            "level": decision.level,
            "reason": comment,
            "contact_point": site.is_contact_point,
            "secretary_model": site.is_secretary_model,
        },
    )
    return row


def _undo(session, user, org_site: tuple[PartyOrg, DemoSite | None], year: int, reason, remote_addr) -> DemoSite:
    """Take back the latest standing step of the org's site, recorded in YEAR; an undone award's
    level and year go back to those of the award before it."""
    org, site = org_site
    if site is None:
        raise ReviewError(f"{org.name}尚未申报示范点，没有可撤销的评审环节")
    row = session.scalar(
        select(DemoSiteReview)
        .where(DemoSiteReview.demo_site_id == site.id, STANDING)
        .order_by(DemoSiteReview.id.desc())
        .limit(1)
    )
    last = Decision(row.step, row.from_status, row.to_status, row.year, row.level) if row else None
    decision = undo(site.status, last, year, reason)
    site.status = decision.to_status
    if row.step == "award":
        earlier = session.execute(
            select(DemoSiteReview.level, DemoSiteReview.year)
            .where(DemoSiteReview.demo_site_id == site.id, DemoSiteReview.step == "award", STANDING)
            .where(DemoSiteReview.id < row.id)
            .order_by(DemoSiteReview.id.desc())
            .limit(1)
        ).first()
        site.level, site.award_year = earlier or (None, None)
    row.undone_by = _record(session, user, org, site, decision, reason, remote_addr).id
    session.commit()
    return site
