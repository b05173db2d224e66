"""The household page (一户一档): scoped, the 四必访 flags only for roles that need them (audited),
who looks after the household, its visit history, and the buttons 记录走访 and 导航."""

from flask import Blueprint, render_template
from flask_login import current_user

from gridmgmt.domain.permissions import MASK, may
from gridmgmt.domain.vocab import MUST_VISIT_FLAGS
from gridmgmt.services.followups.household_file import household_file
from gridmgmt.services.mapdata.households import household_detail
from web.auth import current_actor, current_scope, permission_required
from web.db import get_session

bp = Blueprint("households", __name__)


@bp.get("/households/<code>")
@permission_required("view_household")
def show(code: str):
    """Household CODE; 404 when unknown or outside the user's scope."""
    house = household_detail(get_session(), code, current_user.role, current_scope(), current_actor())
    return render_template(
        "households/show.html",
        house=house,
        labels=MUST_VISIT_FLAGS,
        mask=MASK,
        file=household_file(get_session(), code),
        may_record=may(current_user.role, "record_visits"),
    )
