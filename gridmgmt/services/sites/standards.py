"""The 创建标准 of gridmgmt.domain.site_standards applied to stored orgs and sites: what a site
lacks (its 组织生活 among it), the 党委 above each org, and the sites a 党委 has put forward in a year."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from gridmgmt.db.models import DemoSite, DemoSiteReview, PartyOrg
from gridmgmt.domain.site_review import ReviewError, require_standard
from gridmgmt.domain.site_standards import (
    ALL_HAVES,
    SiteStandard,
    highlight_shortfalls,
    not_grassroots,
    org_life_shortfall,
    parent_committee,
    quota_breach,
    venue_shortfalls,
)
from gridmgmt.services.orgs.org_life import missed_meetings

# Sites whose application no longer holds a 党委's yearly slot.
SLOT_FREED = ("failed", "withdrawn")


@dataclass(frozen=True)
class OrgTree:
    """The party orgs of a township: parent, type and name by id."""

    parents: dict[int, int | None]
    types: dict[int, str]
    names: dict[int, str]

    def committee(self, org_id: int) -> tuple[int | None, str]:
        """Id and name of the nearest 党委 above ORG_ID ((None, '') when there is none)."""
        found = parent_committee(org_id, self.parents, self.types)
        return found, self.names.get(found, "")


def org_tree(session: Session, township_id: int) -> OrgTree:
    """The org tree of the township."""
    rows = session.execute(
        select(PartyOrg.id, PartyOrg.parent_id, PartyOrg.org_type, PartyOrg.name).where(
            PartyOrg.township_id == township_id
        )
    ).all()
    return OrgTree({r[0]: r[1] for r in rows}, {r[0]: r[2] for r in rows}, {r[0]: r[3] for r in rows})


def org_haves(org: PartyOrg) -> frozenset[str]:
    """The 八有 and 六有 items ORG's venue has."""
    return frozenset(k for k in ALL_HAVES if getattr(org, k))


def township_missed(session: Session, township_id: int, standard: SiteStandard) -> dict[int, list[str]]:
    """The 组织生活 meetings each branch of the township missed in the standard's review period, by
    org id; empty when the standard sets no period."""
    if standard.org_life_period is None:
        return {}
    return missed_meetings(session, township_id, *standard.org_life_period)


def site_shortfalls(
    org: PartyOrg, theme: str | None, highlight: str | None, standard: SiteStandard, missed=()
) -> list[str]:
    """Everything ORG lacks against the 创建标准 as a site with THEME and HIGHLIGHT, having MISSED
    those 组织生活 meetings in the review period; empty when it passes."""
    area = None if org.venue_area_m2 is None else float(org.venue_area_m2)
    out = [r for r in [not_grassroots(org.org_type, standard)] if r]
    out += venue_shortfalls(org.field, area, org_haves(org), standard)
    out += [r for r in [org_life_shortfall(org.org_type, missed, standard)] if r]
    return out + highlight_shortfalls(theme, highlight)


def committee_taken(session: Session, org: PartyOrg, year: int, tree: OrgTree) -> list[str]:
    """Names of the other orgs under ORG's 党委 whose application of YEAR still stands."""
    mine, _ = tree.committee(org.id)
    if mine is None:
        return []
    rows = session.execute(
        select(PartyOrg.id, PartyOrg.name)
        .join(DemoSite, DemoSite.party_org_id == PartyOrg.id)
        .join(DemoSiteReview, DemoSiteReview.demo_site_id == DemoSite.id)
        .where(
            PartyOrg.township_id == org.township_id,
            PartyOrg.id != org.id,
            DemoSiteReview.step == "apply",
            DemoSiteReview.year == year,
            DemoSiteReview.undone_by.is_(None),
            DemoSite.status.not_in(SLOT_FREED),
        )
        .distinct()
        .order_by(PartyOrg.name)
    ).all()
    return [name for org_id, name in rows if tree.committee(org_id)[0] == mine]


def check_step(
    session: Session, org: PartyOrg, step: str, year: int, site_facts: tuple[str | None, str | None], standard
) -> None:
    """Refuse STEP for ORG's site (SITE_FACTS: its theme and 亮点) when it lacks the 创建标准, or, at
    申报, when its 党委 has put forward its sites of YEAR already; ReviewError lists why."""
    missed = township_missed(session, org.township_id, standard).get(org.id, ())
    require_standard(step, site_shortfalls(org, *site_facts, standard, missed))
    if step != "apply":
        return
    tree = org_tree(session, org.township_id)
    _, name = tree.committee(org.id)
    breach = quota_breach(name, year, committee_taken(session, org, year, tree), standard)
    if breach:
        raise ReviewError(breach)
