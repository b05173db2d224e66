"""Townships: the list and each township's map."""

from flask import Blueprint, redirect, render_template
from flask_login import current_user

from gridmgmt.domain.permissions import may
from gridmgmt.maps.township import MapParts, render_parts
from gridmgmt.readmodels import TownshipLayers
from gridmgmt.services.mapdata.layers import township_summaries
from web.auth import current_scope, home_url, permission_required, require_township
from web.db import get_session
from web.pagemap import kept_map, role_map

bp = Blueprint("townships", __name__)


@bp.get("/")
def index():
    """All townships with their village and household counts (admins); others go home."""
    if current_user.role != "admin":
        return redirect(home_url())
    return render_template("townships/index.html", townships=township_summaries(get_session()))


@bp.get("/townships/<code>")
@permission_required("view_township")
def show(code: str):
    """The township's map; unknown codes give 404, another township 403."""
    require_township(code)
    layers, parts = kept_map(("township", code, current_scope().households), lambda: _overview(code))
    return render_template(
        "townships/map.html",
        layers=layers,
        households=layers.household_count,
        map=parts,
        may_export=may(current_user.role, "export_maps"),
    )


def _overview(code: str) -> tuple[TownshipLayers, MapParts]:
    layers, fmap = role_map(get_session(), code, base_layers=True, grid=True)
    return layers, render_parts(fmap)
