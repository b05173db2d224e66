"""The OpenAPI 3.0 definition of the OGC API at /ogc: the landing page's `service-desc`,
which GIS clients (QGIS, GDAL, OWSLib) read to learn the paths and their parameters."""

from gridmgmt.services.mapdata.crs import OFFERED
from gridmgmt.services.mapdata.features import DEFAULT_LIMIT, MAX_LIMIT
from gridmgmt.services.mapdata.filters import LANGUAGE

OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
_CRS = {"type": "string", "format": "uri", "enum": list(OFFERED)}
PARAMETERS = {
    "collectionId": {"name": "collectionId", "in": "path", "required": True, "schema": {"type": "string"}},
    "featureId": {"name": "featureId", "in": "path", "required": True, "schema": {"type": "string"}},
    "limit": {
        "name": "limit",
        "in": "query",
        "description": f"每页要素数（大于 {MAX_LIMIT} 时按 {MAX_LIMIT}）",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    },
    "offset": {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
    "bbox": {
        "name": "bbox",
        "in": "query",
        "description": "范围：四个数，坐标轴顺序随 bbox-crs",
        "style": "form",
        "explode": False,
        "schema": {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}},
    },
    "bbox-crs": {"name": "bbox-crs", "in": "query", "schema": _CRS},
    "crs": {"name": "crs", "in": "query", "description": "输出坐标参考系", "schema": _CRS},
    "filter": {"name": "filter", "in": "query", "description": "CQL2 文本筛选条件", "schema": {"type": "string"}},
    "filter-lang": {"name": "filter-lang", "in": "query", "schema": {"type": "string", "enum": [LANGUAGE]}},
    "filter-crs": {"name": "filter-crs", "in": "query", "schema": {"type": "string", "enum": [next(iter(OFFERED))]}},
}
ITEMS_PARAMETERS = ["collectionId", "limit", "offset", "bbox", "bbox-crs", "crs", "filter", "filter-lang", "filter-crs"]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def _get(summary: str, media_type: str, parameters: list[str] = ()) -> dict:
    operation = {
        "summary": summary,
        "responses": {
            "200": {"description": "成功", "content": {media_type: {}}},
            "400": {"description": "参数错误"},
            "404": {"description": "不存在"},
        },
    }
    if parameters:
        operation["parameters"] = [_ref(name) for name in parameters]
    return {"get": operation}


def definition(server_url: str) -> dict:
    """The OpenAPI document of the API served at SERVER_URL (the /ogc address)."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "乡镇党建网格化管理 · 地图数据服务", "version": "1.0.0"},
        "servers": [{"url": server_url}],
        "components": {
            "parameters": PARAMETERS,
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
        "paths": {
            "/": _get("服务首页", "application/json"),
            "/api": _get("本接口定义（OpenAPI 3.0）", OPENAPI),
            "/conformance": _get("符合的标准", "application/json"),
            "/collections": _get("数据集列表", "application/json"),
            "/collections/{collectionId}": _get("数据集说明", "application/json", ["collectionId"]),
            "/collections/{collectionId}/queryables": _get("可筛选的属性", "application/schema+json", ["collectionId"]),
            "/collections/{collectionId}/items": _get("要素（分页）", "application/geo+json", ITEMS_PARAMETERS),
            "/collections/{collectionId}/items/{featureId}": _get(
                "单个要素", "application/geo+json", ["collectionId", "featureId", "crs"]
            ),
        },
    }
