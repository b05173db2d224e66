"""The navigation bar: the county and township pages that the current user's role may open."""

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_login import current_user

from gridmgmt.domain.permissions import may

# (label, endpoint, action) in the order a planner works through them.
TOWNSHIP_PAGES = (
    ("总览", "townships.show", "view_township"),
    ("组织覆盖", "coverage.page", "view_coverage"),
    ("组织生活", "orgs.page", "view_coverage"),
    ("走访", "visits.township", "view_compliance"),
    ("驻村包村", "postings.page", "view_coverage"),
    ("网格", "grids.index", "edit_grids"),
    ("示范点", "sites.page", "review_sites"),
    ("民情跟进", "followups.township", "view_followups"),
)
# The field app's pages, for the roles that work on a phone.
FIELD_PAGES = (("我的网格", "mobile.index"), ("今日走访", "visits.today"), ("民情跟进", "followups.mine"))


@dataclass(frozen=True)
class NavLink:
    """One entry of the navigation bar."""

    label: str
    url: str
    active: bool


def township_links(township: str | None = None) -> list[NavLink]:
    """Links to the pages of the township on screen (TOWNSHIP, the one a village or household page
    names; else that of a /townships/<code>/… page; else the user's own) the role may open, after a
    county user's 县级总览; for the field roles, their phone pages."""
    if not current_user.is_authenticated:
        return []
    if may(current_user.role, "use_phone_layout"):
        return [NavLink(label, url_for(endpoint), request.endpoint == endpoint) for label, endpoint in FIELD_PAGES]
    code = township or _township_page() or current_user.township_code
    pages = [
        NavLink(label, url_for(endpoint, code=code), request.endpoint == endpoint)
        for label, endpoint, action in TOWNSHIP_PAGES
        if code and may(current_user.role, action)
    ]
    return county_links() + pages


def _township_page() -> str | None:
    """The township code of a /townships/<code>/… page; None elsewhere, where a <code> is a village's,
    a household's or a plan's own."""
    rule = request.url_rule
    return request.view_args.get("code") if rule is not None and rule.rule.startswith("/townships/<code>") else None


def county_links() -> list[NavLink]:
    """The 县级总览 of the current user's county, for county users."""
    county = current_user.county_code
    if not county or not may(current_user.role, "view_county"):
        return []
    return [NavLink("县级总览", url_for("county.show", county=county), request.endpoint == "county.show")]


def init_app(app: Flask) -> None:
    """Offer the navigation links to every template."""
    app.context_processor(lambda: {"nav_links": township_links})
