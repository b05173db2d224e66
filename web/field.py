"""The installable field app: its manifest, its service worker, the working set a phone keeps
for use with no signal, and the outbox endpoint that takes queued records in batches.

The service worker is web/static/field/sw.js served at /sw.js (its scope is the whole app),
preceded by one line of settings: the Workbox modules and idb to import and the files to
precache, each URL carrying the hash of its content (web/headers.py), so a changed file
changes the worker and phones update. Workbox's files come from node_modules through
web/assets.py: nothing is built at setup, nothing comes from a CDN. docs/field.md.
"""

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from pydantic import ValidationError

from gridmgmt.domain.errors import UserError
from gridmgmt.domain.vocab import EVENT_TYPES, VISIT_KINDS
from gridmgmt.maps.basemap import basemap_choices
from gridmgmt.maps.styles import GROUP, ROADS, VILLAGE
from gridmgmt.services.accounts.scopes import remember_scopes
from gridmgmt.services.field.outbox import store_event, store_visit
from gridmgmt.services.field.working_set import FieldUser, working_set
from gridmgmt.services.visits.events import EventReport
from gridmgmt.services.visits.records import Fix, VisitInput
from web.assets import basemap
from web.auth import current_actor, current_scope, permission_required, public
from web.db import get_session, one_transaction
from web.field_inputs import CheckinBody, EventBody, FollowupBody, OutboxBody, PhotoBody, VisitBody
from web.followups import store_followup, store_photo_item
from web.inputs import MeetingBody
from web.orgs import store_meeting
from web.params import accepts, problems
from web.visits import store_checkin, visit_settings

bp = Blueprint("field", __name__)

# Workbox's modules in the order they need each other, then idb and the outbox they run.
WORKER_IMPORTS = (
    ("workbox-core", "build/workbox-core.prod.js"),
    ("workbox-routing", "build/workbox-routing.prod.js"),
    ("workbox-strategies", "build/workbox-strategies.prod.js"),
    ("workbox-expiration", "build/workbox-expiration.prod.js"),
    ("workbox-precaching", "build/workbox-precaching.prod.js"),
    ("workbox-background-sync", "build/workbox-background-sync.prod.js"),
    ("idb", "build/umd.js"),
)
# The shell: what the field pages load, kept on the phone by the worker's precache.
PRECACHE_ASSETS = (
    ("leaflet", "dist/leaflet.js"),
    ("leaflet", "dist/leaflet.css"),
    ("idb", "build/umd.js"),
    ("pinyin-pro", "dist/index.js"),
    ("browser-image-compression", "dist/browser-image-compression.js"),
    ("workbox-window", "build/workbox-window.prod.umd.js"),
)
PRECACHE_STATIC = (
    "site.css",
    "pages.css",
    "phone.css",
    "menu.js",
    "attribution.js",
    "favicon.svg",
    "field/field.css",
    "field/outbox.js",
    "field/app.js",
    "field/banner.js",
    "field/sheets.js",
    "field/followup.js",
    "field/followup.css",
    "field/household.js",
    "field/map.js",
    "field/search.js",
    "field/today.js",
    "field/home.js",
    "field/presence.js",
    "field/icon.svg",
    "field/icon-192.png",
    "field/icon-512.png",
    "followups.css",  # the follow-up pages, kept for use with no signal too
    "followups-map.js",
)
THEME = "#b71c1c"


@bp.get("/manifest.webmanifest")
@public
def manifest():
    """The web app manifest: name, icons and the start page of 添加到主屏幕."""
    icons = [
        {
            "src": url_for("static", filename=f"field/icon-{n}.png"),
            "sizes": f"{n}x{n}",
            "type": "image/png",
            "purpose": "any maskable",
        }
        for n in (192, 512)
    ]
    icons.append({"src": url_for("static", filename="field/icon.svg"), "sizes": "any", "type": "image/svg+xml"})
    body = {
        "name": "乡镇党建网格化管理 · 网格员",
        "short_name": "网格走访",
        "lang": "zh-CN",
        "start_url": url_for("mobile.index"),
        "scope": f"{request.script_root}/",
        "display": "standalone",
        "background_color": "#fafaf7",
        "theme_color": THEME,
        "icons": icons,
    }
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


def worker_settings() -> dict:
    """What the service worker needs to know: its imports, its precache, the app's URLs."""

    def asset(package, filename):
        return url_for("assets.package_file", package=package, filename=filename)

    return {
        "imports": [asset(*pair) for pair in WORKER_IMPORTS] + [url_for("static", filename="field/outbox.js")],
        "precache": [asset(*pair) for pair in PRECACHE_ASSETS]
        + [url_for("static", filename=name) for name in PRECACHE_STATIC],
        "pages": [url_for("mobile.index"), url_for("visits.today")],
        "households": url_for("households.show", code="CODE")[: -len("CODE")],
        "followups": _followup_urls(),
        "photos": _photo_prefix(),
        "data": url_for("field.data"),
        "session": url_for("field.login_state"),
        "outbox": url_for("field.outbox"),
        "logout": [url_for("accounts.logout"), url_for("accounts.logout_everywhere")],
    }


def _photo_prefix() -> str:
    return url_for("followups.photo", photo_id=0)[: -len("0")]


def _followup_urls() -> dict:
    """The follow-up pages the worker keeps: the field menu's way in, and the list's and one
    item's paths as a pattern (CODE, ID stand for the township code and the item number)."""
    return {
        "home": url_for("followups.mine"),
        "list": url_for("followups.township", code="CODE"),
        "item": url_for("followups.show", followup_id=0)[: -len("0")],
    }


def page_config() -> dict:
    """What the field pages' scripts need (web/templates/field/scripts.html): the user, the URLs, the map styles."""
    return {
        "user": current_user.id,
        "sw": url_for("field.service_worker"),
        "scope": f"{request.script_root}/",
        "data": url_for("field.data"),
        "session": url_for("field.login_state"),
        "outbox": url_for("field.outbox"),
        "pages": worker_settings()["pages"],
        "household": url_for("households.show", code="CODE")[: -len("CODE")],
        "login": url_for("accounts.login", next=request.path),
        "route": url_for("visits.route"),
        "photos": _photo_prefix(),
        # The user's township's follow-up list, kept for use with no signal (None: no township).
        "followups": url_for("followups.township", code=code) if (code := current_user.township_code) else None,
        "pinyin": url_for("assets.package_file", package="pinyin-pro", filename="dist/index.js"),
        "styles": {"village": VILLAGE, "group": GROUP, "roads": ROADS},
        # 天地图 as the map's base when a key is configured; with no signal its tiles are simply not drawn.
        "basemap": basemap_choices(basemap()),
    }


@bp.app_context_processor
def _field_pages() -> dict:
    # The field pages' templates (mobile/index.html, visits/today.html) draw on these.
    return {"field_config": page_config, "visit_kinds": VISIT_KINDS, "event_types": EVENT_TYPES}


@bp.get("/sw.js")
@public
def service_worker():
    """The service worker: its settings, then web/static/field/sw.js; never cached long."""
    script = (Path(current_app.static_folder) / "field" / "sw.js").read_text(encoding="utf-8")
    settings = json.dumps(worker_settings(), ensure_ascii=False)
    response = Response(f"const FIELD_SW = {settings};\n{script}", mimetype="text/javascript")
    response.cache_control.no_cache = True
    return response


@bp.get("/api/field/session")
@permission_required("use_phone_layout")
def login_state():
    """Who is logged in and a fresh CSRF token, for the phone's outbox (never cached)."""
    response = current_app.json.response(
        {"user": {"id": current_user.id, "username": current_user.username}, "csrf_token": generate_csrf()}
    )
    response.cache_control.no_store = True
    return response


@bp.get("/api/field/data")
@permission_required("use_phone_layout")
def data():
    """The logged-in field user's working set; 304 when the phone's copy (If-None-Match) is current."""
    user = FieldUser(current_user.id, current_user.username, current_user.role, current_user.cadre_id, current_scope())
    known = next(iter(request.if_none_match.as_set()), None)
    found = working_set(get_session(), user, visit_settings(), current_actor(), known)
    response = Response(status=304) if found.data is None else current_app.json.response(found.data)
    response.set_etag(found.version)
    response.cache_control.private = True
    response.cache_control.no_cache = True
    response.vary.add("Cookie")
    return response


@bp.post("/api/field/outbox")
@permission_required("record_visits")
@accepts(body=OutboxBody)
def outbox(body: OutboxBody):
    """Store queued records (visits, events, check-ins, meetings, follow-ups, photos) one by one,
    in one transaction; each answered with what the server holds under its client id, or with
    its own refusal ({"error": {..., "final": true}})."""
    with one_transaction() as session:
        remember_scopes(session)  # the batch is one cadre's: their scope is worked out once
        answers = [_stored(item, VisitBody, _store_visit) for item in body.visits]
        answers += [_stored(item, EventBody, _store_event) for item in body.events]
        answers += [_stored(item, CheckinBody, store_checkin) for item in body.checkins]
        answers += [_stored(item, MeetingBody, store_meeting) for item in body.meetings]
        # Follow-ups and photos after the visits they belong to (web/followups.py).
        answers += [_stored(item, FollowupBody, store_followup) for item in body.followups]
        answers += [_stored(item, PhotoBody, store_photo_item) for item in body.photos]
    return {"results": answers}


def _refused(client_id, status: int, message: str, final: bool = True) -> dict:
    # A refusal of the item itself: resending it can never pass (web.auth.json_error's "final"),
    # unless the error says it may (a photo whose visit has not arrived yet).
    return {"client_id": client_id, "status": status, "error": {"code": "refused", "message": message, "final": final}}


def _stored(item: dict, model, store) -> dict:
    """ITEM checked against MODEL and stored by STORE(body): what the server holds, or the refusal."""
    try:
        body = model.model_validate(item)
    except ValidationError as error:
        return _refused(item.get("client_id"), 400, "；".join(problems(model, error)))
    try:
        stored = store(body)
    except UserError as exc:
        get_session().rollback()  # back to the item's savepoint: nothing of it stays (web.db.one_transaction)
        return _refused(body.client_id, exc.status, str(exc), getattr(exc, "final", True))
    return {"client_id": body.client_id, "status": 201 if stored["created"] else 200, "stored": stored}


def _store_visit(body: VisitBody) -> dict:
    fix = None if body.lon is None or body.lat is None else Fix(body.lon, body.lat, body.accuracy_m)
    return store_visit(
        get_session(),
        VisitInput(
            client_id=body.client_id,
            cadre_id=current_user.cadre_id,
            visited_at=body.visited_at or _now(),
            household_id=body.household_id,
            kind=body.kind,
            note=body.note or None,
            fix=fix,
        ),
        body.event_id,
        visit_settings(),
    )


def _store_event(body: EventBody) -> dict:
    return store_event(
        get_session(),
        EventReport(
            body.event_type,
            current_user.cadre_id,
            body.reported_at or _now(),
            household_id=body.household_id,
            description=body.description or None,
            client_id=body.client_id,
        ),
        visit_settings(),
    )


def _now() -> datetime:
    return datetime.now(ZoneInfo("UTC"))
