"""The field user's home page 我的网格: their grid cells and 联户 party members; the map, the
household search and lists are drawn on the phone from the working set (web/field.py)."""

from flask import Blueprint, render_template
from flask_login import current_user

from gridmgmt.services.grids.views import my_cells
from web.auth import permission_required
from web.db import get_session

bp = Blueprint("mobile", __name__)


@bp.get("/m")
@permission_required("use_phone_layout")
def index():
    """The field app's home: the user's published cells with their liaisons; the rest from the working set."""
    return render_template("mobile/index.html", cells=my_cells(get_session(), current_user.cadre_id))
