"""The demo-site review page: corridors, scored candidates, the chosen set, the tour, the record."""
from dataclasses import dataclass, field
from datetime import date

from flask import (
    Blueprint, Response, current_app, flash, redirect, render_template, request, url_for,
)
from flask_login import current_user

from gridmgmt.analysis.siting import Rules, SelectionError
from gridmgmt.db.models import AppUser
from gridmgmt.domain.permissions import may
from gridmgmt.domain.site_criteria import CRITERIA, SiteConfig
from gridmgmt.domain.site_review import AWARD_LEVELS, STEP_LABEL_OF_STATUS, STEPS, ReviewError
from gridmgmt.domain.vocab import DEMO_SITE_THEMES, ORG_FIELDS
from gridmgmt.maps.sites import EXCLUDED, SCORE_BANDS, SiteOverlays, add_site_overlays
from gridmgmt.maps.township import render_parts, township_map
from gridmgmt.services import site_layers
from gridmgmt.services.layers import township_layers
from gridmgmt.services.site_measures import NoSeat
from gridmgmt.services.site_review import review, site_records, township_reminders
from gridmgmt.services.site_sheet import candidate_rows, review_sheet
from gridmgmt.services.sites import org_ids, plan_tour, score_sites, select_sites, township_id
from web.assets import assets_url
from web.auth import permission_required, require_township
from web.db import get_session
from web.tiles import household_tiles

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
    values = {"corridor_m": corridor, "catchment_m": catchment, "k": k or "", "spacing_m": spacing,
              "per_field": per_field or "", "per_theme": per_theme or "", "must": ",".join(must)}
    config = SiteConfig(corridor_m=corridor, catchment_m=catchment)
    return Query(config, rules, [c.strip() for c in must], values, errors)


def _choose(session, code: str, scored, query: Query):
    """(selection, tour, error) for the query's rules; nothing when no k was asked for."""
    if query.rules is None:
        return None, None, None
    try:
        rules = Rules(**{**query.rules.__dict__, "must_include": org_ids(session, query.must)})
        chosen = select_sites(scored, rules, time_limit_s=TIME_LIMIT_S)
        return chosen, plan_tour(session, code, chosen.ids), None
    except (SelectionError, NoSeat) as exc:
        return None, None, str(exc)


@bp.get("/townships/<code>/sites")
@permission_required("review_sites")
def page(code: str):
    """The review page of township CODE."""
    require_township(code)
    session = get_session()
    query = parse_query(request.args)
    town = township_id(session, code)
    scored = score_sites(session, code, query.config)
    chosen, tour, error = _choose(session, code, scored, query)
    chosen_ids = frozenset(chosen.ids) if chosen else frozenset()
    overlays = SiteOverlays(site_layers.corridors(session, town, query.config),
                            site_layers.candidates(session, scored, chosen_ids),
                            site_layers.tour_path(session, town, tour) if tour else None)
    layers = township_layers(session, code)
    fmap = township_map(layers, assets_url(), current_app.config["TIANDITU_KEY"], household_tiles())
    headers, rows = candidate_rows(scored, query.config, chosen_ids)
    records = site_records(session, town)
    applied = {r.code for r in records}
    return render_template(
        "sites/review.html", layers=layers, map=render_parts(add_site_overlays(fmap, overlays)),
        query=query, chosen=chosen, tour=tour, error=error, headers=headers, rows=rows,
        criteria=CRITERIA, records=records, reminders=township_reminders(session, town, date.today()),
        can_decide=may(current_user.role, "decide_sites"), steps=STEPS, levels=AWARD_LEVELS,
        themes=DEMO_SITE_THEMES, fields=ORG_FIELDS, status_labels=STEP_LABEL_OF_STATUS,
        applicable=[s.candidate for s in scored if s.eligible and s.candidate.code not in applied],
        this_year=date.today().year, bands=SCORE_BANDS, excluded_colour=EXCLUDED)


@bp.get("/townships/<code>/sites.xlsx")
@permission_required("review_sites")
def sheet(code: str):
    """The review sheet of township CODE as Excel, with the page's thresholds and selection."""
    require_township(code)
    session = get_session()
    query = parse_query(request.args)
    scored = score_sites(session, code, query.config)
    chosen, _tour, _error = _choose(session, code, scored, query)
    data = review_sheet(session, code, scored, query.config, frozenset(chosen.ids) if chosen else frozenset())
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
                      form.get("theme") or None, request.remote_addr, township_id(session, code))
        flash(f"{org_code}：{STEPS[form['step']][2]}，现为“{STEP_LABEL_OF_STATUS[site.status]}”", "ok")
    except ValueError as exc:
        session.rollback()
        flash(str(exc) if isinstance(exc, ReviewError) else f"年度应为整数：{form.get('year')}", "error")
    return redirect(url_for("sites.page", code=code))
