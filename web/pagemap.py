"""The township map under a page's own overlays (coverage, demo sites), fitted to the user's role;
rendered maps kept per data version."""

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

import folium
from flask import request
from sqlalchemy.orm import Session

from gridmgmt.db.kept import Kept
from gridmgmt.db.queries import data_version
from gridmgmt.maps.grid_layer import add_grid_layer
from gridmgmt.maps.township import MapParts, township_map
from gridmgmt.readmodels import TownshipLayers
from gridmgmt.services.mapdata.cells import published_cell_labels
from gridmgmt.services.mapdata.layers import township_layers
from web.assets import assets_url, basemap
from web.auth import current_scope
from web.db import get_session
from web.tiles import household_tiles

NO_HOUSEHOLDS = {"type": "FeatureCollection", "features": []}
# Every table a township or village map draws from.
MAP_TABLES = (
    "township",
    "village",
    "village_group",
    "road",
    "water",
    "party_org",
    "household",
    "grid_cell",
    "grid_plan",
)
T = TypeVar("T")
# Rendered maps (with their layers): a village's is a few hundred kB, so about 32 MB per process.
_MAPS = Kept(32_000_000, sizeof=lambda kept: _weight(kept[1] if isinstance(kept, tuple) else kept))


def role_map(
    session: Session, code: str, base_layers: bool = False, grid: bool = False
) -> tuple[TownshipLayers, folium.Map]:
    """Township CODE's layers and base map; users whose scope holds no household get none.

    They would only get 403 from the household tiles, so an empty layer is embedded instead.
    BASE_LAYERS: villages, groups and roads come from tiles too (the overview). GRID: the
    published plan's cells as a layer to turn on (outlines and names only).
    """
    layers = township_layers(session, code)
    if not current_scope().households:
        layers = replace(layers, households=NO_HOUSEHOLDS)
    tiles = household_tiles(base_layers)
    fmap = township_map(layers, assets_url(), basemap(), tiles)
    if grid:
        add_grid_layer(fmap, published_cell_labels(session, code), tiles, assets_url())
    return layers, fmap


def _weight(parts: MapParts) -> int:
    return len(parts.header) + len(parts.html) + len(parts.script)


def kept_map(key: tuple, draw: Callable[[], T]) -> T:
    """DRAW()'s value for KEY (what the map shows, the scope), drawn again only when the data
    of MAP_TABLES, the assets' URL or the basemap change."""
    # folium compiles dozens of Jinja templates for every map it renders: most of a map page's time.
    where = (assets_url(), basemap(), request.script_root)
    return _MAPS.get((*key, *where, data_version(get_session(), MAP_TABLES)), draw)
