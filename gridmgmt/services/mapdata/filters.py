"""CQL2 text filters on OGC collections (OGC API – Features Part 3), parsed by pygeofilter.

What a desk asks for is allowed: comparisons, BETWEEN, IN, LIKE, IS NULL, AND/OR/NOT on a
collection's queryables (the properties it publishes, nothing else), and
S_INTERSECTS(geometry, BBOX(west, south, east, north)) in CRS84. Every literal is checked
against its property's type before any SQL is made, so a mistyped filter is refused with a
message instead of failing in PostgreSQL.
"""

from datetime import date
from decimal import Decimal

from pygeofilter import ast
from pygeofilter.backends.evaluator import handle
from pygeofilter.backends.sqlalchemy.evaluate import SQLAlchemyFilterEvaluator
from pygeofilter.parsers.cql2_text import parse as parse_cql2_text
from sqlalchemy import ColumnElement, func

from gridmgmt.domain.errors import UserError

GEOMETRY = "geometry"  # the name a filter gives a collection's geometry
LANGUAGE = "cql2-text"
# JSON Schema types of the Python types of the properties' columns.
JSON_TYPES = {str: "string", int: "integer", float: "number", Decimal: "number", bool: "boolean", date: "string"}
ACCEPTS = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}
SCALAR_NODES = (ast.Comparison, ast.Between, ast.In, ast.Like, ast.IsNull)
MAX_FILTER_CHARS = 2000


class InvalidFilter(UserError, ValueError):
    """A filter the API cannot run: unparsable, an unknown property, a wrong type."""


def queryables(properties: dict[str, ColumnElement]) -> dict[str, str]:
    """The JSON Schema type of each of PROPERTIES (name → column)."""
    return {name: JSON_TYPES.get(column.type.python_type, "string") for name, column in properties.items()}


class _Evaluator(SQLAlchemyFilterEvaluator):
    """pygeofilter's SQLAlchemy evaluator, with BBOX(...) as an envelope in CRS84."""

    @handle(ast.Function)
    def function(self, node, *arguments):
        """The BBOX function: the only one a filter may call (checked before)."""
        return func.ST_MakeEnvelope(*arguments, 4326)


def where_clause(text: str, properties: dict[str, ColumnElement], geometry: ColumnElement) -> ColumnElement:
    """The WHERE clause of the CQL2 text filter TEXT on PROPERTIES and GEOMETRY; InvalidFilter."""
    if len(text) > MAX_FILTER_CHARS:
        raise InvalidFilter(f"筛选条件不能超过 {MAX_FILTER_CHARS} 个字符")
    try:
        tree = parse_cql2_text(text)
    except Exception as error:  # noqa: BLE001 - lark raises many kinds; all mean "cannot parse"
        raise InvalidFilter(f"筛选条件无法解析（CQL2 文本）：{text[:80]}") from error
    _check(tree, queryables(properties))
    mapping = {**properties, GEOMETRY: geometry}
    return _Evaluator(mapping, undefined_as_null=False).evaluate(tree)


def _check(node, types: dict[str, str]) -> None:
    """Refuse what the API does not run, naming it."""
    if isinstance(node, ast.Combination):
        _check(node.lhs, types)
        _check(node.rhs, types)
    elif isinstance(node, ast.Not):
        _check(node.sub_node, types)
    elif isinstance(node, SCALAR_NODES):
        kind = _property_type(node.lhs, types)
        for value in _literals(node):
            if not isinstance(value, ACCEPTS[kind]) or (kind != "boolean" and isinstance(value, bool)):
                raise InvalidFilter(f"“{node.lhs.name}”须与{_TYPE_NAMES[kind]}比较，而不是 {value!r}")
        if isinstance(node, ast.Like) and (len(node.pattern) - len(node.pattern.rstrip("\\"))) % 2:
            raise InvalidFilter("LIKE 的模式不能以单个反斜杠结尾")
    elif isinstance(node, ast.GeometryIntersects):
        _check_bbox(node)
    else:
        raise InvalidFilter(f"不支持的筛选条件：{type(node).__name__}；可用比较、BETWEEN、IN、LIKE 与 S_INTERSECTS")


_TYPE_NAMES = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true/false"}


def _property_type(node, types: dict[str, str]) -> str:
    if not isinstance(node, ast.Attribute):
        raise InvalidFilter("比较的左边须为属性名")
    if node.name not in types:
        raise InvalidFilter(f"不能按“{node.name}”筛选；可用：{'、'.join(types)}")
    return types[node.name]


def _literals(node) -> list:
    if isinstance(node, ast.Comparison):
        return [node.rhs]
    if isinstance(node, ast.Between):
        return [node.low, node.high]
    if isinstance(node, ast.In):
        return list(node.sub_nodes)
    if isinstance(node, ast.Like):
        return [node.pattern]
    return []


def _check_bbox(node: ast.GeometryIntersects) -> None:
    box = node.rhs
    if not (isinstance(node.lhs, ast.Attribute) and node.lhs.name == GEOMETRY):
        raise InvalidFilter(f"S_INTERSECTS 的第一个参数须为 {GEOMETRY}")
    if not (isinstance(box, ast.Function) and box.name.lower() == "bbox" and len(box.arguments) == 4):
        raise InvalidFilter("S_INTERSECTS 的第二个参数须为 BBOX(西, 南, 东, 北)")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in box.arguments):
        raise InvalidFilter("BBOX 的四个值须为数字")
    west, south, east, north = box.arguments
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise InvalidFilter("BBOX 超出经纬度范围或西大于东、南大于北")
