"""Vector tiles: /tiles/{layer}/{z}/{x}/{y}.pbf, for the map pages (protomaps-leaflet) and GIS clients."""
from urllib.parse import unquote

from flask import Blueprint, Response, request, url_for
from flask_login import current_user

from gridmgmt.maps.township import TileSource
from gridmgmt.services import tiles
from web import api
from web.auth import public
from web.db import get_session, read_only

MVT_TYPE = "application/vnd.mapbox-vector-tile"
# Public layers change rarely; households are edited more often.
PUBLIC_MAX_AGE = 300
PERSONAL_MAX_AGE = 60

bp = Blueprint("tiles", __name__, url_prefix="/tiles")
api.json_errors(bp, {tiles.InvalidTile: 400, tiles.UnknownLayer: 404})


@bp.get("/<layer>/<z>/<x>/<y>.pbf")
@public  # access is checked per layer: households need a login, others follow PUBLIC_LAYERS
@read_only
def tile(layer: str, z: str, x: str, y: str):
    """One Mapbox vector tile; 204 when it holds no feature."""
    tile_layer = tiles.tile_layer(layer)
    scope = api.reader_scope(tile_layer.personal)
    address = tiles.parse_address(z, x, y)
    data = tiles.render_tile(get_session(), tile_layer, address, scope)
    response = Response(data, status=200 if data else 204, mimetype=MVT_TYPE)
    response.cache_control.max_age = PERSONAL_MAX_AGE if tile_layer.personal else PUBLIC_MAX_AGE
    # The tile follows the requester's scope: a logged-in user's is theirs alone.
    response.vary.add("Cookie")
    response.vary.add("Authorization")
    if current_user.is_authenticated:
        response.cache_control.private = True
    else:
        response.cache_control.public = True
    if data:
        response.add_etag()
        response.make_conditional(request)
    return response


def household_tiles(base_layers: bool = False) -> TileSource:
    """The tiles as seen by the browser: URL templates and the drawing script.

    BASE_LAYERS: villages, groups and roads come from tiles too.
    """
    url = f"{request.script_root}{bp.url_prefix}/{{layer}}/{{z}}/{{x}}/{{y}}.pbf"
    details = unquote(url_for("ogc.item", collection_id="households", fid="{id}"))
    return TileSource(url, url_for("static", filename="vectortiles.js"), details, base_layers)
