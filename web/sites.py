"""The demo-site review page: corridors, scored candidates, the chosen set, the tour, the record."""

from dataclasses import dataclass, field, replace
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from gridmgmt.analysis.siting import Selection, SelectionError
from gridmgmt.config import get_settings
from gridmgmt.domain.errors import Conflict
from gridmgmt.domain.permissions import may
from gridmgmt.domain.site_criteria import SiteConfig
from gridmgmt.domain.site_review import (
    AWARD_LEVELS,
    REASON_STEPS,
    STEP_LABEL_OF_STATUS,
    STEP_LABELS,
    STEPS,
    ReviewError,
)
from gridmgmt.domain.site_standards import SiteStandard, org_life_review_period
from gridmgmt.domain.vocab import DEMO_SITE_THEMES
from gridmgmt.domain.wording import file_name
from gridmgmt.maps.sites import SiteOverlays, add_site_overlays
from gridmgmt.maps.township import render_parts
from gridmgmt.services.sites import layers as site_layers
from gridmgmt.services.sites.measures import NoSeat
from gridmgmt.services.sites.records import site_records, township_reminders
from gridmgmt.services.sites.review import Application, review
from gridmgmt.services.sites.selection import (
    Tour,
    most_feasible,
    plan_tour,
    score_sites,
    select_sites,
    selection_rules,
    township_id,
)
from gridmgmt.services.sites.sheet import candidate_rows, review_sheet
from gridmgmt.services.sites.tour_sheet import tour_pdf
from web.auth import current_actor, permission_required, require_township
from web.db import get_session
from web.downloads import PDF, XLSX, attachment
from web.inputs import ReviewForm, SiteQuery
from web.pagemap import role_map
from web.params import accepts

bp = Blueprint("sites", __name__)
# Web requests wait at most this long for the exact selection.
TIME_LIMIT_S = 5.0


@dataclass
class Query:
    """The page's selection form: criteria thresholds and selection rules, with errors."""

    config: SiteConfig = SiteConfig()
    k: int | None = None  # None: score only, choose nothing
    per_field: int | None = None
    per_theme: int | None = None
    must: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def parse_query(query: SiteQuery) -> Query:
    """The selection form from the checked QUERY; its bad values are listed in errors, left at defaults."""
    must = [c for c in query.must.replace("，", ",").split(",") if c.strip()]
    values = {
        "corridor_m": f"{query.corridor_m:g}",
        "catchment_m": f"{query.catchment_m:g}",
        "k": query.k or "",
        "spacing_m": f"{query.spacing_m:g}",
        "per_field": query.per_field or "",
        "per_theme": query.per_theme or "",
        "per_committee": query.per_committee or "",
        "must": ",".join(must),
    }
    config = SiteConfig(
        corridor_m=query.corridor_m,
        catchment_m=query.catchment_m,
        min_spacing_m=query.spacing_m,
        standard=SiteStandard(per_committee=query.per_committee),
    )
    k = query.k if not query.problems else None
    return Query(config, k, query.per_field, query.per_theme, [c.strip() for c in must], values, query.problems)


@dataclass
class Evaluation:
    """The scored candidates of a township and, when asked for, the chosen set and its tour."""

    query: Query
    scored: list
    chosen: Selection | None = None
    tour: Tour | None = None
    error: str | None = None
    most: int = 0  # the most sites the query's rules let be chosen

    @property
    def chosen_ids(self) -> frozenset[int]:
        """Party-org ids of the chosen set (empty when none)."""
        return frozenset(self.chosen.ids) if self.chosen else frozenset()


def _reviewed(standard: SiteStandard) -> SiteStandard:
    """STANDARD with 组织生活 checked over the review period ending before today."""
    return replace(standard, org_life_period=org_life_review_period(get_settings().today()))


def _evaluate(session, code: str, checked: SiteQuery, with_tour: bool) -> Evaluation:
    """Score township CODE by the request's CHECKED query (组织生活 over the review period); choose
    (and tour) when k was given."""
    query = parse_query(checked)
    query.config = replace(query.config, standard=_reviewed(query.config.standard))
    found = Evaluation(query, score_sites(session, code, query.config))
    try:
        rules = selection_rules(session, query.k or 1, query.config, query.per_field, query.per_theme, query.must)
        found.most = most_feasible(found.scored, rules)
        if not query.k:
            return found
        found.chosen = select_sites(found.scored, rules, time_limit_s=TIME_LIMIT_S)
        found.tour = plan_tour(session, code, found.chosen.ids) if with_tour else None
    except (SelectionError, NoSeat) as exc:
        found.chosen, found.error = None, str(exc)
    return found


@bp.get("/townships/<code>/sites")
@permission_required("review_sites")
@accepts(query=SiteQuery)
def page(code: str, query: SiteQuery):
    """The review page of township CODE."""
    require_township(code)
    session = get_session()
    town = township_id(session, code)
    found = _evaluate(session, code, query, with_tour=True)
    config = found.query.config
    overlays = SiteOverlays(
        site_layers.corridors(session, town, config),
        site_layers.candidates(session, found.scored, found.chosen_ids),
        site_layers.tour_path(found.tour) if found.tour else None,
    )
    layers, fmap = role_map(session, code, grid=True)
    headers, rows = candidate_rows(found.scored, config, found.chosen_ids)
    records = site_records(session, town, config.standard)
    applied = {r.code for r in records}
    return render_template(
        "sites/review.html",
        layers=layers,
        map=render_parts(add_site_overlays(fmap, overlays)),
        query=found.query,
        chosen=found.chosen,
        most=found.most,
        tour=found.tour,
        error=found.error,
        headers=headers,
        rows=rows,
        records=records,
        reminders=township_reminders(session, town, date.today()),
        can_decide=may(current_user.role, "decide_sites"),
        steps=STEPS,
        reason_steps=[STEP_LABELS[s] for s in REASON_STEPS],
        levels=AWARD_LEVELS,
        themes=DEMO_SITE_THEMES,
        status_labels=STEP_LABEL_OF_STATUS,
        applicable=[s.candidate for s in found.scored if s.eligible and s.candidate.code not in applied],
        this_year=date.today().year,
        today=date.today(),
    )


@bp.get("/townships/<code>/sites.xlsx")
@permission_required("review_sites")
@accepts(query=SiteQuery)
def sheet(code: str, query: SiteQuery):
    """The review sheet of township CODE as Excel, with the page's thresholds and selection."""
    require_township(code)
    session = get_session()
    found = _evaluate(session, code, query, with_tour=False)
    data = review_sheet(
        session,
        code,
        found.scored,
        found.query.config,
        found.chosen_ids,
        actor=current_actor(),
        tz=get_settings().timezone,
    )
    return attachment(data, XLSX, file_name("demo_sites", code, ext="xlsx"))


@bp.get("/townships/<code>/sites/tour.pdf")
@permission_required("review_sites")
@accepts(query=SiteQuery)
def tour(code: str, query: SiteQuery):
    """The printed tour of the page's chosen set: the map with the numbered route and the way back, the table beside."""
    require_township(code)
    session = get_session()
    found = _evaluate(session, code, query, with_tour=True)
    if found.tour is None:
        problems = found.query.errors or [found.error or "先填写“选出示范点个数”并选定示范点，再打印观摩路线"]
        raise Conflict("；".join(problems))
    data = tour_pdf(session, code, found.tour, current_actor(), get_settings().today())
    return attachment(data, PDF, file_name("site_tour", code, ext="pdf"))


@bp.post("/townships/<code>/sites/review")
@permission_required("decide_sites")
@accepts(form=ReviewForm)
def decide(code: str, form: ReviewForm):
    """Record a review step for the form's org; rule breaches come back as a message, changing nothing."""
    require_township(code)
    session = get_session()
    try:
        if form.problems:
            raise ReviewError("；".join(form.problems))
        site = review(
            session,
            current_user,
            form.org,
            form.step,
            form.year,
            form.level,
            form.comment,
            request.remote_addr,
            township_id(session, code),
            stated=Application(form.theme, form.highlight, form.contact_point or None, form.secretary_model or None),
            standard=_reviewed(SiteStandard()),
        )
        flash(f"{form.org}：{STEP_LABELS[form.step]}，现为“{STEP_LABEL_OF_STATUS[site.status]}”", "ok")
    except ReviewError as exc:
        session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("sites.page", code=code))
