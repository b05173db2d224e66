"""The demo-site review page: corridors, scored candidates, the chosen set, the tour, the record."""
from dataclasses import dataclass, field, replace
from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from gridmgmt.analysis.siting import Rules, Selection, SelectionError
from gridmgmt.db.models import AppUser
from gridmgmt.domain.permissions import may
from gridmgmt.domain.site_criteria import SiteConfig
from gridmgmt.domain.site_review import AWARD_LEVELS, STEP_LABEL_OF_STATUS, STEPS, ReviewError
from gridmgmt.domain.vocab import DEMO_SITE_THEMES
from gridmgmt.maps.sites import EXCLUDED, SCORE_BANDS, SiteOverlays, add_site_overlays
from gridmgmt.maps.township import render_parts
from gridmgmt.services import site_layers
from gridmgmt.services.site_measures import NoSeat
from gridmgmt.services.site_review import review, site_records, township_reminders
from gridmgmt.services.site_sheet import candidate_rows, review_sheet
from gridmgmt.services.sites import Tour, org_ids, plan_tour, score_sites, select_sites, township_id
from web.auth import current_actor, permission_required, require_township
from web.db import get_session
from web.pagemap import role_map

bp = Blueprint("sites", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Web requests wait at most this long for the exact selection.
TIME_LIMIT_S = 5.0


@dataclass
class Query:
    """The page's selection form: criteria thresholds and selection rules, with errors."""

    config: SiteConfig = SiteConfig()
    rules: Rules | None = None
    must: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _number(args, name: str, label: str, kind, default, errors: list[str], low=0):
    text = args.get(name, "").strip()
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or value < low:
        errors.append(f"{label}应为不小于 {low} 的{'整数' if kind is int else '数'}：{text}")
        return default
    return value


def parse_query(args) -> Query:
    """The selection form from ARGS; bad values are listed in errors and left at defaults."""
    errors: list[str] = []
    corridor = _number(args, "corridor_m", "走廊宽度", float, 300.0, errors)
    catchment = _number(args, "catchment_m", "辐射范围", float, 3000.0, errors)
    k = _number(args, "k", "示范点个数", int, None, errors, low=1)
    spacing = _number(args, "spacing_m", "最小间距", float, 1500.0, errors)
    per_field = _number(args, "per_field", "每领域上限", int, None, errors, low=1)
    per_theme = _number(args, "per_theme", "每主题上限", int, None, errors, low=1)
    must = [c for c in args.get("must", "").replace("，", ",").split(",") if c.strip()]
    rules = Rules(k, spacing, per_field, per_theme) if k and not errors else None
    values = {"corridor_m": f"{corridor:g}", "catchment_m": f"{catchment:g}", "k": k or "",
              "spacing_m": f"{spacing:g}",
              "per_field": per_field or "", "per_theme": per_theme or "", "must": ",".join(must)}
    config = SiteConfig(corridor_m=corridor, catchment_m=catchment)
    return Query(config, rules, [c.strip() for c in must], values, errors)


@dataclass
class Evaluation:
    """The scored candidates of a township and, when asked for, the chosen set and its tour."""

    query: Query
    scored: list
    chosen: Selection | None = None
    tour: Tour | None = None
    error: str | None = None

    @property
    def chosen_ids(self) -> frozenset[int]:
        """Party-org ids of the chosen set (empty when none)."""
        return frozenset(self.chosen.ids) if self.chosen else frozenset()


def _evaluate(session, code: str, with_tour: bool) -> Evaluation:
    """Score township CODE by the request's query; choose (and tour) when k was given."""
    query = parse_query(request.args)
    found = Evaluation(query, score_sites(session, code, query.config))
    if query.rules is None:
        return found
    try:
        rules = replace(query.rules, must_include=org_ids(session, query.must))
        found.chosen = select_sites(found.scored, rules, time_limit_s=TIME_LIMIT_S)
        found.tour = plan_tour(session, code, found.chosen.ids) if with_tour else None
    except (SelectionError, NoSeat) as exc:
        found.chosen, found.error = None, str(exc)
    return found


@bp.get("/townships/<code>/sites")
@permission_required("review_sites")
def page(code: str):
    """The review page of township CODE."""
    require_township(code)
    session = get_session()
    town = township_id(session, code)
    found = _evaluate(session, code, with_tour=True)
    config = found.query.config
    overlays = SiteOverlays(site_layers.corridors(session, town, config),
                            site_layers.candidates(session, found.scored, found.chosen_ids),
                            site_layers.tour_path(found.tour) if found.tour else None)
    layers, fmap = role_map(session, code)
    headers, rows = candidate_rows(found.scored, config, found.chosen_ids)
    records = site_records(session, town)
    applied = {r.code for r in records}
    return render_template(
        "sites/review.html", layers=layers, map=render_parts(add_site_overlays(fmap, overlays)),
        query=found.query, chosen=found.chosen, tour=found.tour, error=found.error,
        headers=headers, rows=rows, records=records,
        reminders=township_reminders(session, town, date.today()),
        can_decide=may(current_user.role, "decide_sites"), steps=STEPS, levels=AWARD_LEVELS,
        themes=DEMO_SITE_THEMES, status_labels=STEP_LABEL_OF_STATUS,
        applicable=[s.candidate for s in found.scored if s.eligible and s.candidate.code not in applied],
        this_year=date.today().year, today=date.today(), bands=SCORE_BANDS, excluded_colour=EXCLUDED)


@bp.get("/townships/<code>/sites.xlsx")
@permission_required("review_sites")
def sheet(code: str):
    """The review sheet of township CODE as Excel, with the page's thresholds and selection."""
    require_township(code)
    session = get_session()
    found = _evaluate(session, code, with_tour=False)
    data = review_sheet(session, code, found.scored, found.query.config, found.chosen_ids, current_actor())
    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f"attachment; filename=demo-sites-{code}.xlsx"})


@bp.post("/townships/<code>/sites/review")
@permission_required("decide_sites")
def decide(code: str):
    """Record a review step for the form's org; rule breaches come back as a message, changing nothing."""
    require_township(code)
    session = get_session()
    form = request.form
    org_code = form.get("org", "")
    try:
        year = int(form.get("year") or date.today().year)
        site = review(session, session.get(AppUser, current_user.id), org_code, form.get("step", ""),
                      year, form.get("level") or None, form.get("comment") or None,
                      form.get("theme") or None, request.remote_addr, township_id(session, code),
                      contact_point=form.get("contact_point") == "1" or None,
                      secretary_model=form.get("secretary_model") == "1" or None)
        flash(f"{org_code}：{STEPS[form['step']][2]}，现为“{STEP_LABEL_OF_STATUS[site.status]}”", "ok")
    except ValueError as exc:
        session.rollback()
        flash(str(exc) if isinstance(exc, ReviewError) else f"年度应为整数：{form.get('year')}", "error")
    return redirect(url_for("sites.page", code=code))
