"""Follow-ups (民情/需跟进): the township's list and map of open items (overdue ones stand out),
one item's page where it is taken up and closed, visit photos for whoever may see the
household, and the phone outbox's follow-up and photo items (web/field.py hands them here).
"""

import base64
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, redirect, render_template, send_file, url_for
from flask_login import current_user

from gridmgmt.config import get_settings
from gridmgmt.domain.followups import CATEGORIES, STATES, TRANSITIONS, FollowupError, FollowupRules
from gridmgmt.domain.permissions import may
from gridmgmt.services.followups.owners import owner_choices, reassign_followup
from gridmgmt.services.followups.raising import Raised, Taken, move_followup, raise_followup, store_photo
from gridmgmt.services.followups.reads import as_features, followup, photo_file, township_followups
from web.auth import current_actor, current_scope, home_url, permission_required, require_township
from web.db import get_session
from web.field_inputs import FollowupBody, PhotoBody
from web.inputs import FollowupMove, FollowupOwner, FollowupQuery
from web.params import accepts

bp = Blueprint("followups", __name__)


def followup_rules() -> FollowupRules:
    """The follow-up rules of the configuration (GRIDMGMT_FOLLOWUP_DUE_DAYS)."""
    return FollowupRules(due_days=get_settings().followup_due_days)


@bp.get("/m/followups")
@permission_required("view_followups")
def mine():
    """The field roles' way in: their own township's list (their scope only); admins go home."""
    code = current_user.township_code
    return redirect(url_for("followups.township", code=code) if code else home_url())


@bp.get("/townships/<code>/followups")
@permission_required("view_followups")
@accepts(query=FollowupQuery)
def township(code: str, query: FollowupQuery):
    """The follow-ups of township CODE the user may see, soonest due first, on a list and a map."""
    require_township(code)
    now = datetime.now(UTC)
    items = township_followups(get_session(), code, current_scope(), now, open_only=query.state == "open")
    return render_template(
        "followups/list.html",
        code=code,
        items=items,
        shown=query.state,
        overdue=sum(item.overdue for item in items),
        features=as_features(items),
    )


@bp.get("/followups/<int:followup_id>")
@permission_required("view_followups")
def show(followup_id: int):
    """One follow-up: what, where, who, its photos; taking it up or closing it for those who may."""
    item = followup(get_session(), followup_id, current_scope(), datetime.now(UTC))
    handles = may(current_user.role, "handle_followups")
    moves = TRANSITIONS[item.state] if handles else ()
    day = get_settings().today()
    owners = owner_choices(get_session(), followup_id, current_scope(), day) if handles and moves else []
    return render_template("followups/show.html", item=item, moves=moves, states=STATES, owners=owners)


@bp.post("/followups/<int:followup_id>/state")
@permission_required("handle_followups")
@accepts(form=FollowupMove)
def move(followup_id: int, form: FollowupMove):
    """Move the follow-up to the form's state (closing needs the note); back to its page."""
    move_followup(get_session(), followup_id, form.state, form.note, form.version, current_scope(), current_actor())
    return redirect(url_for("followups.show", followup_id=followup_id))


@bp.post("/followups/<int:followup_id>/owner")
@permission_required("handle_followups")
@accepts(form=FollowupOwner)
def reassign(followup_id: int, form: FollowupOwner):
    """Hand the follow-up to another cadre of its village (its township, for township users); audited."""
    day = get_settings().today()
    reassign_followup(get_session(), followup_id, form.owner, form.version, current_scope(), day, current_actor())
    return redirect(url_for("followups.show", followup_id=followup_id))


@bp.get("/photos/<int:photo_id>")
@permission_required("view_household")
def photo(photo_id: int):
    """A visit photo, for users whose scope holds its household; never cached by a shared cache."""
    path, kind = photo_file(get_session(), photo_id, current_scope(), get_settings().files_dir)
    response = send_file(path, mimetype=kind, max_age=0)
    response.cache_control.private = True
    response.vary.add("Cookie")
    return response


@bp.app_context_processor
def _labels() -> dict:
    return {"followup_categories": CATEGORIES}


@bp.app_template_filter("local_time")
def local_time(moment: datetime | str, shown: str = "%Y-%m-%d %H:%M") -> str:
    """MOMENT (a datetime or ISO text) in the configured time zone, as SHOWN."""
    moment = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return moment.astimezone(ZoneInfo(get_settings().timezone)).strftime(shown)


def store_followup(body: FollowupBody) -> dict:
    """Store a follow-up from the phone's outbox once; what the server holds."""
    raised = Raised(body.client_id, body.visit_client_id, current_user.cadre_id, body.category, body.note)
    stored, created = raise_followup(get_session(), raised, followup_rules(), current_actor())
    return {
        "id": stored.id,
        "client_id": str(stored.client_id),
        "created": created,
        "visit_id": stored.visit_id,
        "category": stored.category,
        "note": stored.note,
        "state": stored.state,
        "due_at": stored.due_at.isoformat(),
    }


def store_photo_item(body: PhotoBody) -> dict:
    """Store a photo from the phone's outbox once; what the server holds (never the bytes)."""
    try:
        data = base64.b64decode(body.data, validate=True)
    except ValueError:  # binascii.Error is one: not base64, or not even ASCII
        raise FollowupError("照片数据已损坏（不是有效的 base64），请重新拍摄") from None
    taken = Taken(body.client_id, body.visit_client_id, current_user.cadre_id, data)
    stored, created = store_photo(get_session(), taken, get_settings().files_dir, current_actor())
    return {
        "id": stored.id,
        "client_id": str(stored.client_id),
        "created": created,
        "visit_id": stored.visit_id,
        "content_type": stored.content_type,
        "size": stored.size,
        "sha256": stored.sha256,
    }
