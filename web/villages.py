"""The village page: its map, counts, grids, party organisations and cadres."""

from flask import Blueprint, render_template

from gridmgmt.config import get_settings
from gridmgmt.maps.grid_layer import add_cell_outlines
from gridmgmt.maps.township import render_parts, township_map
from gridmgmt.services.mapdata.villages import village_layers, village_page
from web.assets import assets_url, basemap
from web.auth import current_scope, permission_required
from web.db import get_session
from web.pagemap import kept_map

bp = Blueprint("villages", __name__)


@bp.get("/villages/<code>")
@permission_required("view_village")
def show(code: str):
    """The village CODE within the user's scope (403 outside it, 404 when unknown)."""
    session, scope = get_session(), current_scope()
    page = village_page(session, code, scope, get_settings().today())
    parts = kept_map(
        ("village", code, scope),
        lambda: render_parts(
            add_cell_outlines(
                township_map(village_layers(session, code, scope), assets_url(), basemap()), page.cells.outlines
            )
        ),
    )
    return render_template("villages/show.html", page=page, map=parts)
