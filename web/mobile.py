"""The grid worker's phone page: their map first, their grid cells and 联户 party members, then the list."""

import folium
from flask import Blueprint, render_template
from flask_login import current_user

from gridmgmt.maps.township import render_parts, township_map
from gridmgmt.services.grids.views import my_cells
from gridmgmt.services.mapdata.households import household_list
from gridmgmt.services.mapdata.villages import scope_layers
from web.assets import assets_url, basemap
from web.auth import current_scope, permission_required
from web.db import get_session

bp = Blueprint("mobile", __name__)
CELL_STYLE = {"color": "#d84315", "weight": 3, "fillOpacity": 0.05}


@bp.get("/m")
@permission_required("use_phone_layout")
def index():
    """Map of the user's villages, households and published grid cells; the cells' liaisons; the list."""
    scope = current_scope()
    layers = scope_layers(get_session(), scope, "我的网格")
    cells = my_cells(get_session(), current_user.cadre_id)
    fmap = layers and township_map(layers, assets_url(), basemap())
    for cell in cells if fmap else ():
        # control=False: the map's layer control is rendered before this layer exists.
        folium.GeoJson(
            cell["geojson"],
            name=cell["name"],
            style_function=lambda _f: CELL_STYLE,
            tooltip=cell["name"],
            control=False,
        ).add_to(fmap)
    villages = layers.villages["features"] if layers else []
    return render_template(
        "mobile/index.html",
        map=fmap and render_parts(fmap),
        villages=villages,
        cells=cells,
        households=household_list(get_session(), scope),
    )
