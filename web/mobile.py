"""The grid worker's phone page: their map first, then the 我的网格 list."""
from flask import Blueprint, current_app, render_template

from gridmgmt.maps.township import render_parts, township_map
from gridmgmt.services.households import household_list
from gridmgmt.services.villages import scope_layers
from web.assets import assets_url
from web.auth import current_scope, permission_required
from web.db import get_session

bp = Blueprint("mobile", __name__)


@bp.get("/m")
@permission_required("use_phone_layout")
def index():
    """Map of the user's villages and households, and the list of them."""
    scope = current_scope()
    layers = scope_layers(get_session(), scope, "我的网格")
    fmap = layers and township_map(layers, assets_url(), current_app.config["TIANDITU_KEY"])
    villages = layers.villages["features"] if layers else []
    return render_template("mobile/index.html", map=fmap and render_parts(fmap), villages=villages,
                           households=household_list(get_session(), scope))
