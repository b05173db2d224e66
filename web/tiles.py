"""Vector tiles: /tiles/{layer}/{z}/{x}/{y}.pbf, for the map pages (protomaps-leaflet) and GIS clients."""

import hashlib
from urllib.parse import unquote

from flask import Blueprint, Response, request, url_for
from flask_login import current_user

from gridmgmt.db.kept import Kept
from gridmgmt.domain.permissions import Scope
from gridmgmt.maps.township import TileSource
from gridmgmt.services.mapdata import tiles
from web import api
from web.auth import public
from web.db import get_session, read_only

MVT_TYPE = "application/vnd.mapbox-vector-tile"
# Public layers change rarely; households are per user (scope) and edited more often.
PUBLIC_MAX_AGE = 300
PERSONAL_MAX_AGE = 60
# Tiles of versioned layers, by scope and data version (in the ETag): 32 MB per process.
_TILES = Kept(32_000_000, sizeof=len)

bp = Blueprint("tiles", __name__, url_prefix="/tiles")
api.json_errors(bp)


@bp.get("/<layer>/<z>/<x>/<y>.pbf")
@public  # access is checked per layer: households need a login, others follow PUBLIC_LAYERS
@read_only
def tile(layer: str, z: str, x: str, y: str):
    """One Mapbox vector tile; 204 when it holds no feature, 304 when the client's is current."""
    tile_layer = tiles.tile_layer(layer)
    scope = api.reader_scope(tile_layer.personal)
    address = tiles.parse_address(z, x, y)
    etag = _version_tag(tile_layer, scope)
    if etag and request.if_none_match.contains_weak(etag):
        return _cacheable(Response(status=304), tile_layer, etag)

    def render() -> bytes:
        return tiles.render_tile(get_session(), tile_layer, address, scope)

    # A versioned layer's tile is built once per data version (in the ETag) and scope.
    data = _TILES.get((tile_layer.name, address, scope, etag), render) if etag else render()
    response = _cacheable(Response(data, status=200 if data else 204, mimetype=MVT_TYPE), tile_layer, etag)
    if data and not etag:
        response.add_etag()
        response.make_conditional(request)
    return response


def _version_tag(tile_layer: tiles.TileLayer, scope: Scope | None) -> str | None:
    """The ETag of TILE_LAYER's tiles as SCOPE sees them, from the data version; None when unversioned."""
    version = tiles.data_version(get_session(), tile_layer)
    if version is None:
        return None
    # The scope is part of the tag: readers with different scopes may get different tiles.
    seen_by = hashlib.blake2b(repr(scope).encode(), digest_size=6).hexdigest()
    return f"{tile_layer.name}-{version}-{seen_by}"


def _cacheable(response: Response, tile_layer: tiles.TileLayer, etag: str | None) -> Response:
    """RESPONSE with TILE_LAYER's cache headers and, when given, weak ETAG (compression changes bytes)."""
    response.cache_control.max_age = PERSONAL_MAX_AGE if tile_layer.personal else PUBLIC_MAX_AGE
    # The tile follows the requester's scope: a logged-in user's is theirs alone.
    response.vary.add("Cookie")
    response.vary.add("Authorization")
    if current_user.is_authenticated:
        response.cache_control.private = True
    else:
        response.cache_control.public = True
    if etag:
        response.set_etag(etag, weak=True)
    return response


def household_tiles(base_layers: bool = False) -> TileSource:
    """The tiles as seen by the browser: URL templates and the drawing script.

    BASE_LAYERS: villages, groups and roads come from tiles too.
    """
    url = f"{request.script_root}{bp.url_prefix}/{{layer}}/{{z}}/{{x}}/{{y}}.pbf"
    details = unquote(url_for("ogc.item", collection_id="households", fid="{id}"))
    return TileSource(url, url_for("static", filename="vectortiles.js"), details, base_layers)
