"""The township map under a page's own overlays (coverage, demo sites), fitted to the user's role."""

from dataclasses import replace

import folium
from flask import current_app
from sqlalchemy.orm import Session

from gridmgmt.maps.township import township_map
from gridmgmt.readmodels import TownshipLayers
from gridmgmt.services.mapdata.layers import township_layers
from web.assets import assets_url
from web.auth import current_scope
from web.tiles import household_tiles

NO_HOUSEHOLDS = {"type": "FeatureCollection", "features": []}


def role_map(session: Session, code: str, base_layers: bool = False) -> tuple[TownshipLayers, folium.Map]:
    """Township CODE's layers and base map; users whose scope holds no household get none.

    They would only get 403 from the household tiles, so an empty layer is embedded instead.
    BASE_LAYERS: villages, groups and roads come from tiles too (the overview).
    """
    layers = township_layers(session, code)
    if not current_scope().households:
        layers = replace(layers, households=NO_HOUSEHOLDS)
    fmap = township_map(layers, assets_url(), current_app.config["TIANDITU_KEY"], household_tiles(base_layers))
    return layers, fmap
