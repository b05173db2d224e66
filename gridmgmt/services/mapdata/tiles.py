"""Mapbox vector tiles of the map layers, built in PostGIS with ST_AsMVT.

The tile box is transformed to EPSG:4326 for the `&&` filter, never the stored
column, so the GiST index on `geom` picks the rows; only the rows picked are
transformed to Web Mercator for ST_AsMVTGeom. Every layer is read within the
asking user's scope: households by household_scope, the others in the scope's
townships, on the rows the index picked. Tiles carry no sensitive
household flag: each layer lists the only attributes it may carry, and carries
only what the map draws or shows on hover (codes and the rest: OGC API). Household
tiles carry the point and its id only: there are many of them on a page, and
the map fetches a household's code when the mouse is on it.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import ColumnElement, Float, Integer, Select, bindparam, case, func, literal, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from gridmgmt.db import queries
from gridmgmt.db.models import GridCell, GridPlan, Household, Road, Village, VillageGroup, Water
from gridmgmt.db.queries import GROUP_TOWNSHIP, in_scope, published_cells
from gridmgmt.domain.errors import NotFound, UserError
from gridmgmt.domain.permissions import Scope
from gridmgmt.domain.vocab import ROAD_CLASSES

EXTENT = 4096
# Pixels of tile coordinates kept around each tile, so dots and lines on a tile
# edge are drawn whole on both sides.
BUFFER = 64
MAX_ZOOM = 22
# Half the width of the Web Mercator square, in metres.
MERCATOR_HALF_WIDTH = 20037508.342789244


class InvalidTile(UserError, ValueError):
    """z/x/y do not name a tile."""


class UnknownLayer(NotFound, LookupError):
    """No tile layer has this name."""

    def __init__(self, name: str):
        super().__init__(f"没有名为 {name} 的图层")


@dataclass(frozen=True)
class TileAddress:
    """A tile of the Web Mercator (XYZ) pyramid."""

    z: int
    x: int
    y: int


@dataclass(frozen=True)
class TileLayer:
    """A tile layer: its table's geometry, the attributes it may carry, its filters."""

    name: str
    geom: ColumnElement
    columns: tuple[ColumnElement, ...]
    township: ColumnElement | None = None  # the row's township (households: see household_scope)
    personal: bool = False  # households: only for users who may see them
    refine: Callable[[Select], Select] = lambda rows: rows
    # The order features are drawn in, from the tile's columns (None: any order).
    order: Callable[..., ColumnElement] | None = None
    # Tables whose data versions (migrations 0011, 0018) date the layer's tiles.
    versioned_by: tuple[str, ...] = ()


def _minor_roads_first(columns) -> ColumnElement:
    """Roads from the lowest class up, so the main roads are drawn on top."""
    rank = {road_class: rank for rank, road_class in enumerate(ROAD_CLASSES)}
    return case(rank, value=columns.road_class).desc()


LAYERS = {
    layer.name: layer
    for layer in (
        # village: the township a household is in, for the scope
        TileLayer("households", Household.geom, (Household.id,), personal=True, versioned_by=("household", "village")),
        TileLayer(
            "roads",
            Road.geom,
            (Road.id, Road.name, Road.road_class),
            Road.township_id,
            order=_minor_roads_first,
            versioned_by=("road",),
        ),
        TileLayer("waters", Water.geom, (Water.id, Water.name, Water.kind), Water.township_id, versioned_by=("water",)),
        TileLayer(
            "villages",
            Village.geom,
            (Village.id, Village.code, Village.name),
            Village.township_id,
            versioned_by=("village",),
        ),
        TileLayer(
            "village_groups",
            VillageGroup.geom,
            (VillageGroup.id, VillageGroup.name),
            GROUP_TOWNSHIP,
            versioned_by=("village_group", "village"),
        ),
        TileLayer(
            "grid_cells",
            GridCell.geom,
            (GridCell.id, GridCell.code, GridCell.name, GridCell.village_id, GridCell.plan_id),
            GridPlan.township_id,
            refine=published_cells,
            versioned_by=("grid_cell", "grid_plan"),
        ),
    )
}


def tile_layer(name: str) -> TileLayer:
    """The tile layer called NAME; raises UnknownLayer."""
    try:
        return LAYERS[name]
    except KeyError:
        raise UnknownLayer(name) from None


def parse_address(z: str, x: str, y: str) -> TileAddress:
    """The tile z/x/y given as URL text; raises InvalidTile with a Chinese message."""
    try:
        address = TileAddress(int(z), int(x), int(y))
    except ValueError:
        raise InvalidTile(f"瓦片坐标必须是整数：{z}/{x}/{y}") from None
    if not 0 <= address.z <= MAX_ZOOM:
        raise InvalidTile(f"缩放级别须在 0–{MAX_ZOOM} 之间：{address.z}")
    size = 2**address.z
    if not (0 <= address.x < size and 0 <= address.y < size):
        raise InvalidTile(f"第 {address.z} 级的瓦片行列号须在 0–{size - 1} 之间：{address.x}/{address.y}")
    return address


def tile_at(lon: float, lat: float, z: int) -> TileAddress:
    """The tile holding LON/LAT (WGS 84 degrees) at zoom Z."""
    n = 2**z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    # Longitude 180 and the southern edge lie on the last tile's far side, not on a tile past it.
    return TileAddress(z, min(int((lon + 180) / 360 * n), n - 1), min(int(y), n - 1))


def _bound_values(address: TileAddress) -> dict:
    """The values of the tile statement's parameters for ADDRESS."""
    margin = 2 * MERCATOR_HALF_WIDTH / 2**address.z * BUFFER / EXTENT
    return {"z": address.z, "x": address.x, "y": address.y, "margin": margin}


# Built once per layer and scope, the tile's address bound at execution: building the
# statement takes about as long as PostgreSQL takes for a small tile.
@lru_cache(maxsize=256)
def _statement(layer_name: str, scope: Scope) -> Select:
    layer = LAYERS[layer_name]
    envelope = func.ST_TileEnvelope(*(bindparam(name, type_=Integer) for name in "zxy"))
    box = func.ST_Transform(func.ST_Expand(envelope, bindparam("margin", type_=Float)), 4326)
    rows = layer.refine(select(layer.geom.label("geom"), *layer.columns).where(layer.geom.op("&&")(box)))
    rows = rows.where(*in_scope(layer.personal, layer.township, scope))
    # Picking the rows first, materialized, keeps the planner on the GiST index: with
    # the costly geometry functions in the same scan it prefers a parallel seq scan.
    picked = rows.cte("picked").prefix_with("MATERIALIZED")
    geom = func.ST_AsMVTGeom(func.ST_Transform(picked.c.geom, 3857), envelope, EXTENT, BUFFER, True)
    attributes = [column for name, column in picked.c.items() if name != "geom"]
    features = select(geom.label("geom"), *attributes).cte("features")
    feature_id = literal("id")
    if layer.order:
        # Only an ORDER BY inside the aggregate fixes the order features reach the tile.
        feature_id = aggregate_order_by(feature_id, layer.order(features.c))
    return select(func.ST_AsMVT(features.table_valued(), layer.name, EXTENT, "geom", feature_id))


def tile_statement(layer: TileLayer, address: TileAddress, scope: Scope) -> Select:
    """The SELECT that returns LAYER's tile at ADDRESS within SCOPE as one bytea (empty when no feature)."""
    return _statement(layer.name, scope).params(_bound_values(address))


def render_tile(session: Session, layer: TileLayer, address: TileAddress, scope: Scope) -> bytes:
    """LAYER's tile at ADDRESS within SCOPE; b'' when empty."""
    statement = _statement(layer.name, scope)
    data = session.execute(statement, _bound_values(address)).scalar_one()
    return bytes(data or b"")


def data_version(session: Session, layer: TileLayer) -> int | None:
    """A number that changes whenever LAYER's tables change; None when LAYER has none."""
    return queries.data_version(session, layer.versioned_by) if layer.versioned_by else None
