"""OGC API – Features (Part 1, core + GeoJSON) at /ogc, so QGIS and GDAL read the layers.

Public collections follow GRIDMGMT_PUBLIC_LAYERS; households need a login or a
personal access token (`Authorization: Bearer …`). Every collection is read in the
user's scope: the public ones in the townships the user may see.
"""

import json
from datetime import UTC, datetime

from flask import Blueprint, Response, request, url_for

from gridmgmt.domain.permissions import Scope
from gridmgmt.services.mapdata import features
from web import api
from web.auth import public
from web.db import get_session
from web.inputs import ItemsQuery
from web.params import accepts

GEOJSON = "application/geo+json"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]

bp = Blueprint("ogc", __name__, url_prefix="/ogc")
api.json_errors(bp)


def _link(endpoint: str, rel: str, media_type: str, title: str | None = None, **values) -> dict:
    link = {"href": url_for(endpoint, _external=True, **values), "rel": rel, "type": media_type}
    return {**link, "title": title} if title else link


def _json(body: dict | str, media_type: str = "application/json") -> Response:
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return Response(text, mimetype=media_type)


@bp.get("")
@bp.get("/")
@public
def landing():
    """The landing page: links to the conformance classes and the collections."""
    return _json(
        {
            "title": "乡镇党建网格化管理 · 地图数据服务",
            "description": "行政村、村民小组、道路、网格、党组织活动场所、党建示范点与农户（需令牌）",
            "links": [
                _link(".landing", "self", "application/json", "本页"),
                _link(".conformance", "conformance", "application/json", "符合的标准"),
                _link(".collections", "data", "application/json", "数据集"),
            ],
        }
    )


@bp.get("/conformance")
@public
def conformance():
    """The conformance classes this server implements."""
    return _json({"conformsTo": CONFORMANCE})


def _open(collection_id: str) -> tuple[features.Collection, Scope]:
    """The collection and the scope to read it in; 404, or 401/403 when not readable."""
    coll = features.collection(collection_id)
    return coll, api.reader_scope(coll.personal)


def _describe(coll: features.Collection, scope: Scope) -> dict:
    box = features.extent(get_session(), coll, scope)
    described = {
        "id": coll.id,
        "title": coll.title,
        "itemType": "feature",
        "crs": [CRS84],
        "links": [
            _link(".collection", "self", "application/json", coll.title, collection_id=coll.id),
            _link(".items", "items", GEOJSON, coll.title, collection_id=coll.id),
        ],
    }
    if box:
        described["extent"] = {"spatial": {"bbox": [list(box)], "crs": CRS84}}
    return described


@bp.get("/collections")
@public
def collections():
    """The collections the requester may read."""
    readable = [c for c in features.COLLECTIONS.values() if api.can_read(c.personal)]
    return _json(
        {
            "links": [_link(".collections", "self", "application/json")],
            "collections": [_describe(c, api.reader_scope(c.personal)) for c in readable],
        }
    )


@bp.get("/collections/<collection_id>")
@public
def collection(collection_id: str):
    """One collection's metadata."""
    return _json(_describe(*_open(collection_id)))


@bp.get("/collections/<collection_id>/items")
@public
@accepts(query=ItemsQuery)
def items(collection_id: str, query: ItemsQuery):
    """A page of features, filtered by bbox, with next/prev links."""
    coll, scope = _open(collection_id)
    limit, offset = query.limit, query.offset
    bbox = features.parse_bbox(query.bbox)
    page = features.items(get_session(), coll, scope, bbox, limit, offset)
    head = {
        "type": "FeatureCollection",
        "numberMatched": page.number_matched,
        "numberReturned": len(page.features),
        "timeStamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "links": _page_links(coll.id, limit, offset, page),
    }
    # The features are GeoJSON text from PostGIS: spliced in, not parsed and re-encoded.
    body = json.dumps(head, ensure_ascii=False)[:-1] + ',"features":[' + ",".join(page.features) + "]}"
    return _json(body, GEOJSON)


def _page_links(collection_id: str, limit: int, offset: int, page: features.Page) -> list[dict]:
    args = {k: v for k, v in request.args.items() if k not in ("limit", "offset")}

    def page_link(rel: str, at: int) -> dict:
        return _link(".items", rel, GEOJSON, collection_id=collection_id, limit=limit, offset=at, **args)

    links = [page_link("self", offset)]
    if offset + len(page.features) < page.number_matched:
        links.append(page_link("next", offset + limit))
    if offset > 0:
        links.append(page_link("prev", max(offset - limit, 0)))
    links.append(_link(".collection", "collection", "application/json", collection_id=collection_id))
    return links


@bp.get("/collections/<collection_id>/items/<fid>")
@public
def item(collection_id: str, fid: str):
    """One feature."""
    coll, scope = _open(collection_id)
    feature = features.item(get_session(), coll, fid, scope)
    return _json(feature, GEOJSON)
