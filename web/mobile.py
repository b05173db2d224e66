"""The field user's home page 我的网格: their cells with their liaisons, or the villages they
are posted to with the published cells in them, or whom to ask when nothing is assigned; the
map, the household search and lists are drawn on the phone from the working set (web/field.py)."""

from flask import Blueprint, render_template
from flask_login import current_user

from gridmgmt.services.field.my_grid import my_grid
from web.auth import permission_required
from web.db import get_session
from web.visits import visit_settings

bp = Blueprint("mobile", __name__)


@bp.get("/m")
@permission_required("use_phone_layout")
def index():
    """The field app's home: what the user answers for (web/templates/mobile/index.html)."""
    mine = my_grid(get_session(), current_user.cadre_id, visit_settings().today())
    return render_template("mobile/index.html", mine=mine)
